"""`python -m checks.tools.corpus.label TREE`: run each learner definition on its own against the reference checks.

For every occurrence of a graded component in TREE (`discover.py`), a scratch package
is written outside the repository: a copy of `reference/`, and one module per
occurrence holding the definitions that came before it (imports that fail are
skipped; top-level calls, loops and plots are left out), then the reference's version
of every other component (so that nothing but this one definition is the learner's),
then the definition itself. The package is graded with the current grader, restricted
to the components it replaces; a component defined several times (ch04 and ch05
TwoLayerNet, a copy in common/ and a notebook's own) takes one package per
occurrence. Parts of the book's API that no check calls yet (Trainer with each
optimizer name, save/load of the conv nets' parameters, the conv nets' own
numerical_gradient) are probed directly, inside bubblewrap when it is installed.

Prints, and writes with --out, one evidence record per occurrence: which checks pass
and which fail with their first diagnosis line, and what the probes saw. The label
itself (correct / bug / copy of the book / not present) is a maintainer's decision
made from this evidence and from reading the code; it goes in manifest.json.
"""

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .discover import SPELLINGS, discover

REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE = REPO_ROOT / "reference"
PROBED = {"Trainer", "SimpleConvNet", "DeepConvNet"}

__all__ = ["label_tree", "scratch_module_source"]


def _is_kept(node):
    """A statement a module or kernel had defined before the occurrence: imports, defs, classes, constants."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        try:
            ast.literal_eval(node.value)
            return True
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
    return False


def _absolute(node, folder):
    """A relative import of a learner's module (`from .functions import x` in common/layers.py) made absolute
    (`from common.functions import x`): the scratch module is not where the learner's file was."""
    if not isinstance(node, ast.ImportFrom) or not node.level:
        return node
    parts = [p for p in Path(folder).parts if p not in ("", ".")]
    base = parts[:len(parts) - (node.level - 1)] if node.level > 1 else parts
    module = ".".join(base + ([node.module] if node.module else []))
    return ast.ImportFrom(module=module or None, names=node.names, level=0) if module else node


def _guarded(node):
    """`node` as source, wrapped so that its failure (a missing module, an undefined base class) is skipped.

    A star import of a module that is not here (`from common.functions import *`) stands for what the book's
    modules give through it besides the components: `np`, since each of them imports numpy as np.
    """
    body = ast.unparse(node)
    if isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "module", None) == "__future__":
        return ""  # a __future__ import must come first; nothing in the book needs one
    indented = "\n".join("    " + line for line in body.splitlines())
    fallback = "pass"
    if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
        fallback = "import numpy as np"
    return f"try:\n{indented}\nexcept Exception:\n    {fallback}\n"


# Written into each scratch package: a learner's definition called the way the book calls it.
BOOK_CALLS = '''"""Call a learner's definition the way the book does, where the checks' call does not fit it.

Only when the call as made does not bind to the learner's signature (a renamed keyword: `train_flag`,
`learning_rate`; a `backward(self, dout)` without the book's default) is it made again the book's way:
every argument positionally in the book's order, the book's default for one left out, and no more
arguments than the learner's signature takes.
"""
import functools
import inspect

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _adapt(function, book_function):
    try:
        mine, book = inspect.signature(function), inspect.signature(book_function)
    except (TypeError, ValueError):
        return function
    book_names = [p.name for p in book.parameters.values() if p.kind in _POSITIONAL]
    book_defaults = {p.name: p.default for p in book.parameters.values() if p.default is not p.empty}
    varargs = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in mine.parameters.values())
    room = None if varargs else sum(p.kind in _POSITIONAL for p in mine.parameters.values())

    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            mine.bind(*args, **kwargs)
        except TypeError:
            pass
        else:
            return function(*args, **kwargs)
        try:
            given = book.bind_partial(*args, **kwargs).arguments
        except TypeError:
            return function(*args, **kwargs)
        values = []
        for name in book_names:
            if name in given:
                values.append(given[name])
            elif name in book_defaults:
                values.append(book_defaults[name])
            else:
                break
        return function(*(values if room is None else values[:room]))
    call.__book_way__ = True
    return call


def book_way(learner, book):
    """`learner` (a function or class) with its calls made the book's way where they would not bind."""
    if isinstance(learner, type) and isinstance(book, type):
        adapted = {}
        for name, member in vars(book).items():
            if inspect.isfunction(member) and (name == "__init__" or not name.startswith("__")):
                own = getattr(learner, name, None)
                if isinstance(inspect.getattr_static(learner, name, None), (staticmethod, classmethod)):
                    continue  # called as it is declared; wrapping it would pass self
                if inspect.isfunction(own):
                    adapted[name] = _adapt(own, member)
        return type(learner.__name__, (learner,), adapted) if adapted else learner
    if inspect.isfunction(learner) and callable(book):
        return _adapt(learner, book)
    return learner
'''


