"""Which chapter of the book a learner's file, notebook or notebook cell belongs to.

Learners name their work after the chapter in many ways: `ch04/`, `chapter4`, `Ch05.ipynb`,
`C03/note.ipynb`, `04_backprop.ipynb`, `ch3-work.ipynb`, `4.2.1.ipynb` (a section), `4章`,
`第4章`, `第四章`, `4장`. The book's own notebooks name the file a cell holds in a markdown
cell before it (`# ch05/two_layer_net.py`), and learners head their notebooks' parts
with the chapter (`## 5章 誤差逆伝播法`, `# Chapter 5`). Only chapters 1 to 8 exist; a
folder or file naming none of them (`common/`, `Untitled.ipynb`) has no chapter.
"""

import ast
import re

__all__ = ["chapter_of_heading", "chapter_of_path", "chapter_of_part", "owner"]

_CJK_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_PATTERNS = (
    # ch04, chapter_5, Chap3, C03 (not "batch4", "research2": the word starts there)
    re.compile(r"(?<![a-z])(?:chapter|chap|ch|c)[\s._-]*0*([1-8])(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)0*([1-8])\s*[章장]"),
    re.compile(r"第\s*([一二三四五六七八])\s*章"),
    # 04_backprop, 4.2.1 (a section), 05-notes, 5
    re.compile(r"^0*([1-8])(?:[._\s-]|$)"),
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*)$")


def chapter_of_part(text):
    """The chapter one path part or heading names (`ch04` → 4), or None."""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            value = match.group(1)
            return _CJK_DIGITS.get(value) or int(value)
    return None


def chapter_of_path(relative):
    """The chapter of a file from its path inside the learner's folder: its innermost part naming one.

    `book1/ch04/test.ipynb` → 4, `01/ch02/2.3.2.ipynb` → 2, `notebooks/ch05.ipynb` → 5, `common/layers.py` → None.
    """
    parts = str(relative).replace("\\", "/").split("/")
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        if index == len(parts) - 1:
            part = part.rsplit(".", 1)[0] if "." in part else part
        found = chapter_of_part(part)
        if found is not None:
            return found
    return None


def chapter_of_heading(markdown):
    """The chapter a markdown cell's heading line names (`## 第5章 误差反向传播法`), or None.

    Only a heading that says "chapter" (in any of the book's languages) counts: a section
    number alone (`## 5.6 Affine`) is a section, and a cell naming a book file
    (`# ch05/two_layer_net.py`) is a marker, read elsewhere.
    """
    for line in markdown.splitlines()[:3]:
        match = _HEADING.match(line)
        if not match:
            continue
        text = match.group(1).strip()
        if "/" in text and text.endswith(".py"):
            return None
        if re.search(r"(?i)\b(?:chapter|chap|ch)[\s._-]*0*[1-8](?!\d)", text) or re.search(r"[章장]", text):
            found = chapter_of_part(text)
            if found is not None:
                return found
    return None


def owner(node, chapter, rows):
    """Which of the components sharing a name a definition is (the ch04 or the ch05 TwoLayerNet), or None: either.

    `node` is the definition (ast), `chapter` the chapter of where it lies (or None), `rows`
    {component: {"chapter": int, "built_on": [names of its prerequisites]}}. What it is built on
    decides first: a class calling Affine, Relu and SoftmaxWithLoss is §5.7's network wherever it
    lies, one calling sigmoid and softmax §4.5's (names both are built on do not count). Where its
    body says neither, the nearest chapter decides.
    """
    used = _names_used(node)
    shared = set.intersection(*(set(row.get("built_on", ())) for row in rows.values()))
    score = {name: len(used & (set(row.get("built_on", ())) - shared)) for name, row in rows.items()}
    best = max(score.values())
    if best and list(score.values()).count(best) == 1:
        return max(score, key=score.get)
    known = {name: row["chapter"] for name, row in rows.items() if row.get("chapter") is not None}
    if chapter is None or not known:
        return None
    return min(known, key=lambda name: (abs(chapter - known[name]), known[name]))


def _names_used(node):
    """Every name and attribute a definition's body refers to (`np.exp(x)` gives np, exp and x)."""
    used = set()
    for child in ast.walk(node) if node is not None else ():
        if isinstance(child, ast.Name):
            used.add(child.id)
        elif isinstance(child, ast.Attribute):
            used.add(child.attr)
    return used
