"""The import graph of dlfs's packages (checks/, data/, reference/, exercises/) has no cycle.

Two levels are checked, both counting imports made inside functions (a deferred import still
ties two modules together; deferring it only hides the cycle from Python):
- modules: no module reaches itself through its imports;
- role folders: the folders of `checks/` (library, isolation, grading, reproduce, tools, …)
  and the other top-level packages depend one way, so that each role can be read and
  tested from the ones below it (docs/contributing.md, "Where things live").
The test folders are left out: tests may import anything.
"""

import ast
from pathlib import Path

import checks

ROOT = Path(checks.__file__).resolve().parent.parent
PACKAGES = ("checks", "data", "reference", "exercises")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "tests" not in path.relative_to(ROOT).parts:
                found[_module_name(path)] = path
    return found


def _imported(path):
    """(submodule, module) for every name `path` imports, relative imports resolved, function bodies
    included: the name is the submodule when there is one (`from . import copies`), else in the module."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
            # `from a import b` imports the module a.b when there is one, else a name of module a
            yield from ((f"{target}.{alias.name}", target) for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from ((alias.name, alias.name) for alias in node.names)


def module_graph():
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        targets = {submodule if submodule in modules else module for submodule, module in _imported(path)}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def role_of(module):
    """`checks.grading.run` → `checks.grading`; `checks.cli` → `checks.cli` (a module of its own at the top of
    checks/); `reference.layers.x` → `reference`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "checks" and len(parts) > 1 else parts[0]


def role_graph(graph):
    roles = {}
    for module, targets in graph.items():
        edges = roles.setdefault(role_of(module), set())
        edges.update(role_of(t) for t in targets if role_of(t) != role_of(module))
    return roles


def find_cycle(graph):
    """One cycle of `graph` ({node: targets}) as [a, b, …, a], or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _edges_of(cycle, graph):
    """Which module imports make each step of a role cycle (the lines a fix has to move)."""
    return [f"{module} → {target}" for a, b in zip(cycle, cycle[1:])
            for module, targets in sorted(graph.items()) if role_of(module) == a
            for target in sorted(targets) if role_of(target) == b]


def test_no_module_imports_itself_back():
    graph = module_graph()
    assert "checks.grading.run" in graph and graph["checks.grading.run"], "the graph found no imports"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_role_folders_depend_one_way():
    graph = module_graph()
    roles = role_graph(graph)
    assert {"checks.library", "checks.isolation", "checks.grading", "checks.tools", "reference"} <= set(roles)
    cycle = find_cycle(roles)
    assert cycle is None, "role folders in a cycle: " + " → ".join(cycle) + "\n" + "\n".join(_edges_of(cycle, graph))


def test_the_cycle_finder_finds_a_cycle_and_names_its_imports():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph = {"checks.tools.x": {"checks.grading.y"}, "checks.grading.y": {"checks.tools.x"}}
    cycle = find_cycle(role_graph(graph))
    assert _edges_of(cycle, graph) == ["checks.grading.y → checks.tools.x", "checks.tools.x → checks.grading.y"]
