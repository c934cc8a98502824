"""``python -m data fetch`` / ``python -m data status``: prepare or inspect the cache.

Useful for readying a machine that will work offline: fetch here, then copy
the cache folder (or point DLFS_MIRROR at a folder laid out like shared/mirror).
"""

from __future__ import annotations

import argparse
import logging
import sys

from .config import data_home
from .errors import DataError
from .fetch import cache_status, fetch_all
from .manifest import ALL_FILES, MNIST_FILES

__all__ = ["main"]


def _chosen(args: argparse.Namespace):
    return MNIST_FILES if args.mnist_only else ALL_FILES


def _fetch(args: argparse.Namespace) -> int:
    try:
        paths = fetch_all(_chosen(args))
    except DataError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"cache folder: {data_home()}")
    for path in paths:
        print(f"  ok  {path}")
    return 0


def _status(args: argparse.Namespace) -> int:
    print(f"cache folder: {data_home()}")
    rows = cache_status(_chosen(args))
    width = max(len(key) for key, _, _ in rows)
    for key, state, detail in rows:
        print(f"  {state:<8} {key:<{width}}  {detail if state == 'corrupt' else ''}".rstrip())
    return 0 if all(state == "ok" for _, state, _ in rows) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data",
        description="Fetch, verify and inspect the data files of dlfs (MNIST and the book's weights).",
        epilog="Environment: DLFS_DATA_HOME (cache folder), DLFS_MIRROR (folder, file:// or "
        "http(s):// base tried first), DLFS_OFFLINE=1 (no network).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download and verify every file into the cache")
    status = commands.add_parser("status", help="list each file as ok, missing or corrupt (exit 1 unless all ok)")
    for sub in (fetch, status):
        sub.add_argument("--mnist-only", action="store_true", help="only the four MNIST files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    return _fetch(args) if args.command == "fetch" else _status(args)


if __name__ == "__main__":
    sys.exit(main())
