"""What grade-all hands to spreadsheets and gradebooks: scores.csv and a Canvas gradebook import.

Every cell is text from a submission or a roster, so each goes through `csv_cell`
(safe_text.py): a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
first) is prefixed with `'` and shown as text.

**Canvas.** `--canvas ROSTER.csv` takes the gradebook Canvas exports (Grades → Export:
the columns `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one per
assignment, and a second row `Points Possible`) and writes `canvas.csv`: the roster's
identity columns and one column, the assignment (`--canvas-assignment`, by default
"dlfs"), holding each student's points. The submission of a student is the one whose
name equals the student's value in the key column (`--canvas-key`: by default the first
of `SIS Login ID`, `SIS User ID`, `ID`, `Student` that names any submission). A student
without a submission gets an empty cell (Canvas leaves the grade as it is); a submission
that could not be graded gets 0; submissions matching no student are returned, for the
instructor to see.
"""

import csv
import io

from .safe_text import csv_cell, safe_text

__all__ = ["CANVAS_IDENTITY", "CANVAS_KEYS", "CANVAS_NAME", "CanvasError", "canvas_import", "csv_text"]

CANVAS_NAME = "canvas.csv"
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_KEYS = ("SIS Login ID", "SIS User ID", "ID", "Student")
_POINTS_POSSIBLE = "Points Possible"


class CanvasError(ValueError):
    """A roster that cannot be read as Canvas's gradebook export."""


def csv_text(rows, columns):
    """A CSV document (str) of `rows` (dicts) in `columns`; every str cell made safe for a spreadsheet."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(safe_text(value, 1000)) if isinstance(value, str) else value
                         for key, value in row.items() if key in columns})
    return text.getvalue()


def _read_roster(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = [name.strip() for name in reader.fieldnames or ()]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CanvasError(f"{path}: the roster could not be read ({type(error).__name__}: {error}); expected "
                          f"the CSV Canvas exports from Grades → Export") from None
    rows = [{(key or "").strip(): (value or "").strip() if isinstance(value, str) else "" for key, value in row.items()}
            for row in rows]
    identity = [name for name in CANVAS_IDENTITY if name in columns]
    if not any(name in columns for name in CANVAS_KEYS):
        raise CanvasError(f"{path}: no column {', '.join(CANVAS_KEYS)}; expected the CSV Canvas exports from "
                          f"Grades → Export, got the columns {', '.join(columns) or 'none'}")
    return rows, identity


def _key_column(rows, names, key):
    if key is not None:
        if not rows or key not in rows[0]:
            raise CanvasError(f"--canvas-key {key!r}: the roster has no such column")
        return key
    for column in CANVAS_KEYS:
        if any(row.get(column) in names for row in rows):
            return column
    raise CanvasError("no student of the roster has a submission: the submissions' names match no column of "
                      f"{', '.join(CANVAS_KEYS)}; name each submission after one of them, or pass --canvas-key")


def canvas_import(rows, roster, assignment="dlfs", key=None):
    """(CSV text for Canvas's gradebook import, [names of submissions matching no student], key column).

    `rows`: grade-all's rows; `roster`: the path of Canvas's gradebook export.
    """
    students, identity = _read_roster(roster)
    by_name = {row["submission"]: row for row in rows}
    column = _key_column(students, by_name, key)
    if column not in identity:
        identity.append(column)
    out, matched = [], set()
    for student in students:
        if student.get("Student", "").strip() == _POINTS_POSSIBLE:
            points = next((row.get("max_score") for row in rows if row.get("status") == "graded"), "")
            out.append({**{name: student.get(name, "") for name in identity}, "Student": "    " + _POINTS_POSSIBLE,
                        assignment: f"{float(points):g}" if points else ""})
            continue
        row = by_name.get(student.get(column, ""))
        if row is None:
            score = ""
        else:
            matched.add(row["submission"])
            score = f"{float(row['score']):.2f}" if row.get("status") == "graded" and row.get("score") else "0"
        out.append({**{name: student.get(name, "") for name in identity}, assignment: score})
    unmatched = sorted(set(by_name) - matched)
    return csv_text(out, identity + [assignment]), unmatched, column
