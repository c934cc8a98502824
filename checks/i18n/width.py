"""Column widths in terminal cells: a CJK character takes two (`wcwidth`), so tables stay aligned."""

__all__ = ["display_width", "ljust", "rjust"]


def display_width(text):
    """How many terminal cells `text` takes (a non-printable character counts as one)."""
    from wcwidth import wcswidth  # imported on first use: `import checks` stays light

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def ljust(text, width):
    """`text` padded on the right to `width` cells."""
    text = str(text)
    return text + " " * max(0, width - display_width(text))


def rjust(text, width):
    """`text` padded on the left to `width` cells."""
    text = str(text)
    return " " * max(0, width - display_width(text)) + text
