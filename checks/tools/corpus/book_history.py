"""`python -m checks.tools.corpus.book_history --repo GITDIR [--repo GITDIR …]`: rebuild book_fingerprints.json.

Reads every commit of each given git directory (a snapshot of the book's official
repository, `oreilly-japan/deep-learning-from-scratch`, or of an official translation's,
`WegraLee/deep-learning-from-scratch`), every version of every `.py` file and notebook
under `common/`, `ch0*/`, `dataset/` and `notebooks/`, and writes, for each top-level
function and class and each method, the fingerprints of its versions with the commits
and dates each was published in (`checks/isolation/child/sandboxed/book_fingerprints.py`
explains the fingerprint). Only hashes, names, paths, commits and dates are written:
never the book's code.

A maintainer's tool (it needs the snapshots: `fetch` in /work/.library/search/README.md,
or `git clone`); docs/corpus.md says when to run it.
"""

import argparse
import ast
import json
import subprocess
import sys
from pathlib import Path

from ...isolation.child.sandboxed import book_fingerprints as fp

DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_REPOS = ("oreilly-japan/deep-learning-from-scratch", "WegraLee/deep-learning-from-scratch")
FOLDERS = ("common/", "dataset/", "notebooks/")


def _tracked(path):
    """Whether a path in the book's tree holds code whose definitions are fingerprinted."""
    top = path.split("/", 1)[0]
    if not (path.startswith(FOLDERS) or (top.startswith("ch0") and "/" in path)):
        return False
    return path.endswith((".py", ".ipynb"))


def repo_name(git_dir):
    """`owner/name` of a snapshot fetched to /work/.mirror/owner+name/repo[/.git] (else the folder's name)."""
    git_dir = Path(git_dir).resolve()
    for part in (git_dir.name, git_dir.parent.name, git_dir.parent.parent.name):
        if "+" in part:
            return part.replace("+", "/", 1)
    return git_dir.name


def _git(git_dir, *args):
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True,
                          text=True).stdout


def _commits(git_dir):
    """[(full hash, committer date YYYY-MM-DD)] of every published commit (the default branch), oldest first."""
    text = _git(git_dir, "log", "HEAD", "--reverse", "--date-order", "--format=%H %cs")
    return [tuple(line.split()) for line in text.splitlines() if line.strip()]


def _blobs(git_dir, commit):
    """{path: blob id} of the tracked files in one commit."""
    text = _git(git_dir, "ls-tree", "-r", "--full-tree", commit)
    found = {}
    for line in text.splitlines():
        meta, _, path = line.partition("\t")
        mode, kind, blob = meta.split()
        if kind == "blob" and _tracked(path):
            found[path] = blob
    return found


