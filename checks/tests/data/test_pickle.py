"""The values-only unpickler: data loads, code never runs."""

from __future__ import annotations

import collections
import io
import os
import pickle
import pickletools
import subprocess
import warnings

import numpy as np
import pytest

from data import UnsafePickleError, restricted_load, restricted_loads
from data.safe_pickle import ALLOWED_GLOBALS

from checks.tests.fixtures.data import MIRROR

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


class _Reduce:
    """Pickles as ``func(*args)``: how a malicious pickle runs code."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _values():
    return {
        "float64": np.arange(12.0).reshape(3, 4),
        "float32_fortran": np.asfortranarray(np.ones((2, 3), np.float32)),
        "strided": np.arange(16).reshape(4, 4)[::2, 1::2],
        "structured": np.zeros(2, dtype=[("a", "<i4"), ("b", ">f8")]),
        "datetime": np.array(["2020-01-01"], dtype="M8[D]"),
        "objects": np.array([1, "a", None, (2, 3)], dtype=object),
        "unicode": np.array(["ab", "ゼロ"]),
        "bool": np.array([True, False]),
        "empty": np.empty((0, 5)),
        "scalars": [np.float64(1.5), np.int8(-3), np.bool_(True), np.complex64(1 - 2j), np.float16(0.5)],
        "dtypes": [np.dtype("f8"), np.dtype([("x", "u1")]), np.dtype(">i2")],
        "builtins": (1, 2.5, 1 + 2j, "s", b"bytes", b"", bytearray(b"ba"), None, True, ..., range(2, 9, 3)),
        "containers": [{1, 2}, frozenset({"f"}), slice(1, None, 2), collections.OrderedDict(b=1, a=2)],
        "nested": {"list": [[], {}], ("tuple", "key"): {"deep": np.int64(7)}},
        "big_int": 2**100,
    }


def _equal(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and all(
            _equal(x, y) for x, y in zip(a.ravel().tolist(), b.ravel().tolist())
        )
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_equal, a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_values_round_trip(protocol):
    values = _values()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = restricted_loads(pickle.dumps(values, protocol=protocol))
    assert _equal(values, loaded)
    assert loaded["float64"].flags.writeable


def _malicious(marker):
    return [
        _Reduce(os.system, f"touch {marker}"),
        _Reduce(eval, f"open({str(marker)!r}, 'w')"),
        _Reduce(exec, f"open({str(marker)!r}, 'w')"),
        _Reduce(subprocess.call, ["touch", str(marker)]),
        _Reduce(getattr, os, "system"),
        _Reduce(__import__, "os"),
        _Reduce(open, str(marker), "w"),
        _Reduce(np.save, str(marker), np.zeros(1)),
        # A real NumPy callable that sits next to the allowed ones.
        _Reduce(np.ndarray.tofile, np.zeros(1), str(marker)),
    ]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_code_in_a_pickle_never_runs(tmp_path, protocol):
    marker = tmp_path / "pwned"
    for payload in _malicious(marker):
        # Also hidden inside an innocent-looking dict of arrays.
        for obj in (payload, {"W1": np.zeros(2), "b1": payload}):
            try:
                blob = pickle.dumps(obj, protocol=protocol)
            except (pickle.PicklingError, TypeError, AttributeError):
                continue  # e.g. a method descriptor old protocols cannot name
            with pytest.raises(UnsafePickleError) as info:
                restricted_loads(blob)
            assert not marker.exists()
            assert info.value.module and info.value.name
            assert f"{info.value.module}.{info.value.name}" in str(info.value)


def test_errors_survive_pickling():
    # checks/ may send these across processes.
    from data import DownloadError, OfflineError

    err = pickle.loads(pickle.dumps(UnsafePickleError("posix", "system")))
    assert (err.module, err.name) == ("posix", "system") and "posix.system" in str(err)
    off = pickle.loads(pickle.dumps(OfflineError("msg", {"f": [("s", "r")]}, ["f"])))
    assert str(off) == "msg" and off.failures == {"f": [("s", "r")]} and off.missing == ["f"]
    assert pickle.loads(pickle.dumps(DownloadError("m", {}))).args == ("m",)


def test_error_names_module_and_global(tmp_path):
    blob = pickle.dumps(_Reduce(os.system, f"touch {tmp_path / 'x'}"))
    with pytest.raises(UnsafePickleError, match=rf"{os.name == 'nt' and 'nt' or 'posix'}\.system"):
        restricted_loads(blob)
    with pytest.raises(UnsafePickleError, match=r"builtins\.eval"):
        restricted_loads(pickle.dumps(_Reduce(eval, "1"), protocol=2))
    assert isinstance(UnsafePickleError("m", "n"), pickle.UnpicklingError)


def test_protocol_0_text_with_forbidden_global():
    # Hand-written, as an attacker would: GLOBAL 'os system', then call it.
    blob = b"cos\nsystem\n(S'echo pwned'\ntR."
    with pytest.raises(UnsafePickleError, match=r"os\.system"):
        restricted_loads(blob)


def test_persistent_ids_are_refused():
    class WithPid(pickle.Pickler):
        def persistent_id(self, obj):
            return "ref" if obj == "secret" else None

    buf = io.BytesIO()
    WithPid(buf).dump(["secret"])
    with pytest.raises(UnsafePickleError, match="persistent"):
        restricted_loads(buf.getvalue())


def test_codecs_encode_only_as_latin1():
    import _codecs

    assert restricted_loads(pickle.dumps(b"\x00\xff", protocol=2)) == b"\x00\xff"
    with pytest.raises(pickle.UnpicklingError):
        restricted_loads(pickle.dumps(_Reduce(_codecs.encode, "abc", "rot13"), protocol=2))


def test_frombuffer_refuses_object_dtype():
    from data.safe_pickle import _numeric

    blob = pickle.dumps(_Reduce(_numeric._frombuffer, b"\0" * 8, np.dtype(object), (1,), "C"), protocol=5)
    with pytest.raises(pickle.UnpicklingError):
        restricted_loads(blob)


def test_old_and_new_numpy_module_names():
    arr = np.arange(6, dtype=np.float32).reshape(2, 3)
    blob = pickle.dumps({"a": arr, "s": np.float64(2.0)}, protocol=0)
    # Whichever name this NumPy writes, build the other one too.
    assert b"numpy._core.multiarray" in blob or b"numpy.core.multiarray" in blob
    new = blob.replace(b"numpy.core.multiarray", b"numpy._core.multiarray")
    old = new.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    for blob in (new, old):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loaded = restricted_loads(blob)
        np.testing.assert_array_equal(loaded["a"], arr)
        assert loaded["s"] == 2.0 and type(loaded["s"]) is np.float64


def test_book_files_use_old_numpy_names_and_load(tmp_path):
    # The book's pickles were written by old NumPy: numpy.core.multiarray.
    raw = (MIRROR / "book" / "ch07" / "params.pkl").read_bytes()
    names = {arg for op, arg, _ in pickletools.genops(raw) if isinstance(arg, str)}
    assert "numpy.core.multiarray" in names
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params = restricted_load(MIRROR / "book" / "ch07" / "params.pkl")
    assert params["W1"].shape == (30, 1, 5, 5)
    with open(MIRROR / "book" / "ch03" / "sample_weight.pkl", "rb") as handle:
        assert restricted_load(handle)["W1"].dtype == np.float32


def test_extra_globals_are_explicit():
    blob = pickle.dumps(collections.Counter("aab"), protocol=4)
    with pytest.raises(UnsafePickleError, match=r"collections\.Counter"):
        restricted_loads(blob)
    loaded = restricted_loads(blob, extra_globals={("collections", "Counter"): collections.Counter})
    assert loaded == collections.Counter("aab")


def test_allow_list_holds_no_plain_functions():
    # Only classes, NumPy's reconstruction helpers and our own wrappers.
    names = {f"{m}.{n}" for m, n in ALLOWED_GLOBALS}
    for dangerous in ("builtins.eval", "builtins.exec", "builtins.getattr", "builtins.__import__",
                      "builtins.open", "os.system", "posix.system", "numpy.load", "builtins.type"):
        assert dangerous not in names
    with pytest.raises(TypeError):
        ALLOWED_GLOBALS[("os", "system")] = os.system  # read-only
