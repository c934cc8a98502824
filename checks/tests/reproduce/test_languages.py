"""The reproduction report in the learner's language (issue #15): the same numbers, only the prose changes.

A tiny ``--quick`` run (chapter 3's activation functions, chapter 5's gradient check) in
English, Japanese (``--lang ja``) and Korean (``DLFS_LANG=ko``): report.md, report.html,
results.json and the printed summary are in that language, with the editions' terms
(勾配確認, 기울기 확인), and every number — measured values, criteria, the summary's
measured column — is the one the English run gives. The summary table lines up in
terminal cells (a CJK character takes two).
"""

import ast
import io
import json
import re
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checks.i18n import display_width
from checks.reproduce import texts as reproduce_texts
from checks.reproduce.__main__ import main

ONLY = "ch03_activation_functions,ch05_gradient_check"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")

# what each language's report must show (headings, labels, the claims' titles, a criterion); English's must be gone
EXPECTED = {
    "en": ["reproduction report", "**The book:**", "**How it is measured:**", "**Tolerance and why:**",
           "Gradient check of TwoLayerNet", "max error", "none (deterministic"],
    "ja": ["再現レポート", "**本書:**", "**測定方法:**", "**許容誤差とその理由:**", "TwoLayerNet の勾配確認",
           "最大誤差", "なし（決定的", "数値微分", "誤差逆伝播法"],
    "ko": ["재현 보고서", "**책:**", "**측정 방법:**", "**허용 오차와 그 이유:**", "TwoLayerNet의 기울기 확인",
           "최대 오차", "없음 (결정적", "수치 미분", "오차역전파법"],
}


def _numbers(text):
    return Counter(_NUMBER.findall(text))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{lang: (printed summary, report.md, report.html, results.json)} of the same tiny run in three languages."""
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        for lang in EXPECTED:
            out = tmp_path_factory.mktemp(lang) / "report"
            patch.setenv("DLFS_LANG", "ko" if lang == "ko" else "en")  # ko by the variable, ja by --lang
            argv = ["--quick", "--only", ONLY, "--jobs", "1", "--no-progress", "--out", str(out)]
            if lang == "ja":
                argv += ["--lang", "ja"]
            printed = io.StringIO()
            with redirect_stdout(printed):
                assert main(argv) == 0
            found[lang] = (printed.getvalue(), (out / "report.md").read_text(encoding="utf-8"),
                           (out / "report.html").read_text(encoding="utf-8"),
                           json.loads((out / "results.json").read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_the_report_prose_is_in_the_language(runs, lang):
    printed, md, page, document = runs[lang]
    for text in EXPECTED[lang]:
        assert text in md, (lang, text)
    for text in EXPECTED["en"]:
        assert text not in md, (lang, text)
    assert f'<html lang="{lang}">' in page and EXPECTED[lang][0] in page and EXPECTED[lang][4] in page
    entry = document["experiments"]["ch05_gradient_check"]
    assert entry["title"] == EXPECTED[lang][4] and entry["verdict"] == "PASS"  # keys and verdict tokens stay
    assert EXPECTED[lang][-1] in entry["criteria"][0]["text"]  # "backprop" in the edition's words
    # the codes, file names and section numbers as they are
    assert "§5.7.3" in md and "ch05/gradient_check.py" in md and "`gradient_check_two_layer_net()`" in md


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_every_number_is_the_english_runs(runs, lang):
    _, _, _, english = runs["en"]
    _, _, _, translated = runs[lang]
    for name, entry in english["experiments"].items():
        other = translated["experiments"][name]
        assert other["measured"] == entry["measured"] and other["data_sha256"] == entry["data_sha256"], name
        assert [c["ok"] for c in other["criteria"]] == [c["ok"] for c in entry["criteria"]], name
        for mine, theirs in zip(other["criteria"], entry["criteria"]):
            assert _numbers(mine["text"]) == _numbers(theirs["text"]), (mine["text"], theirs["text"])
        assert _numbers(other["summary"]) == _numbers(entry["summary"]), name


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_the_summary_table_lines_up_in_terminal_cells(runs, lang):
    printed = runs[lang][0].strip().splitlines()
    header, rule, rows = printed[0], printed[1], printed[2:4]
    assert [row.split()[0] for row in rows] == ONLY.split(",")
    # every column starts at the same terminal cell: where the rule's dashes start
    starts = [match.start() for match in re.finditer(r"-+", rule)]

    def cells_before(line, column_text):
        return display_width(line[:line.index(column_text)])

    verdict_column = starts[3]
    assert all(cells_before(row, "PASS") == verdict_column for row in rows), printed
    assert display_width(header) <= display_width(rule)
    english_rows = runs["en"][0].strip().splitlines()[2:4]
    for row, english_row in zip(rows, english_rows):
        assert _numbers(row.split("PASS")[0]) == _numbers(english_row.split("PASS")[0])
    last = printed[-1]
    assert last.startswith("2 PASS, 0 FAIL, 0 SKIPPED; ")


def test_an_unknown_language_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "fr", "--only", "ch03_activation_functions", "--out", str(tmp_path / "x")])
    assert exc.value.code == 2 and "--lang" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_no_module_of_the_report_rebinds_the_translator():
    # `a, _ = ...` in a function makes `_` local there: its `_("...")` calls would then fail
    # (UnboundLocalError) only when that text is rendered, e.g. on a worker's error.
    package = Path(reproduce_texts.__file__).parent
    rebinding = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_it = any(isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names)
                         for node in tree.body)
        for function in (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.Lambda))):
            for node in ast.walk(function):
                if imports_it and isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                    rebinding.append(f"{path.name}:{node.lineno}")
    assert not rebinding, rebinding


def test_no_text_is_translated_inside_an_f_string():
    # the extractor reads `_("...")` calls, not the inside of f-strings: such a msgid would be
    # missing from every catalog without the completeness test noticing ("## Summary" was)
    package = Path(reproduce_texts.__file__).parent
    hidden = []
    for path in sorted(package.rglob("*.py")):
        for fstring in (node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                        if isinstance(node, ast.JoinedStr)):
            hidden += [f"{path.name}:{call.lineno}" for call in ast.walk(fstring)
                       if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("_", "N_")
                       and call.args and isinstance(call.args[0], ast.Constant)]
    assert not hidden, hidden
