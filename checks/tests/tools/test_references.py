"""Every path a comment, docstring or doc names resolves inside the repository.

Checked: paths written `checks/…`, `docs/…`, `reference/…`, `exercises/…`, `data/…`, `.ci/…`,
`.github/…` in the code (tests excepted: they name the files they create) and in the docs, and
the relative links of README.md and docs/*.md. A path that only exists elsewhere is listed in
ELSEWHERE with where it exists; a placeholder (`chNN`, `NAME`, `FILE`) is not a path.
"""

import re
from pathlib import Path

import checks

ROOT = Path(checks.__file__).resolve().parent.parent
PATH = re.compile(r"(?<![\w./-])((?:checks|docs|reference|exercises|data|\.ci|\.github)/[\w./-]*\w)")
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
PLACEHOLDER = re.compile(r"\bchNN\b|\bNAME\b|\bFILE\b|__all__")
# paths that exist, but not in this checkout
ELSEWHERE = {
    "checks/experiments": "the student kit (checks/tools/release.py writes the experiments there)",
    ".github/workflows/grade.yml": "the student kit (checks/tools/release.py, from its templates)",
    "data/cache": "created on first download (data/config.py), never committed",
}


def _documents():
    code = [path for top in ("checks", "data", "reference", "exercises") for path in sorted((ROOT / top).rglob("*.py"))
            if "tests" not in path.relative_to(ROOT).parts]
    return [*code, ROOT / "conftest.py", ROOT / "Makefile", ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def unresolved(documents, root=ROOT):
    """["file:line: path"] for every named path that exists neither here nor in ELSEWHERE."""
    missing = []
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for match in PATH.finditer(text):
            named = match.group(1).rstrip(".")
            if (root / named).exists() or named in ELSEWHERE or PLACEHOLDER.search(named):
                continue
            missing.append(f"{document.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 1}: {named}")
        if document.suffix == ".md":
            for match in LINK.finditer(text):
                target = match.group(1)
                if not target.startswith(("http://", "https://", "mailto:")) and not (document.parent / target).exists():
                    missing.append(f"{document.relative_to(root)}: link {target}")
    return missing


def test_every_named_path_resolves():
    assert unresolved(_documents()) == []


def test_a_path_to_nothing_is_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("see [there](there.md) and checks/gone.py; and docs/here.md\n")
    assert unresolved([tmp_path / "docs" / "here.md"], root=tmp_path) == [
        "docs/here.md:1: checks/gone.py", "docs/here.md: link there.md"]
