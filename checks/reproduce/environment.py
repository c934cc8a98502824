"""The environment a run's numbers came from: results.json's ``environment``, and what "the same" means.

``fingerprint(seeds, dtype)`` records Python, NumPy, the BLAS library NumPy loaded (its
name, version, the kernel it picked for this CPU and its thread count), the CPU model, the
OS, matplotlib (the figures), dlfs's version, the git commit with a dirty flag, the data
manifest's digest, the default dtype and the run's seeds.

Two runs can give bit-identical numbers only when their ``numerics`` parts are equal:
everything above except the code's identity (dlfs version, commit, dirty flag), which is
what a comparison of two commits varies, and the seeds, compared seed by seed. ``compare``
compares exactly only then, and the results cache keys on ``numerics_digest``.

The BLAS is probed in the loaded library itself (``ctypes``), whatever NumPy's version:
OpenBLAS under its plain, 64-bit (``…64_``) and scipy-openblas (``scipy_…``) names, or MKL.
"""

import ctypes
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

__all__ = ["fingerprint", "numerics", "numerics_digest", "differences", "blas", "cpu_model", "git_state",
           "data_manifest_digest", "NUMERICS_KEYS"]

REPO_ROOT = Path(__file__).resolve().parents[2]
# The parts of a fingerprint that can change a number (see the module's docstring).
NUMERICS_KEYS = ("python", "numpy", "blas", "cpu", "os", "data_manifest", "dtype")


def _loaded_libraries():
    """Paths of the shared libraries this process has loaded (Linux: /proc/self/maps; elsewhere: none)."""
    try:
        text = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    return sorted({line.split()[-1] for line in text.splitlines() if line.count("/") and ".so" in line})


def _symbol(lib, stem, suffixes=("", "64_")):
    for prefix in ("", "scipy_"):
        for suffix in suffixes:
            function = getattr(lib, f"{prefix}{stem}{suffix}", None)
            if function is not None:
                return function
    return None


def _openblas(path):
    lib = ctypes.CDLL(path)
    config, threads, core = (_symbol(lib, name) for name in
                             ("openblas_get_config", "openblas_get_num_threads", "openblas_get_corename"))
    if config is None:
        return None
    config.restype = ctypes.c_char_p
    if core is not None:
        core.restype = ctypes.c_char_p
    words = config().decode(errors="replace").split()
    return {"library": "OpenBLAS", "version": words[1] if len(words) > 1 else "",
            "build": " ".join(words[2:]), "kernel": core().decode(errors="replace") if core else "",
            "threads": int(threads()) if threads else None}


def _mkl(path):
    lib = ctypes.CDLL(path)
    threads = getattr(lib, "MKL_Get_Max_Threads", None)
    version = getattr(lib, "MKL_Get_Version_String", None)
    text = ""
    if version is not None:
        buffer = ctypes.create_string_buffer(256)
        version(buffer, 256)
        text = buffer.value.decode(errors="replace")
    return {"library": "MKL", "version": text, "build": "", "kernel": "",
            "threads": int(threads()) if threads else None}


@functools.lru_cache(maxsize=None)
def blas():
    """{library, version, build, kernel, threads} of the BLAS NumPy loaded (its own words where it has them)."""
    import numpy  # noqa: F401  (loads the BLAS)

    for path in _loaded_libraries():
        name = os.path.basename(path).lower()
        try:
            if "openblas" in name:
                found = _openblas(path)
            elif "mkl_rt" in name:
                found = _mkl(path)
            else:
                continue
        except OSError:
            continue
        if found is not None:
            return found
    return {"library": "unknown", "version": "", "build": "", "kernel": "", "threads": None}


@functools.lru_cache(maxsize=None)
def cpu_model():
    """The CPU's model name (Linux /proc/cpuinfo, macOS sysctl), else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True,
                                  timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine()


def git_state(root=REPO_ROOT):
    """{"commit", "dirty"} of the checkout dlfs runs from; None outside a git checkout (an installed wheel, the kit)."""
    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def data_manifest_digest():
    """SHA-256 of the data manifest's pinned files (name, size, SHA-256 each): the data every run reads."""
    from data.manifest import ALL_FILES

    rows = sorted((entry.key, entry.size, entry.sha256) for entry in ALL_FILES)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _dlfs_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dlfs")
    except PackageNotFoundError:
        return "unknown"


@functools.lru_cache(maxsize=None)
def _numerics_here(dtype):
    import numpy as np

    return {
        "python": {"version": platform.python_version(), "implementation": sys.implementation.name},
        "numpy": np.__version__,
        "blas": blas(),
        "cpu": {"model": cpu_model(), "machine": platform.machine()},
        "os": {"system": platform.system(), "release": platform.release(), "platform": platform.platform()},
        "data_manifest": data_manifest_digest(),
        "dtype": dtype,
    }


def fingerprint(seeds=(), dtype="float64"):
    """results.json's ``environment``: what produced the numbers (see the module's docstring)."""
    # The installed distribution's version: importing matplotlib for it cost a run without figures 0.9 s.
    return {**json.loads(json.dumps(_numerics_here(dtype))), "matplotlib": importlib.metadata.version("matplotlib"),
            "dlfs": _dlfs_version(), "git": git_state(), "seeds": list(seeds)}


def numerics(environment):
    """The part of an environment that decides the numbers (the OS without its kernel release)."""
    part = {key: environment.get(key) for key in NUMERICS_KEYS}
    if isinstance(part["os"], dict):
        part["os"] = {"system": part["os"].get("system")}
    return part


def numerics_digest(environment=None):
    """SHA-256 of ``numerics(environment)`` (default: this process's)."""
    part = numerics(environment if environment is not None else _numerics_here("float64"))
    return hashlib.sha256(json.dumps(part, sort_keys=True).encode()).hexdigest()


def differences(first, second, prefix=""):
    """The dotted paths where two ``numerics`` parts differ, e.g. ["numpy", "blas.version"]."""
    if isinstance(first, dict) and isinstance(second, dict):
        return [path for key in sorted(set(first) | set(second))
                for path in differences(first.get(key), second.get(key), f"{prefix}{key}.")]
    return [] if first == second else [prefix.rstrip(".")]