def scratch_module_source(occurrence, book_way=True):
    """The scratch module for one occurrence: its kernel's definitions, the reference's components, then it.

    With `book_way`, the definition is called the way the book calls it where the checks' call does not bind
    (BOOK_CALLS): a renamed keyword or a missing default is the book's contract, not the learner's bug.
    """
    # no `import numpy` of our own: a module that forgot it must fail as it would for the learner
    parts = ["# generated by checks.tools.corpus.label from " + occurrence.where,
             # the learner's own modules (a helper imported from their common/) resolve as in their tree: its root,
             # then the definition's own folder, as the book's scripts and a kernel started there see them
             "import os as _os, sys as _sys",
             "_tree = _os.path.join(_os.path.dirname(__file__), '_tree')",
             f"for _folder in ('', {str(Path(occurrence.path).parent.as_posix())!r}):",
             "    _path = _os.path.normpath(_os.path.join(_tree, _folder))",
             "    if _os.path.isdir(_path) and _path not in _sys.path:",
             "        _sys.path.insert(0, _path)"]
    context = [node for node in occurrence.before + occurrence.after if _is_kept(node)]
    folder = Path(occurrence.path).parent.as_posix()
    parts.extend(_guarded(_absolute(node, folder)) for node in context)
    parts.append("from ._ref import *  # every other component is the reference's")
    parts.append(ast.unparse(occurrence.node))
    name = occurrence.component.rsplit(".", 1)[-1]  # the book's name (ch04.TwoLayerNet is TwoLayerNet)
    if occurrence.name != name:
        parts.append(f"{name} = {occurrence.name}")
    if book_way:
        parts.append("from ._book_calls import book_way as _book_way")
        parts.append("from . import _ref as _book_ref")
        parts.append(f"{name} = _book_way({name}, _book_ref.{occurrence.component})")
    return "\n".join(parts) + "\n"


# Checks that build a graph of several components (§5.4's apple-and-orange graph takes MulLayer and AddLayer
# from the implementation): a learner's definition of one must not share a package with the other.
COMPOSED = {"AddLayer": {"MulLayer"}, "MulLayer": {"AddLayer"}}


def _layers(occurrences):
    """Occurrences split into packages holding at most one occurrence of each component, and never two
    components that one check composes."""
    layers = []
    for occurrence in occurrences:
        for layer in layers:
            if occurrence.component not in layer and not (COMPOSED.get(occurrence.component, set()) & set(layer)):
                layer[occurrence.component] = occurrence
                break
        else:
            layers.append({occurrence.component: occurrence})
    return layers


MAX_TREE_FILES = 3000
MAX_TREE_FILE_BYTES = 1 << 20


def _copy_tree(tree, target):
    """The learner's .py files (their own helpers' modules), under `target`, bounded."""
    copied = 0
    for path in sorted(Path(tree).rglob("*.py")):
        relative = path.relative_to(tree)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts) or path.is_symlink():
            continue
        if copied >= MAX_TREE_FILES or path.stat().st_size > MAX_TREE_FILE_BYTES:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)
        copied += 1


def write_package(folder, layer, tree=None):
    """A scratch package in `folder`: reference/ as `_ref`, the learner's .py files as `_tree` (not a package:
    a folder on the path), one module per occurrence, names exported."""
    folder = Path(folder)
    shutil.copytree(REFERENCE, folder / "_ref", ignore=shutil.ignore_patterns("__pycache__", "experiments"))
    (folder / "_tree").mkdir()
    if tree is not None:
        _copy_tree(tree, folder / "_tree")
    (folder / "_book_calls.py").write_text(BOOK_CALLS, encoding="utf-8")
    init = ["from ._ref import *", "from ._ref import __all__"]
    for component, occurrence in sorted(layer.items()):
        module = f"_l_{component}"
        (folder / f"{module}.py").write_text(scratch_module_source(occurrence), encoding="utf-8")
        init.append(f"from .{module} import {component}")
    (folder / "__init__.py").write_text("\n".join(init) + "\n", encoding="utf-8")


def _grade(package, components, out_dir):
    from ...grading import grade

    result = grade(str(package), out_dir=out_dir, components=sorted(components), write=out_dir is not None)
    by_component = {}
    for record in result.records:
        by_component.setdefault(record.component, []).append(record)
    return by_component


