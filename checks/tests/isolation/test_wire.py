"""The answer channel (checks/isolation/child/sandboxed/wire.py): plain values only, at bounded cost.

The judge reads what the code it judges writes. The first tests feed the decoder
hostile bytes directly; the last ones have a real child write them on the real channel
(found through /proc/self/fd, around the server), under each boundary: an oversized
length header, an answer that never completes, a nesting bomb and a pickle. Each
costs the child its process and the call an error; none costs the judge memory or
time beyond the call's limit.
"""

import pickle
import struct
import textwrap

import numpy as np
import pytest

from checks.isolation.adapters import open_implementation
from checks.isolation.child.sandboxed.wire import MAX_DEPTH, REF_TAG, WireError, decode, encode
from checks.library.errors import ImplementationCrashed, ImplementationTimeout


def _roundtrip(value):
    return decode(bytearray(encode(value)))


def test_plain_values_and_references_travel_unchanged():
    value = {"x": np.arange(6, dtype=np.float32).reshape(2, 3), "n": np.int64(3), "flag": np.bool_(True),
             "args": (1, -2**70, 2.5, 1 + 2j, "é", b"\x00", None, True, slice(None, 3)),
             "ref": (REF_TAG, 7, "Affine", True), 3: [np.zeros((0, 4)), np.array("ab")]}
    back = _roundtrip(value)
    assert back["x"].dtype == np.float32 and back["x"].shape == (2, 3) and np.array_equal(back["x"], value["x"])
    assert type(back["n"]) is np.int64 and type(back["flag"]) is np.bool_
    assert back["args"] == value["args"] and back["ref"] == value["ref"]
    assert back[3][0].shape == (0, 4) and back[3][1] == "ab"
    back["x"][0, 0] = 9  # arrays decoded from a writable buffer are writable, like pickle's
    assert back["x"][0, 0] == 9


def test_a_0d_array_keeps_its_shape():
    # np.zeros_like(dout) for a scalar dout (AddLayer.backward of §5.4's graph) is 0-d, and stays so
    back = _roundtrip((1.1, np.array(0.0), np.array(3, dtype=np.int64)))
    assert [np.shape(item) for item in back] == [(), (), ()]
    assert float(back[1]) == 0.0 and int(back[2]) == 3


def test_non_values_are_refused_when_encoding():
    with pytest.raises(WireError, match="cannot cross"):
        encode({"f": lambda: 0})
    with pytest.raises(WireError, match="dtype"):
        encode(np.array([object()], dtype=object))


@pytest.mark.parametrize("payload, reason", [
    (pickle.dumps({"score": 100}), "unknown type tag"),
    (b"l" + struct.pack("!I", 2**32 - 1), "does not fit"),  # a list claiming 4 billion items in 5 bytes
    (b"l\x00\x00\x00\x01" * (MAX_DEPTH + 2) + b"N", "nested deeper"),
    (b"a\x03<f8\x02" + struct.pack("!QQQ", 2**40, 2**40, 0), "does not take"),  # a 2**80-element array
    (b"a\x03<f8\x01" + struct.pack("!QQ", 4, 32) + b"\x00" * 8, "ends in the middle"),
    (b"a\x03|O8\x00" + struct.pack("!Q", 8), "dtype"),  # object arrays would unpickle
    (b"I" + struct.pack("!I", 4096) + b"\x01" * 4096, "integers longer"),
    (b"d" + struct.pack("!I", 1) + b"l" + struct.pack("!I", 0) + b"N", "dict keys"),
    (b"N" + b"junk", "after the end"),
])
def test_hostile_bytes_are_refused_before_costing_anything(payload, reason):
    with pytest.raises(WireError, match=reason):
        decode(bytearray(payload))


CHANNEL_ATTACKS = '''
import fcntl, os, struct, time

def _answer_fd():
    """The judge's answer pipe, written to directly (around the server)."""
    for fd in range(3, 64):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:") and \\
                    fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                return fd
        except OSError:
            continue
    raise RuntimeError("no answer pipe")

def AND(x1, x2):
    return int(x1 and x2)

def huge_header():
    os.write(_answer_fd(), struct.pack("!Q", 1 << 40))  # "a terabyte follows"
    time.sleep(60)

def never_completes():
    os.write(_answer_fd(), struct.pack("!Q", 1000) + b"N")  # then nothing more
    time.sleep(60)

def nesting_bomb():
    body = b"l\\x00\\x00\\x00\\x01" * 100000 + b"N"
    os.write(_answer_fd(), struct.pack("!Q", len(body)) + body)
    time.sleep(60)

def pickle_answer():
    import pickle
    body = pickle.dumps(("ok", 1))
    os.write(_answer_fd(), struct.pack("!Q", len(body)) + body)
    time.sleep(60)
'''


@pytest.mark.parametrize("attack, error", [("huge_header", ImplementationCrashed),
                                           ("never_completes", ImplementationTimeout),
                                           ("nesting_bomb", ImplementationCrashed),
                                           ("pickle_answer", ImplementationCrashed)])
def test_a_hostile_answer_costs_only_its_own_call(attack, error, boundary, tmp_path):
    package = tmp_path / "channel"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(CHANNEL_ATTACKS))
    impl = open_implementation(str(package), isolated=True, call_timeout=2.0)
    try:
        with pytest.raises(error):
            impl.get(attack)()
        assert impl.get("AND")(1, 1) == 1  # a new child answers the next call
    finally:
        impl.close()