def _read_blobs(git_dir, blobs):
    """{blob id: bytes} (blobs missing from a partial snapshot are left out)."""
    process = subprocess.Popen(["git", f"--git-dir={git_dir}", "cat-file", "--batch"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    out = {}
    for blob in blobs:
        process.stdin.write(blob.encode() + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        out[blob] = process.stdout.read(size)
        process.stdout.read(1)  # the newline after each object
    process.stdin.close()
    process.wait()
    return out


def _trees(path, data):
    """The syntax trees in one file version: the module, or each notebook code cell."""
    text = data.decode("utf-8", "replace")
    if path.endswith(".py"):
        tree = _parse(text)
        return [tree] if tree is not None else []
    try:
        cells = json.loads(text).get("cells", [])
    except ValueError:
        return []
    trees = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            tree = fp.parse_cell("".join(source) if isinstance(source, list) else str(source))
            if tree is not None:
                trees.append(tree)
    return trees


def _parse(text):
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def collect(git_dir, name=None):
    """{(definition name, hash): provenance} for every version in one repository."""
    name = name or repo_name(git_dir)
    commits = _commits(git_dir)
    seen_at = {}  # blob -> {"path": set, "commits": [(commit, date)]}
    head = _git(git_dir, "rev-parse", "HEAD").strip()
    head_blobs = set()
    for commit, date in commits:
        for path, blob in _blobs(git_dir, commit).items():
            entry = seen_at.setdefault(blob, {"paths": set(), "commits": []})
            entry["paths"].add(path)
            entry["commits"].append((commit, date))
            if commit == head:
                head_blobs.add(blob)
    contents = _read_blobs(git_dir, list(seen_at))
    found = {}
    for blob, entry in seen_at.items():
        if blob not in contents:
            continue
        path = sorted(entry["paths"])[0]
        for tree in _trees(path, contents[blob]):
            for qualified, node in fp.definitions(tree):
                try:
                    digest = fp.fingerprint(node)
                except RecursionError:
                    continue
                record = found.setdefault((qualified, digest), {
                    "hash": digest, "first": None, "last": None, "first_commit": None, "last_commit": None,
                    "repos": set(), "paths": set(), "current": False})
                record["repos"].add(name)
                record["paths"].update(entry["paths"])
                record["current"] = record["current"] or blob in head_blobs
                for commit, date in entry["commits"]:
                    if record["first"] is None or (date, commit) < (record["first"], record["first_commit"]):
                        record["first"], record["first_commit"] = date, commit
                    if record["last"] is None or (date, commit) > (record["last"], record["last_commit"]):
                        record["last"], record["last_commit"] = date, commit
    source = {"repo": name, "head": head, "commits": len(commits),
              "first": commits[0][1] if commits else None, "last": commits[-1][1] if commits else None,
              "missing_blobs": len(seen_at) - len(contents)}
    return found, source


def build(git_dirs):
    """The data file's content for the given repositories: {canonical, sources, definitions}."""
    merged, sources = {}, []
    for git_dir in git_dirs:
        found, source = collect(git_dir)
        sources.append(source)
        for key, record in found.items():
            mine = merged.get(key)
            if mine is None:
                merged[key] = record
                continue
            mine["repos"] |= record["repos"]
            mine["paths"] |= record["paths"]
            mine["current"] = mine["current"] or record["current"]
            if (record["first"], record["first_commit"]) < (mine["first"], mine["first_commit"]):
                mine["first"], mine["first_commit"] = record["first"], record["first_commit"]
            if (record["last"], record["last_commit"]) > (mine["last"], mine["last_commit"]):
                mine["last"], mine["last_commit"] = record["last"], record["last_commit"]
    definitions = {}
    for (qualified, _digest), record in sorted(merged.items(), key=lambda item: (item[0][0], item[1]["first"],
                                                                                  item[1]["hash"])):
        definitions.setdefault(qualified, []).append({
            **record, "first_commit": record["first_commit"][:12], "last_commit": record["last_commit"][:12],
            "repos": sorted(record["repos"]), "paths": sorted(record["paths"])})
    return {"format": 1, "canonical": fp.CANONICAL,
            "about": "Fingerprints of the book's published definitions (hashes only, no code); "
                     "rebuilt by python -m checks.tools.corpus.book_history",
            "sources": sources, "definitions": definitions}


def _parser():
    parser = argparse.ArgumentParser(prog="python -m checks.tools.corpus.book_history",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--repo", action="append", metavar="GITDIR",
                        help="a git directory of the book's repository or an official translation's (repeatable; "
                             "default: the snapshots of " + ", ".join(DEFAULT_REPOS) + " under --mirror)")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="where fetched snapshots are")
    parser.add_argument("--out", type=Path, default=fp.DATA_FILE, help="the data file to write")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    git_dirs = args.repo or [args.mirror / repo.replace("/", "+") / "repo" for repo in DEFAULT_REPOS]
    for git_dir in git_dirs:
        if not Path(git_dir).is_dir():
            print(f"--repo {git_dir}: no such git directory (fetch the snapshot or git clone --mirror it)",
                  file=sys.stderr)
            return 2
    data = build(git_dirs)
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    count = sum(len(v) for v in data["definitions"].values())
    print(f"{args.out}: {len(data['definitions'])} names, {count} versions from "
          + ", ".join(f"{s['repo']} ({s['commits']} commits, {s['first']}..{s['last']})" for s in data["sources"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