def _first_line(message):
    """A diagnosis's first line; for a check the grader blamed on a prerequisite, the check's own first line."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    if lines and lines[0].startswith("blocked:") and len(lines) > 1:
        return lines[1].removeprefix("this check:").strip()[:300]
    return lines[0][:300] if lines else ""


def _evidence(records):
    at_stake = [r for r in records if r.points]
    failed = [{"check": r.check, "case": r.case, "outcome": r.outcome, "detail": r.detail,
               "message": _first_line(r.message)} for r in records if r.outcome in ("wrong", "error", "not_attempted")]
    return {"checks": len(records), "passed": sum(r.outcome == "passed" for r in records),
            "points": round(float(sum(r.points for r in at_stake)), 4),
            "earned": round(float(sum(r.earned for r in at_stake)), 4), "failed": failed}


PROBE_SCRIPT = r'''
import json, sys, tempfile, traceback, os
import numpy as np
sys.path.insert(0, sys.argv[1])
import importlib
pkg = importlib.import_module(sys.argv[2])
ref = importlib.import_module(sys.argv[2] + "._ref")
out = {}
def run(name, fn):
    try:
        out[name] = fn() or "ok"
    except BaseException as error:
        tb = traceback.extract_tb(error.__traceback__)
        where = [f"{os.path.basename(f.filename)}:{f.lineno} {f.line}" for f in tb if "_l_" in f.filename][-1:]
        out[name] = f"{type(error).__name__}: {str(error)[:200]}" + (f" at {where[0]}" if where else "")
comps = sys.argv[3].split(",")
rng = np.random.default_rng(0)
if "Trainer" in comps:
    for key in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        def trainer(key=key):
            np.random.seed(0)
            net = ref.TwoLayerNet(4, 5, 3)
            before = {k: v.copy() for k, v in net.params.items()}
            x = rng.standard_normal((20, 4)); t = rng.integers(0, 3, 20)
            tr = pkg.Trainer(net, x, t, x, t, epochs=2, mini_batch_size=5, optimizer=key,
                             optimizer_param={"lr": 0.01}, verbose=False)
            tr.train()
            if all(np.array_equal(before[k], net.params[k]) for k in before):
                return "parameters unchanged after train()"
        run(f"Trainer(optimizer={key!r}).train()", trainer)
for net_name in ("SimpleConvNet", "DeepConvNet"):
    if net_name not in comps:
        continue
    Net = getattr(pkg, net_name)
    def roundtrip(Net=Net):
        np.random.seed(0); a = Net()
        np.random.seed(1); b = Net()
        x = rng.standard_normal((2, 1, 28, 28))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "params.pkl")
            a.save_params(path); b.load_params(path)
        ya, yb = a.predict(x), b.predict(x)
        if not np.allclose(ya, yb):
            return f"loaded network predicts differently (max diff {np.abs(ya - yb).max():.3g})"
    run(f"{net_name}.save_params/load_params", roundtrip)
if "SimpleConvNet" in comps:
    def own_numerical():
        np.random.seed(0)
        net = pkg.SimpleConvNet(input_dim=(1, 10, 10), conv_param={"filter_num": 10, "filter_size": 3, "pad": 0,
                                "stride": 1}, hidden_size=10, output_size=10, weight_init_std=0.01)
        x = np.random.rand(1, 1, 10, 10); t = np.array([1])
        num = net.numerical_gradient(x, t); grad = net.gradient(x, t)
        # the book's own pair differs by about 8e-5 here (central differences with h=1e-4 through max pooling)
        worst = max(float(np.abs(num[k] - grad[k]).max()) / max(1.0, float(np.abs(grad[k]).max())) for k in grad)
        if worst > 1e-3:
            return f"numerical_gradient and gradient differ by {worst:.3g} (relative)"
    run("SimpleConvNet.numerical_gradient vs gradient (ch07/gradient_check.py)", own_numerical)
print(json.dumps(out))
'''


def _probe(package, components):
    wanted = sorted(set(components) & PROBED)
    if not wanted:
        return {}
    command = [sys.executable, "-c", PROBE_SCRIPT, str(package.parent), package.name, ",".join(wanted)]
    if shutil.which("bwrap"):
        command = ["bwrap", "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--ro-bind", str(package.parent),
                   str(package.parent), "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--die-with-parent",
                   "--chdir", "/tmp", *command]
    try:
        ran = subprocess.run(command, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"})
    except subprocess.TimeoutExpired:
        return {"probes": "timed out after 600 s"}
    try:
        return json.loads(ran.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"probes": "could not run: " + (ran.stderr.strip().splitlines() or ["no output"])[-1][:300]}


def label_tree(tree, only=None, skip_current_copies=False, keep=None, log=print, all_definitions=False):
    """Evidence for every occurrence under `tree` (see the module's docstring): a list of dicts."""
    occurrences = [o for o in discover(tree) if (only is None or o.component in only)
                   and (all_definitions or not o.superseded)]
    evidence = []
    graded = []
    for occurrence in occurrences:
        record = {"component": occurrence.component, "name": occurrence.name, "where": occurrence.where,
                  "line": occurrence.line, "book_copy": occurrence.book_copy, "book_first": occurrence.book_first}
        evidence.append(record)
        from ...isolation.child.sandboxed import book_fingerprints as fp

        current = occurrence.book_copy and fp.book_versions(occurrence.name, occurrence.node).get("current")
        if skip_current_copies and current:
            record["result"] = "copy of the book's current code: not graded"
            continue
        graded.append((occurrence, record))
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="dlfs-label-"))
    try:
        for index, layer in enumerate(_layers([o for o, _ in graded])):
            package = work / f"dlfs_label_{index}"
            if package.exists():
                shutil.rmtree(package)
            package.mkdir(parents=True)
            write_package(package, layer, tree)
            log(f"grading package {index}: " + ", ".join(f"{c} ({o.where})" for c, o in sorted(layer.items())))
            by_component = _grade(package, layer, None)
            probes = _probe(package, layer)
            for component, occurrence in layer.items():
                record = next(r for o, r in graded if o is occurrence)
                record["result"] = _evidence(by_component.get(component, []))
                record["probes"] = {k: v for k, v in probes.items() if k.startswith(component) or k == "probes"}
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return evidence


