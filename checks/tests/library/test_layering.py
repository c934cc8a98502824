"""Dependencies point one way: `checks.library` imports nothing else from `checks`."""

import ast
from pathlib import Path

import checks.library

LIBRARY = Path(checks.library.__file__).parent


def _imported_modules(path):
    package = ["checks", "library", *path.relative_to(LIBRARY).parent.parts]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            yield ".".join(base + ([node.module] if node.module else []))


def test_library_imports_nothing_from_the_rest_of_checks():
    outside = sorted({(str(path.relative_to(LIBRARY)), module)
                      for path in LIBRARY.rglob("*.py") for module in _imported_modules(path)
                      if module.startswith("checks") and not module.startswith("checks.library")})
    assert outside == []
