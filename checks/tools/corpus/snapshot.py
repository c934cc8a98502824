"""A corpus entry's tree at its pinned commit, from a fetched snapshot or a clone.

Snapshots fetched with the search tool's `fetch` live under a mirror folder as
`owner+name/repo` (a bare git directory, or a checkout whose `.git` is one). The tree
is written with `git archive` into a cache folder outside the repository
(/work/corpus/trees by default), once per commit. With `--clone`, an entry missing
from the mirror is cloned from its URL (when online).
"""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

__all__ = ["SnapshotError", "git_dir", "materialize"]

DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_TREES = Path("/work/corpus/trees")


class SnapshotError(RuntimeError):
    """The pinned commit of an entry cannot be had here."""


def git_dir(mirror, repository):
    """The git directory of `repository` (owner/name) under `mirror`, or None."""
    base = Path(mirror) / repository.replace("/", "+", 1) / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def _has_commit(directory, commit):
    return subprocess.run(["git", f"--git-dir={directory}", "cat-file", "-e", f"{commit}^{{commit}}"],
                          capture_output=True).returncode == 0


def _clone(url, commit, into):
    into.mkdir(parents=True, exist_ok=True)
    target = into / "clone.git"
    if not target.exists():
        subprocess.run(["git", "clone", "--bare", "--quiet", url, str(target)], check=True, capture_output=True)
    return target


def materialize(entry, mirror=DEFAULT_MIRROR, trees=DEFAULT_TREES, clone=False):
    """The folder holding `entry`'s tree at its commit (written on first use)."""
    repository, commit = entry["repository"], entry["commit"]
    folder = Path(trees) / f"{repository.replace('/', '+', 1)}@{commit[:12]}"
    if (folder / ".dlfs-complete").is_file():
        return folder
    directory = git_dir(mirror, repository)
    if directory is None or not _has_commit(directory, commit):
        if not clone:
            raise SnapshotError(f"{repository}@{commit[:12]}: no snapshot under {mirror} holds this commit "
                                f"(fetch it, or run with --clone when online)")
        try:
            directory = _clone(entry["url"], commit, Path(trees) / "_clones" / repository.replace("/", "+", 1))
        except (subprocess.CalledProcessError, OSError) as error:
            raise SnapshotError(f"{repository}: cloning {entry['url']} failed ({error})") from None
        if not _has_commit(directory, commit):
            raise SnapshotError(f"{repository}: {entry['url']} has no commit {commit}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        done = subprocess.run(["git", f"--git-dir={directory}", "archive", "--format=tar", commit],
                              stdout=archive, stderr=subprocess.PIPE)
        if done.returncode != 0:
            # a snapshot missing some large blobs cannot be archived whole: write what it has
            _write_available(directory, commit, folder)
        else:
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(folder, filter="data")
    (folder / ".dlfs-complete").write_text(commit + "\n")
    return folder


def _write_available(directory, commit, folder):
    listing = subprocess.run(["git", f"--git-dir={directory}", "ls-tree", "-r", "-z", commit],
                             capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    for line in filter(None, listing.split("\0")):
        meta, _, path = line.partition("\t")
        mode, kind, blob = meta.split()
        if kind != "blob" or mode == "120000":
            continue
        data = subprocess.run(["git", f"--git-dir={directory}", "cat-file", "blob", blob], capture_output=True)
        if data.returncode != 0:
            continue
        target = folder / path
        if folder.resolve() not in target.resolve().parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.stdout)
