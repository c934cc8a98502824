"""`python -m checks.reproduce.compare A B`: are two results.json the same, timings aside?

Drops what differs between runs of the same code and seed (``results.VOLATILE_KEYS``:
the timings, the creation time) and lists every other difference by its path in the
document (``experiments.ch05_backprop_training.measured.final_test_acc: 0.9712 → 0.9713``).
Exit status 0 when equal, 1 when not, 2 when a file cannot be read. Used to show that
``--jobs N`` gives the numbers of a serial run, and to compare a run with a baseline.
"""

import argparse
import json
import sys
from pathlib import Path

from .results import VOLATILE_KEYS

__all__ = ["stable_part", "differences", "main"]


def stable_part(document):
    """``document`` without the keys that change from run to run (timings, created)."""
    return {key: value for key, value in document.items() if key not in VOLATILE_KEYS}


def differences(a, b, path=""):
    """Every difference between two JSON values, as 'path: a → b' lines (empty when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            where = f"{path}.{key}" if path else str(key)
            if key not in a:
                out.append(f"{where}: only in the second")
            elif key not in b:
                out.append(f"{where}: only in the first")
            else:
                out.extend(differences(a[key], b[key], where))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in differences(x, y, f"{path}[{i}]")]
    if a != b or type(a) is not type(b):
        shorten = (lambda v: (s if len(s := json.dumps(v, ensure_ascii=False)) <= 80 else s[:77] + "..."))
        return [f"{path or '(document)'}: {shorten(a)} → {shorten(b)}"]
    return []


def _load(path):
    path = Path(path)
    if path.is_dir():
        path = path / "results.json"
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.reproduce.compare",
                                     description="Compare two results.json (or report folders), timings aside.")
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args(argv)
    try:
        a, b = _load(args.first), _load(args.second)
    except (OSError, ValueError) as error:
        print(f"cannot read a results.json: {error}", file=sys.stderr)
        return 2
    found = differences(stable_part(a), stable_part(b))
    for line in found:
        print(line)
    total = {name: doc.get("timings", {}).get("total_seconds") for name, doc in (("first", a), ("second", b))}
    verdict = "identical" if not found else f"{len(found)} difference(s)"
    print(f"{verdict} apart from {', '.join(VOLATILE_KEYS)} "
          f"(total seconds: first {total['first']}, second {total['second']})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
