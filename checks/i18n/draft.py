"""`python -m checks.i18n.draft [--domain D]`: draft the Traditional Chinese (zh-Hant) entries still empty.

For maintainers, after `python -m checks.i18n.extract --update` brought new msgids: every empty
zh-Hant entry whose Simplified Chinese (zh) translation exists gets a draft — the zh text
converted by OpenCC's `s2twp` (Simplified → Traditional, Taiwan phrasing: 程式, 資料夾, 預設…),
with the glossary's terms put in as the Taiwan edition prints them (`glossary.tsv`: 誤差反向傳播法,
活化函數, 偏權值, 辨識準確度…) and the house terms and fixes below. A draft is marked fuzzy: the audit,
so `make check`, fails on "fuzzy (unreviewed) translation" until a reviewer has read it against
the English msgid, corrected it and deleted its `#, fuzzy` line. The command prints each draft
beside its msgid for that review.

OpenCC is a drafting tool, never a dependency of dlfs: `pip install opencc` where you draft.
"""

import argparse
import re
import sys

from .audit import glossary, term_pattern
from .catalogs import DOMAINS, LOCALE_DIR, catalog_path, load_catalog
from .extract import save

__all__ = ["FIXES", "SOURCE", "TARGET", "TERMS", "converter", "draft", "draft_text"]

SOURCE, TARGET = "zh", "zh-Hant"

# What review kept correcting in s2twp's output. TERMS are Simplified words set aside before the
# conversion, like the glossary's, and put back as written here: Taiwan usage for software
# (實作, 參數, 處理程序, 傳回, 拋出, 儲存庫, 遮罩, 純量, 解壓縮, 類別, 套件, 變異數, 範例, 正規化, 推論,
# 陳述式, 旗標, 逾時, 捨入) and the Taiwan edition's
# words (活化, 預設值 for initial values, 階梯函數, 濾鏡, 辨識, 常態, 函數 for the book's math
# functions where s2twp writes 函式 for code). FIXES repair what s2twp itself gets wrong.
TERMS = (
    ("激活", "活化"), ("进程", "處理程序"), ("查找", "尋找"), ("实现", "實作"), ("参数", "參數"),
    ("抛出了异常", "拋出了例外"), ("抛出", "拋出"), ("返回", "傳回"), ("代码仓库", "程式碼儲存庫"),
    ("仓库", "儲存庫"), ("掩码", "遮罩"), ("标量", "純量"), ("正态", "常態"), ("局部", "局部"),
    ("解压", "解壓縮"), ("初始值", "預設值"), ("最优化", "最佳化"), ("识别", "辨識"), ("滤波器", "濾鏡"),
    ("噪声", "雜訊"), ("复现", "重現"), ("像素", "像素"), ("推导", "推導"), ("阶跃函数", "階梯函數"),
    ("阶跃", "階梯"), ("sigmoid 函数", "sigmoid 函數"), ("softmax 函数", "softmax 函數"),
    ("二次函数", "二次函數"), ("恒等函数", "恆等函數"), ("分类", "分類"), ("类型", "類型"),
    ("种类", "種類"), ("类", "類別"), ("exercises 包", "exercises 套件"), ("包（", "套件（"),
    ("包、", "套件、"), ("均值", "平均值"), ("平均值", "平均值"),
    ("方差", "變異數"), ("示例", "範例"), ("构建", "建立"), ("滑动平均", "移動平均"), ("归一化", "正規化"),
    ("推理", "推論"), ("条语句", "個陳述式"), ("语句", "陳述式"), ("文本", "文字"), ("标志", "旗標"),
    ("更改", "變更"), ("抛出异常", "拋出例外"), ("超时", "逾時"), ("舍入", "捨入"),
)
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"  # CJK punctuation, ideographs, full-width forms
# s2twp writes 隻 (the measure word for animals) for 只 "only": dlfs never counts animals.
FIXES = (
    (r"批(?!次)", "批次"), ("箇中", "個中"), ("併為", "並為"), ("隻", "只"), ("“", "「"), ("”", "」"),
)


