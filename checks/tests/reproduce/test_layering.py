"""checks/reproduce's modules depend one way (no import cycle, counting imports inside functions) and take no
private name from one another; the experiments can be shipped unchanged (no import of `reference` or of the
tuned kernels by name)."""

import ast
from pathlib import Path

import checks.reproduce
import reference.experiments

PACKAGE = Path(checks.reproduce.__file__).parent


def _module_name(path):
    relative = path.relative_to(PACKAGE.parent.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path):
    """(module imported, names) for every import in ``path``, relative ones resolved, function bodies included."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _level in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
            found.append((target, [alias.name for alias in node.names], node.level))
        elif isinstance(node, ast.Import):
            found += [(alias.name, [], 0) for alias in node.names]
    return found


def _graph():
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target, names, _level in _imports(path):
            for candidate in [f"{target}.{n}" for n in names] + [target]:
                if candidate in modules and candidate != name:
                    edges.add(candidate)
                    break
        graph[name] = edges
    return graph, modules


def _cycle(graph):
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    graph, _ = _graph()
    assert "checks.reproduce.claims.ch06" in graph and graph["checks.reproduce.runner"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_takes_a_private_name_from_another():
    _, modules = _graph()
    private = [(name, target, imported) for name, path in modules.items() for target, names, _level in _imports(path)
               if target.startswith("checks.") for imported in names
               if imported.startswith("_") and imported != "_" and target != name]
    assert private == []


def test_the_experiments_name_neither_the_reference_nor_its_kernels():
    # The student kit ships reference/experiments as it is, without reference/: they reach the
    # implementation through `lib` (or _common.resolve_lib) and the kernels through _common.
    folder = Path(reference.experiments.__file__).parent
    for path in folder.glob("*.py"):
        for target, _names, level in _imports(path):
            assert level or not target.startswith("reference"), (path.name, target)
        text = path.read_text(encoding="utf-8")
        assert "from ..fast" not in text and "import_module(\"reference\")" not in text, path.name
