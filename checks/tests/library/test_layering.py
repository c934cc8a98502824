"""Dependencies point one way: `checks.library` imports nothing else from `checks` but `checks.i18n`,
which imports nothing else from `checks` at all."""

import ast
from pathlib import Path

import checks.i18n
import checks.library

LIBRARY = Path(checks.library.__file__).parent
I18N = Path(checks.i18n.__file__).parent


def _imported_modules(path, root=LIBRARY):
    package = ["checks", root.name, *path.relative_to(root).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            yield ".".join(base + ([node.module] if node.module else []))


def test_library_imports_nothing_from_the_rest_of_checks():
    outside = sorted({(str(path.relative_to(LIBRARY)), module)
                      for path in LIBRARY.rglob("*.py") for module in _imported_modules(path)
                      if module.startswith("checks") and not module.startswith(("checks.library", "checks.i18n"))})
    assert outside == []


def test_i18n_imports_nothing_from_the_rest_of_checks():
    outside = sorted({(str(path.relative_to(I18N)), module)
                      for path in I18N.rglob("*.py") for module in _imported_modules(path, I18N)
                      if module.startswith("checks") and not module.startswith("checks.i18n")})
    assert outside == []
