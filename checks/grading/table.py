"""`python -m checks.grading.table [--book]`: what each component is worth, per chapter, as Markdown.

The points come from the same computation grading uses (`score_records`' table:
each check's declared weight, spread by points.py over every check at stake), so the
printed table is the one in force; paste it into the README after changing a weight,
the chapter totals or adding checks.
"""

import argparse
import sys
from fractions import Fraction

from .scoring import _check_table
from .points import CHAPTERS, points_for

__all__ = ["component_points", "render_markdown", "main"]


def component_points(kind="package"):
    """{chapter: {component: (points, number of checks at stake)}} in book order.

    Args:
        kind: "package" (reference, exercises, a package) or "book" (a book-layout
            folder, whose declared deviations are out of the points).
    """
    table = _check_table(kind)
    points = points_for((key, chapter, check.__name__, deviation is None)
                        for key, (check, case, chapter, deviation) in table.items())
    found = {}
    for key, (check, case, chapter, deviation) in table.items():
        if deviation is not None:
            continue
        entry = found.setdefault(chapter, {}).setdefault(case.component, [Fraction(0), 0])
        entry[0] += points[key]
        entry[1] += 1
    return {chapter: {name: tuple(value) for name, value in found[chapter].items()} for chapter in sorted(found)}


def render_markdown(kind="package"):
    lines = ["| chapter | points | components (points, checks) |", "| --- | ---: | --- |"]
    for chapter, components in component_points(kind).items():
        parts = ", ".join(f"{name} {float(points):.2f} ({count})" for name, (points, count) in components.items())
        lines.append(f"| {chapter} {CHAPTERS[chapter].title} | {CHAPTERS[chapter].total} | {parts} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.table", description=__doc__.splitlines()[0])
    parser.add_argument("--book", action="store_true", help="the points of a book-layout folder")
    args = parser.parse_args(argv)
    print(render_markdown("book" if args.book else "package"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