def book_definitions(book=REPO_ROOT.parent / "shared" / "book-code"):
    """{component: canonical source of the book's current definition} read from ../shared/book-code (for --diff)."""
    from .discover import discover as find

    found = {}
    if Path(book).is_dir():
        for occurrence in find(book):
            if occurrence.cell is None and not occurrence.path.startswith("notebooks/"):
                found.setdefault(occurrence.component, ast.unparse(occurrence.node))
    return found


def diff_against_book(occurrence_source, component, book):
    """A unified diff of a definition against the book's (both unparsed: comments and layout left out)."""
    import difflib

    theirs = book.get(component)
    if theirs is None:
        return "(the book's current code has no definition of this component to compare with)"
    lines = difflib.unified_diff(theirs.splitlines(), occurrence_source.splitlines(), "book", "learner",
                                 lineterm="", n=1)
    return "\n".join(lines) or "(the same as the book's, up to names, comments and layout)"


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.tools.corpus.label", description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, help="a learner's tree (a checkout or `git archive` of a snapshot)")
    parser.add_argument("--only", default=None, help="components to label, e.g. Affine,TwoLayerNet")
    parser.add_argument("--skip-current-copies", action="store_true",
                        help="do not grade definitions identical to the book's current code (their module may "
                             "still lack an import: graded by default)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the scratch packages in this folder")
    parser.add_argument("--out", type=Path, default=None, help="write the evidence as JSON here")
    parser.add_argument("--all-definitions", action="store_true",
                        help="also label definitions superseded by a later one in the same file or notebook")
    parser.add_argument("--diff", action="store_true",
                        help="also print each learner definition's diff against the book's current code "
                             "(../shared/book-code), to confirm a label by reading")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if not args.tree.is_dir():
        print(f"{args.tree}: not a folder (expected a learner's tree)", file=sys.stderr)
        return 2
    only = set(args.only.split(",")) if args.only else None
    unknown = sorted((only or set()) - set(SPELLINGS.values()))
    if unknown:
        print(f"--only: no component named {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.diff:
        book = book_definitions()
        for occurrence in discover(args.tree):
            if (only is None or occurrence.component in only) and not occurrence.book_copy \
                    and (args.all_definitions or not occurrence.superseded):
                source = ast.unparse(occurrence.node)
                if occurrence.name != occurrence.component:
                    source = source.replace(occurrence.name, occurrence.component, 1)
                print(f"===== {occurrence.component} {occurrence.where}:{occurrence.line}")
                print(diff_against_book(source, occurrence.component, book))
        return 0
    evidence = label_tree(args.tree, only=only, skip_current_copies=args.skip_current_copies, keep=args.keep,
                          all_definitions=args.all_definitions,
                          log=lambda text: print(text, file=sys.stderr))
    text = json.dumps(evidence, indent=1, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    for record in evidence:
        result = record.get("result")
        if isinstance(result, dict):
            verdict = f"{result['passed']}/{result['checks']} checks passed, {result['earned']}/{result['points']} points"
            failures = "; ".join(f"{f['check']}[{f['case']}] {f['outcome']}: {f['message']}" for f in result["failed"][:3])
        else:
            verdict, failures = result, ""
        copy = f" (copy of the book's {record['book_first']} version)" if record["book_copy"] else ""
        print(f"{record['component']:<20} {record['where']}:{record['line']}{copy}: {verdict}")
        if failures:
            print(f"    {failures}")
        for probe, said in (record.get("probes") or {}).items():
            if said != "ok":
                print(f"    probe {probe}: {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
