"""Fit a results.json to an assignment's settings on Gradescope (point total, visibility).

`make release` writes the settings into the autograder zip as `autograder.json`:

    {"chapters": [5, 6] or null, "total": 100, "visibility": "visible",
     "hide_not_attempted": true, "decimals": 2, "language": "ja" or null}

- `total`: the assignment's points. Each test's `max_score` is its share of the total,
  in units of 10**-decimals, apportioned by the largest-remainder method (Hamilton's):
  the shares sum to the total exactly, never 99.99998.
- `visibility`: Gradescope's value for the whole result and every test ("visible",
  "hidden", "after_due_date", "after_published").
- `language`: the language of the feedback (en, ja, zh, ko: `--lang`); null: DLFS_LANG or
  the image's locale, else English (docs/languages.md).
- `hide_not_attempted`: tests whose component is still a stub are hidden (the learner
  sees them counted in the summary, not as ~150 red lines).

The top-level `output` stays the learner's summary (the per-chapter table and the top
failures with their diagnoses). `python -m checks.grading.gradescope --fit CONFIG
RESULTS` rewrites RESULTS in place and always leaves a valid results.json, also when
RESULTS is missing or unreadable (grading crashed): then score 0 and an explanation.
"""

import argparse
import json
import math
import sys
from pathlib import Path

from ..i18n import LANGUAGES, set_language, translator
from .report import error_results, write_atomic
from .shares import apportion, share_tests

__all__ = ["DEFAULTS", "VISIBILITIES", "apportion", "fit_results", "fit_file", "grade_args",
           "load_config", "main"]

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
DEFAULTS = {"chapters": None, "total": 100, "visibility": "visible", "hide_not_attempted": True, "decimals": 2,
            "language": None}
_ = translator("grading")


def load_config(path):
    """The settings in `path` (autograder.json), completed with DEFAULTS and validated."""
    config = dict(DEFAULTS)
    if path is not None and Path(path).is_file():
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: expected a JSON object of settings, got {type(loaded).__name__}")
        unknown = sorted(set(loaded) - set(DEFAULTS))
        if unknown:
            raise ValueError(f"{path}: unknown setting(s) {unknown}; expected some of {sorted(DEFAULTS)}")
        config.update(loaded)
    if config["visibility"] not in VISIBILITIES:
        raise ValueError(f"visibility: expected one of {VISIBILITIES}, got {config['visibility']!r}")
    total = config["total"]
    if isinstance(total, bool) or not isinstance(total, (int, float)) or not total > 0 or not math.isfinite(total):
        raise ValueError(f"total: expected a positive number of points, got {total!r}")
    if not isinstance(config["decimals"], int) or not 0 <= config["decimals"] <= 6:
        raise ValueError(f"decimals: expected an integer from 0 to 6, got {config['decimals']!r}")
    chapters = config["chapters"]
    if chapters is not None and (not isinstance(chapters, list)
                                 or not all(isinstance(c, int) and 1 <= c <= 8 for c in chapters)):
        raise ValueError(f"chapters: expected null or a list of chapter numbers 1–8, got {chapters!r}")
    if config["language"] is not None and config["language"] not in LANGUAGES:
        raise ValueError(f"language: expected null or one of {', '.join(LANGUAGES)}, got {config['language']!r}")
    return config


def grade_args(config):
    """The `python -m checks.grading` options the settings imply (one string, for the shell)."""
    args = [f"--chapter {int(c)}" for c in (config["chapters"] or [])]
    if config.get("language"):
        args.append(f"--lang {config['language']}")
    return " ".join(args)


def _failure(message, config):
    """A results.json for grading that could not run: every check of the assignment listed with 0 and why."""
    return error_results(message, chapters=config["chapters"])


def fit_results(results, config):
    """`results` (a results.json dict) with max_score/score fitted to the total, visibility set."""
    decimals, total = config["decimals"], config["total"]
    tests = share_tests(results.get("tests", []), total, decimals)
    for test in tests:
        tags = test.get("tags", [])
        hidden = config["hide_not_attempted"] and "not_attempted" in tags
        test["visibility"] = "hidden" if hidden else config["visibility"]
    fitted = dict(results)
    fitted["tests"] = tests
    if tests:
        fitted["score"] = round(sum(t["score"] for t in tests), decimals)
    else:  # no tests: a failure result keeps its 0, a scaled score otherwise
        old_max = results.get("max_score") or 0
        fitted["score"] = 0 if not old_max else round(total * results.get("score", 0) / old_max, decimals)
    fitted["max_score"] = total
    fitted["visibility"] = config["visibility"]
    hidden = sum(1 for t in tests if t["visibility"] == "hidden" and config["visibility"] != "hidden")
    if hidden and isinstance(fitted.get("output"), str):
        fitted["output"] = (fitted["output"].rstrip("\n") + "\n\n"
                            + _("{count} not-attempted check(s) are counted above and not listed one by one.",
                                count=hidden) + "\n")
    return fitted


def fit_file(config_path, results_path):
    """Rewrite `results_path` fitted to the settings; a valid file whatever happened before."""
    config = load_config(config_path)
    if config["language"]:
        set_language(config["language"])  # this process's own texts (a missing results.json)
    results_path = Path(results_path)
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
        if not isinstance(results, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        results = _failure(_("the grader wrote no results (it crashed or was stopped); please tell your instructor"),
                           config)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        results = _failure(_("the grader's results could not be read ({error}); please tell your instructor",
                             error=str(error)), config)
    fitted = fit_results(results, config)
    write_atomic(results_path, json.dumps(fitted, indent=1, ensure_ascii=False) + "\n")
    return fitted


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.grading.gradescope", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--grade-args", metavar="CONFIG", help="print the grading options CONFIG implies")
    action.add_argument("--fit", nargs=2, metavar=("CONFIG", "RESULTS"), help="fit RESULTS to CONFIG in place")
    args = parser.parse_args(argv)
    try:
        if args.grade_args:
            print(grade_args(load_config(args.grade_args)))
        else:
            fitted = fit_file(*args.fit)
            print(f"results.json: {fitted['score']} / {fitted['max_score']} points, {len(fitted['tests'])} tests")
    except (OSError, ValueError) as error:
        print(f"gradescope settings: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
