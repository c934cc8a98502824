"""The one error a layout raises when a name has no component behind it."""

__all__ = ["MissingName"]


class MissingName(LookupError):
    """`resolve` found nothing under that name; `detail` says where it looked."""

    def __init__(self, name, detail):
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail
