"""A class graded in shards, resumed and merged: what `grade-all --shard I/N` and `--merge` rest on.

- **Slices.** Submission NAME belongs to shard `1 + int(sha256(NAME)) mod N` (`shard_of`):
  the same slices on every machine whatever order a file system lists a folder in, and a
  submission added late moves no other between shards.
- **The grader's fingerprint** (`grader_fingerprint`): a digest of the dlfs version, the
  source of the checks, the points, the grading code and its catalogs (not the batch's own
  modules, which only write the class's files), and the options that change a verdict
  (components, chapters, time limits, language). Machines running the same checkout with
  the same options compute the same fingerprint.
- **A submission's digest** (`submission_digest`): a digest of what was submitted (a zip's
  bytes; a folder's names, kinds and contents, never following a link, without `.git/` and
  caches, so that cloning the same commit again is no change).
- **The record**: every results.json grade-all writes carries both in
  `extra_data["grade_all"]`, with its scores.csv row. A rerun into the same folder keeps a
  submission whose record has the same fingerprint and digest (`reusable`) and regrades
  the others; what failed for a reason outside the submission (an error of the grader) is
  always regraded.
- **The manifest** (`grade-all.json` in the output folder): the shard, the fingerprint and
  every submission name listed, so that `merge` can check that its shards are the N slices
  of one folder graded by one grader, none missing, none twice.
"""

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .report import RESULTS_NAME, write_atomic

__all__ = ["MANIFEST_NAME", "NOT_CONTENT", "RECORD_KEY", "Shard", "ShardError", "grader_fingerprint", "parse_shard", "read_manifest",
           "read_record", "reusable", "shard_of", "submission_digest", "write_manifest"]

MANIFEST_NAME = "grade-all.json"
RECORD_KEY = "grade_all"  # results.json's extra_data key of the record
_REPO_ROOT = Path(__file__).resolve().parents[2]
# what decides a verdict or its text: the checks, the points, the grading and isolation code,
# the catalogs (the language of the messages) and the pytest configuration they run under
_GRADER_SOURCES = ("checks/library", "checks/suite", "checks/grading", "checks/isolation", "checks/i18n",
                   "conftest.py", "pyproject.toml")
_GRADER_SUFFIXES = {".py", ".json", ".po", ".tsv", ".toml"}
# the batch's own modules: they write the class's files (scores.csv, report.html, canvas.csv),
# always rewritten from the rows, never a submission's result
_NOT_GRADER = {"checks/grading/batch.py", "checks/grading/class_report.py", "checks/grading/exports.py",
               "checks/grading/shards.py"}
_CHUNK = 1 << 20
# entries of a submission that are not what it submits: version control's, caches, Finder's (a fresh
# `git clone` of the same commit has another .git/index, and must not be graded again)
NOT_CONTENT = frozenset({".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", "__MACOSX", ".DS_Store"})


class ShardError(ValueError):
    """Shards that cannot be merged, or a --shard value that is not I/N."""


@dataclass(frozen=True)
class Shard:
    """The `index`-th (1-based) of `count` slices."""

    index: int = 1
    count: int = 1

    def __str__(self):
        return f"{self.index}/{self.count}"

    def holds(self, name):
        return shard_of(name, self.count) == self.index


def parse_shard(text):
    """`Shard` of "I/N" (1 ≤ I ≤ N); ShardError saying what was expected otherwise."""
    index, slash, count = str(text).partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        shard = None
    if not slash or shard is None or not 1 <= shard.index <= shard.count:
        raise ShardError(f"--shard: expected I/N with 1 ≤ I ≤ N (the I-th of N slices, e.g. 2/8), got {text!r}")
    return shard


def shard_of(name, count):
    """The shard (1…count) of the submission named `name`: its SHA-256, modulo `count`."""
    digest = hashlib.sha256(os.fsencode(name)).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def _version():
    try:
        return metadata.version("dlfs")
    except metadata.PackageNotFoundError:  # a checkout used without installing it
        return "unknown"


def grader_fingerprint(options, root=_REPO_ROOT):
    """A hex digest naming the grader: version, sources of checks and points, and `options` (a dict of
    what changes a verdict; values JSON-serializable). Equal on every machine with the same checkout."""
    from ..i18n import language

    digest = hashlib.sha256()
    digest.update(f"dlfs {_version()}\n".encode())
    for entry in _GRADER_SOURCES:
        path = root / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            relative = file.relative_to(root).as_posix()
            if (file.suffix not in _GRADER_SUFFIXES or "__pycache__" in file.parts or not file.is_file()
                    or relative in _NOT_GRADER):
                continue
            digest.update(relative.encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    chosen = {key: value for key, value in sorted(options.items())}
    chosen["language"] = language()
    digest.update(json.dumps(chosen, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:32]


def _hash_file(digest, path):
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)


def submission_digest(path):
    """A hex digest of what `path` (a zip or a folder) holds: names, kinds and contents, but not
    version control's folders and caches (NOT_CONTENT); links are hashed as their targets'
    text, never followed; what cannot be read enters as its error."""
    path = Path(path)
    digest = hashlib.sha256()
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"unreadable:{type(error).__name__}"
    if not stat.S_ISDIR(mode):
        digest.update(b"file\0")
        try:
            if stat.S_ISREG(mode):
                _hash_file(digest, path)
            else:
                digest.update(f"special {stat.S_IFMT(mode):o}".encode())
        except OSError as error:
            digest.update(f"error {type(error).__name__}".encode())
        return digest.hexdigest()[:32]

    def walk(folder, relative):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: os.fsencode(entry.name))
        except OSError as error:
            digest.update(f"unreadable {relative} {type(error).__name__}\0".encode(errors="surrogateescape"))
            return
        for entry in entries:
            if entry.name in NOT_CONTENT:
                continue
            name = relative + os.fsencode(entry.name)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    digest.update(b"link\0" + name + b"\0" + os.fsencode(os.readlink(entry.path)) + b"\0")
                elif stat.S_ISDIR(mode):
                    digest.update(b"dir\0" + name + b"\0")
                    walk(entry.path, name + b"/")
                elif stat.S_ISREG(mode):
                    digest.update(b"file\0" + name + b"\0")
                    _hash_file(digest, entry.path)
                    digest.update(b"\0")
                else:
                    digest.update(f"special {stat.S_IFMT(mode):o}\0".encode() + name + b"\0")
            except OSError as error:
                digest.update(b"error\0" + name + f" {type(error).__name__}\0".encode())

    walk(path, b"")
    return digest.hexdigest()[:32]


def read_record(folder):
    """The grade-all record of the results.json in `folder` (a dict), or None."""
    try:
        data = json.loads((Path(folder) / RESULTS_NAME).read_text(encoding="utf-8"))
        record = data["extra_data"][RECORD_KEY]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("row"), dict) else None


def reusable(record, fingerprint, digest):
    """The record's row when it was graded by the same grader from the same content, and its
    outcome did not depend on the machine (an error of the grader is regraded); else None."""
    if (record and record.get("grader") == fingerprint and record.get("submission") == digest
            and not record.get("retry")):
        return dict(record["row"])
    return None


def write_manifest(out_dir, shard, fingerprint, listed, graded):
    """`out_dir`/grade-all.json: which shard this folder holds, by which grader, of which submissions."""
    payload = {"shard": shard.index, "shards": shard.count, "grader": fingerprint,
               "listed": sorted(listed), "graded": sorted(graded)}
    # ASCII: a name that is not UTF-8 (a lone surrogate) round-trips as \udcxx
    write_atomic(Path(out_dir) / MANIFEST_NAME, json.dumps(payload, indent=1) + "\n")


def read_manifest(out_dir):
    """The manifest of `out_dir` (dict); ShardError naming the folder when it has none."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
        for key, kind in (("shard", int), ("shards", int), ("grader", str), ("listed", list), ("graded", list)):
            if not isinstance(manifest.get(key), kind):
                raise ValueError(f"{key!r} missing or not a {kind.__name__}")
    except FileNotFoundError:
        raise ShardError(f"{out_dir}: no {MANIFEST_NAME}; expected the --out folder of a grade-all run") from None
    except (OSError, ValueError) as error:
        raise ShardError(f"{path}: not a grade-all manifest ({error})") from None
    return manifest
