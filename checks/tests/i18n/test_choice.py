"""How the language is chosen, and that text follows it (issue #15)."""

import os

import pytest

from checks.i18n import N_, display_width, language, ljust, rjust, set_language, translator


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
    ({"LANG": "zh_HK.Big5-HKSCS"}, "zh-Hant"),
    ({"LC_ALL": "zh_TW", "LANG": "zh_CN.UTF-8"}, "zh-Hant"),
    ({"LANG": "zh_Hant_TW.UTF-8"}, "zh-Hant"),
    ({"LANG": "zh_SG.UTF-8"}, "zh"),
    ({"LANG": "zh.UTF-8"}, "zh"),
    ({"LANG": "zh"}, "zh"),
    ({"LANG": "zh_CN.GB18030@stroke"}, "zh"),
    ({"LC_ALL": "ko_KR.UTF-8", "LANG": "ja_JP.UTF-8"}, "ko"),
    ({"LC_MESSAGES": "ja_JP", "LANG": "C.UTF-8"}, "ja"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"DLFS_LANG": "zh", "LANG": "ja_JP.UTF-8"}, "zh"),
    ({"DLFS_LANG": "KO"}, "ko"),
    ({"DLFS_LANG": "zh-Hant", "LANG": "zh_CN.UTF-8"}, "zh-Hant"),
    ({"DLFS_LANG": "zh_hant"}, "zh-Hant"),
    ({"DLFS_LANG": "ZH-TW"}, "zh-Hant"),
    ({"DLFS_LANG": "zh-Hans", "LANG": "zh_TW.UTF-8"}, "zh"),
    ({"DLFS_LANG": "zh", "LANG": "zh_TW.UTF-8"}, "zh"),
])
def test_language_comes_from_dlfs_lang_then_the_locale_then_english(environ, expected):
    assert language(environ) == expected


def test_an_unknown_dlfs_lang_names_the_variable_the_value_and_the_choices():
    with pytest.raises(ValueError, match=r"DLFS_LANG is 'fr': expected one of en, ja, zh, zh-Hant, ko"):
        language({"DLFS_LANG": "fr"})
    with pytest.raises(ValueError, match=r"DLFS_LANG is 'zh-Latn'"):
        language({"DLFS_LANG": "zh-Latn"})


def test_set_language_exports_dlfs_lang_for_child_processes(monkeypatch):
    monkeypatch.setenv("DLFS_LANG", "")  # restored after the test: set_language writes os.environ
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert set_language(None) == "ja"
    assert set_language("ko") == "ko"
    assert os.environ["DLFS_LANG"] == "ko" and language() == "ko"
    assert set_language("zh_TW") == "zh-Hant" and os.environ["DLFS_LANG"] == "zh-Hant"
    with pytest.raises(ValueError, match=r"--lang is 'jp'"):
        set_language("jp")


def test_translations_follow_the_language_with_named_placeholders(monkeypatch):
    _ = translator("grading")
    text = N_("only samples {rows} of the batch are wrong: something mixes samples or depends on the batch "
              "position", rows="[0, 2]")
    monkeypatch.setenv("DLFS_LANG", "en")
    assert _("seed {seed}", seed=3) == "seed 3"
    assert _(text).startswith("only samples [0, 2] of the batch")
    monkeypatch.setenv("DLFS_LANG", "ja")
    assert _("seed {seed}", seed=3) == "シード 3"
    assert _(text).startswith("バッチのうちサンプル [0, 2] だけ")
    monkeypatch.setenv("DLFS_LANG", "zh")
    assert _("hint: {hint}", hint="x") == "提示: x"
    monkeypatch.setenv("DLFS_LANG", "zh-Hant")
    assert _("seed {seed}", seed=3) == "隨機種子 3"
    assert _(text).startswith("批次中只有樣本 [0, 2] 出錯")
    monkeypatch.setenv("DLFS_LANG", "ko")
    assert _("hint: {hint}", hint="x") == "힌트: x"
    assert _("") == ""
    assert str(text) == text.format() and text.startswith("only samples")  # the English text, for the rules


def test_widths_count_wide_characters_as_two_cells():
    assert display_width("勾配") == 4 and display_width("grad") == 4
    assert ljust("勾配", 6) == "勾配  " and rjust("기울기", 8) == "  기울기"


def test_the_gradescope_setting_language_becomes_lang(tmp_path):
    from checks.grading.autograder import settings
    from checks.grading.gradescope import load_config

    path = tmp_path / "autograder.json"
    path.write_text('{"chapters": [5], "language": "ja"}', encoding="utf-8")
    chosen = settings(load_config(path))
    assert chosen["language"] == "ja" and chosen["chapters"] == [5]
    assert settings(load_config(path), "--lang zh --chapter 3")["language"] == "zh"  # DLFS_GRADE_ARGS wins
    path.write_text('{"language": "jp"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"language: expected null or one of en, ja, zh, zh-Hant, ko, got 'jp'"):
        load_config(path)


def test_what_the_sandboxed_process_says_about_a_missing_component_is_translated(monkeypatch):
    from checks.library.errors import MissingComponent

    detail = ("common/layers.py defines none of Affine; ch05/layers.py failed to import:\n"
              "Traceback (most recent call last):\nNameError: name 'np' is not defined; sorry")
    monkeypatch.setenv("DLFS_LANG", "en")
    assert str(MissingComponent("Affine", detail)) == f"Affine is missing from the implementation: {detail}"
    monkeypatch.setenv("DLFS_LANG", "ja")
    assert str(MissingComponent("Affine", detail)) == (
        "Affine が実装にありません: common/layers.py には Affine の定義がありません; ch05/layers.py の import に"
        "失敗しました:\nTraceback (most recent call last):\nNameError: name 'np' is not defined; sorry")
    assert str(MissingComponent("Affine", "exercises defines no Affine yet")).endswith(
        "exercises はまだ Affine を定義していません")
    assert str(MissingComponent("Affine", "something new")).endswith(": something new")  # unknown: kept as it is