def converter():
    """OpenCC's s2twp converter (ImportError with the install line when opencc is missing)."""
    try:
        import opencc
    except ImportError as error:
        raise ImportError("drafting zh-Hant needs OpenCC, a maintainer's tool that dlfs never imports at run time: "
                          "pip install opencc") from error
    return opencc.OpenCC("s2twp")


def draft_text(text, convert, terms=None):
    """`text` (Simplified) drafted in Taiwan Traditional: glossary terms and TERMS set aside, s2twp, FIXES."""
    terms = glossary() if terms is None else terms
    # the glossary's zh terms and TERMS are set aside before the conversion (s2twp would write
    # 啟用函式 for 激活函数) and come back as written; longest first, so 权重的初始值 wins over 初始值.
    # One-character glossary terms (批) are left to FIXES: as substrings they would hit other words.
    pairs = [(row[SOURCE], row[TARGET]) for row in terms if len(row[SOURCE]) > 1 and row[SOURCE] != row["en"]]
    slots = []
    for before, after in sorted([*pairs, *TERMS], key=lambda pair: -len(pair[0])):
        if before in text:
            text = text.replace(before, f"\ue000{len(slots)}\ue001")
            slots.append(after)
    text = convert(text)
    for index, term in enumerate(slots):
        text = text.replace(f"\ue000{index}\ue001", term)
    # where the mainland edition keeps the English word (mini-batch) and the Taiwan edition does not
    # (小批次), the word is the term: replaced where it stands as a word, never inside code
    # (mini_batch_size), without the spaces that set the English word apart from Chinese text
    for row in terms:
        if row[SOURCE] == row["en"] != row[TARGET]:
            word = re.escape(row[TARGET])
            text = term_pattern(row["en"]).sub(row[TARGET], text)
            text = re.sub(f"(?<=[{_CJK}]) (?={word})|(?<={word}) (?=[{_CJK}])", "", text)
    for pattern, replacement in FIXES:
        text = re.sub(pattern, replacement, text)
    return text


def draft(domain, locale_dir=LOCALE_DIR, convert=None):
    """Draft `domain`'s empty zh-Hant entries (fuzzy) from zh; returns [(msgid, draft)] and [msgid without zh]."""
    source = load_catalog(domain, SOURCE, locale_dir)
    target = load_catalog(domain, TARGET, locale_dir)
    if target is None:
        raise FileNotFoundError(f"{catalog_path(domain, TARGET, locale_dir)} is missing: "
                                "run python -m checks.i18n.extract --update first")
    convert = convert or converter().convert
    terms = glossary()
    drafted, without = [], []
    for message in target:
        if not message.id or message.string:
            continue
        original = source.get(message.id) if source is not None else None
        if original is None or not original.string or original.fuzzy:
            without.append(message.id)
            continue
        message.string = draft_text(original.string, convert, terms)
        message.flags.add("fuzzy")
        drafted.append((message.id, message.string))
    if drafted:
        save(target, catalog_path(domain, TARGET, locale_dir))
    return drafted, without


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m checks.i18n.draft", description=__doc__.splitlines()[0])
    parser.add_argument("--domain", choices=DOMAINS, action="append", help="only this domain (repeatable)")
    args = parser.parse_args(argv)
    convert = converter().convert
    for domain in args.domain or DOMAINS:
        drafted, without = draft(domain, convert=convert)
        for msgid, text in drafted:
            print(f"{domain}: {msgid!r}\n    draft: {text}")
        for msgid in without:
            print(f"{domain}: {msgid!r}\n    no zh translation to draft from: translate it by hand")
        print(f"{domain}/{TARGET}: {len(drafted)} draft(s) to review (then delete their '#, fuzzy' lines), "
              f"{len(without)} to translate by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
