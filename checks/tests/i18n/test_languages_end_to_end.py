"""Grading in each language (issue #15): the same verdicts, values and indices; only the prose changes.

The must-show run of the issue, `make grade IMPL=mutant:affine_dw_transposed
GRADE_ARGS="--component Affine"`, under DLFS_LANG=ja, zh, --lang ko, the zh_TW locale
(Traditional Chinese) and in English by default, in real child processes. Numbers are
extracted from the summary and from every results.json output and compared across the languages.
"""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from checks.i18n import display_width
from checks.isolation.adapters import REPO_ROOT
from checks.library.diagnosis import Context, describe_mismatch
from checks.tests.fixtures.sharing import once_per_run

# words each language must show (outcome words, diagnosis labels, the hint); English ones must be gone
EXPECTED = {
    "en": ["chapter", "points", "wrong", "failed for Affine(2d)", "compared:", "setting:",
           "hint: the shape is transposed", "5 Backpropagation"],
    "ja": ["章", "得点", "誤り", "失敗しました", "比較:", "条件:", "ヒント: 形状が転置されています",
           "5 誤差逆伝播法"],
    "zh": ["章", "得分", "错误", "未通过", "比较:", "设置:", "提示: 形状被转置了", "5 误差反向传播法"],
    "zh-Hant": ["章", "得分", "錯誤", "未通過", "比較:", "設定:", "提示: 形狀被轉置了", "5 誤差反向傳播法"],
    "ko": ["장", "점수", "오답", "실패", "비교:", "설정:", "힌트: 형상이 전치되어 있습니다", "5 오차역전파법"],
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _grade(lang, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DLFS_LANG", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    command = [sys.executable, "-m", "checks.grading", "--impl=mutant:affine_dw_transposed", "--component", "Affine",
               "--out", str(tmp_path / lang)]
    if lang == "ko":
        command.append("--lang=ko")  # the option, where the others use the variable
    elif lang == "zh-Hant":
        env["LANG"] = "zh_TW.UTF-8"  # the locale, as on a Taiwanese machine: no DLFS_LANG at all
    elif lang != "en":
        env["DLFS_LANG"] = lang  # English: neither, the C locale chooses it
    run = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    results = json.loads((tmp_path / lang / "results.json").read_text(encoding="utf-8"))
    return run.stdout, results


def _numbers(text):
    # the run's duration is the one number allowed to differ
    kept = [line for line in text.splitlines() if "%" not in line]
    return _NUMBER.findall("\n".join(kept))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    def grade_each():
        tmp_path = tmp_path_factory.mktemp("languages")
        return {lang: _grade(lang, tmp_path) for lang in EXPECTED}

    # five gradings, about 10 s of CPU: once per run even when the module's tests are on several workers
    return once_per_run(tmp_path_factory, "languages-end-to-end", grade_each)


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_summary_and_results_json_are_in_the_chosen_language(graded, lang):
    summary, results = graded[lang]
    for text in (summary, results["output"]):
        missing = [word for word in EXPECTED[lang] if word not in text]
        assert not missing, f"{lang}: {missing} not in\n{text}"
    failed = [test["output"] for test in results["tests"] if test["status"] == "failed"]
    assert len(failed) == 4 and all(EXPECTED[lang][4] in output for output in failed)
    if lang != "en":
        assert "failed for" not in summary and "hint:" not in summary and "compared:" not in summary


def test_values_indices_and_verdicts_are_the_same_in_every_language(graded):
    english_summary, english = graded["en"]
    for lang in ("ja", "zh", "zh-Hant", "ko"):
        summary, results = graded[lang]
        assert _numbers(summary) == _numbers(english_summary), lang
        assert (results["score"], results["max_score"]) == (english["score"], english["max_score"])
        assert [(t["name"], t["score"], t["max_score"], t["status"], t["tags"]) for t in results["tests"]] == \
            [(t["name"], t["score"], t["max_score"], t["status"], t["tags"]) for t in english["tests"]]
        assert [_numbers(t["output"]) for t in results["tests"]] == [_numbers(t["output"]) for t in english["tests"]]
        # what the class report and tools read stays English: outcome keys, counts
        assert results["extra_data"]["counts"] == english["extra_data"]["counts"]


def test_the_score_table_lines_up_in_terminal_cells(graded):
    for lang, (summary, _results) in graded.items():
        lines = summary.splitlines()
        start = next(i for i, line in enumerate(lines) if set(line) == {"-"}) - 1
        table = lines[start:start + 5]
        widths = {display_width(line) for line in table}
        assert len(widths) == 1, f"{lang}: rows of {sorted(widths)} cells\n" + "\n".join(table)
        # every count column ends where its heading ends
        header, row = table[0], table[2]
        assert display_width(header.rstrip()) == display_width(row.rstrip()), lang


@pytest.mark.parametrize("lang", ["ja", "zh", "zh-Hant", "ko"])
def test_a_numeric_diagnosis_keeps_every_value_and_index(monkeypatch, lang):
    analytic = np.array([[1.0, 2.0], [3.0, 4.5]])
    expected = np.array([[0.25, 0.5], [0.75, 1.125]])
    bad = np.ones((2, 2), dtype=bool)
    context = Context(check="check_backward_gradient_dx", component="Affine(2d)", impl="mutant:x",
                      quantity="dx from backward(dout)", reference="central differences of sum(forward(x)·dout)",
                      shapes={"x": (2, 2)}, seed=0, step=1e-6, extra={"batch_size": 4})

    def diagnosis(language):
        monkeypatch.setenv("DLFS_LANG", language)
        return describe_mismatch(analytic, expected, bad, bad, context, 1e-6, 1e-5)

    english, translated = diagnosis("en"), diagnosis(lang)
    assert _NUMBER.findall(translated) == _NUMBER.findall(english)
    assert "(1, 1)" in translated and "4.5" in translated and "§5.6.3" in translated
    assert not {"tolerance", "mismatches", "hint"} & set(re.findall(r"[a-z]+", translated))
