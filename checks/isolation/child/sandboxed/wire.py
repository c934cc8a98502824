"""What may cross the boundary between a check and the implementation, and how.

Only *values* cross: numbers, strings, NumPy arrays of numbers, slices, and lists,
tuples and dicts of those. Any other object stays where it was made and is replaced
by a reference (`REF_TAG`, handle, type name, callable?) that the other side can use
in later requests.

The channel carries length-prefixed messages in a small explicit encoding (a type
tag, a header, and for arrays their raw bytes), not pickle: the judge reads answers
written by the code it judges, and decoding one must neither run code nor cost more
than its size. `decode` therefore builds only plain values, checks every count and
length against the bytes actually there before allocating, caps nesting depth and
the number of items, and reads each array's bytes as they are (no copy, no
decompression): decoding is linear in the message's size, which the reader checks
against a cap from the length header before reading the body.
"""

import re
import struct

import numpy as np

__all__ = ["QUIET", "REF_TAG", "WireError", "decode", "encode", "is_ref", "is_value", "make_ref", "recv_message",
           "send_message", "FIRST_READ", "HEADER", "MAX_DEPTH", "MAX_ITEMS"]

REF_TAG = "\x00dlfs-ref"
# the judge's request once what the child printed passed its cap: print to /dev/null from now on
# (child.py; checks/isolation/monitor.py)
QUIET = ("quiet",)
_SCALARS = (type(None), bool, int, float, complex, str, bytes, slice)
_ARRAY_KINDS = set("biufcSU")
_MAX_VALUE_DEPTH = 8  # what `is_value` accepts as data; deeper objects travel as references
MAX_DEPTH = 24  # what `decode` accepts: a value, wrapped in a request or an answer
MAX_ITEMS = 1 << 21  # containers' items and arrays in one message
_MAX_INT_BYTES = 1024
_MAX_NDIM = 32
_DTYPE = re.compile(r"^[<>|=][biufcSU][0-9]{1,5}$")


class WireError(ValueError):
    """A message that is not a well-formed encoding of plain values (or exceeds a limit)."""


def is_value(obj, depth=0):
    """True when `obj` is plain data that can be copied across the boundary."""
    if depth > _MAX_VALUE_DEPTH:
        return False
    if isinstance(obj, _SCALARS):
        return True
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind in _ARRAY_KINDS and obj.ndim <= _MAX_NDIM and _DTYPE.match(obj.dtype.str) is not None
    if isinstance(obj, np.generic):
        return np.dtype(type(obj)).kind in _ARRAY_KINDS and _DTYPE.match(obj.dtype.str) is not None
    if type(obj) in (list, tuple):
        return all(is_value(item, depth + 1) for item in obj)
    if isinstance(obj, dict):
        return all(
            isinstance(key, (str, int)) and is_value(item, depth + 1) for key, item in obj.items()
        )
    return False


def make_ref(handle, obj):
    return (REF_TAG, handle, type(obj).__name__, callable(obj))


def is_ref(obj):
    # type() first: a 4-tuple of arguments may start with an array, whose == is elementwise
    return type(obj) is tuple and len(obj) == 4 and type(obj[0]) is str and obj[0] == REF_TAG


# -- encoding -------------------------------------------------------------------------
_U32 = struct.Struct("!I")
_I64 = struct.Struct("!q")
_F64 = struct.Struct("!d")
_C128 = struct.Struct("!dd")
_U64 = struct.Struct("!Q")


def _dtype_text(dtype):
    text = dtype.str
    if not _DTYPE.match(text):
        raise WireError(f"arrays of dtype {dtype} cannot cross the boundary")
    return text.encode("ascii")


def _encode(obj, out, depth):
    if depth > MAX_DEPTH:
        raise WireError(f"values nested deeper than {MAX_DEPTH} levels cannot cross the boundary")
    if obj is None:
        out += b"N"
    elif obj is True or obj is False:
        out += b"T" if obj else b"F"
    elif isinstance(obj, bool):  # a bool subclass
        out += b"T" if obj else b"F"
    elif isinstance(obj, int):
        obj = int(obj)
        if -(1 << 63) <= obj < (1 << 63):
            out += b"i" + _I64.pack(obj)
        else:
            raw = obj.to_bytes((obj.bit_length() + 8) // 8, "big", signed=True)
            if len(raw) > _MAX_INT_BYTES:
                raise WireError(f"integers longer than {_MAX_INT_BYTES} bytes cannot cross the boundary")
            out += b"I" + _U32.pack(len(raw)) + raw
    elif isinstance(obj, float):
        out += b"f" + _F64.pack(obj)
    elif isinstance(obj, complex):
        out += b"c" + _C128.pack(obj.real, obj.imag)
    elif isinstance(obj, str):
        raw = str.encode(obj, "utf-8", "surrogatepass")
        out += b"s" + _U32.pack(len(raw)) + raw
    elif isinstance(obj, (bytes, bytearray)):
        out += b"b" + _U32.pack(len(obj)) + bytes(obj)
    elif isinstance(obj, slice):
        out += b"S"
        for part in (obj.start, obj.stop, obj.step):
            _encode(part, out, depth + 1)
    elif isinstance(obj, np.ndarray):
        # ascontiguousarray alone would make a 0-d array 1-d: array(0.) must come back as array(0.)
        array = np.ascontiguousarray(obj).reshape(obj.shape)
        if array.ndim > _MAX_NDIM:
            raise WireError(f"arrays of more than {_MAX_NDIM} dimensions cannot cross the boundary")
        dtype = _dtype_text(array.dtype)
        out += b"a" + bytes((len(dtype),)) + dtype + bytes((array.ndim,))
        out += b"".join(_U64.pack(n) for n in array.shape)
        out += _U64.pack(array.nbytes)
        try:  # the array's own memory, copied once into the message
            out += memoryview(array).cast("B")
        except (TypeError, ValueError):  # dtypes the buffer protocol does not export (unicode)
            out += array.tobytes()
    elif isinstance(obj, np.generic):
        array = np.asarray(obj)
        dtype = _dtype_text(array.dtype)
        out += b"g" + bytes((len(dtype),)) + dtype + _U32.pack(array.nbytes) + array.tobytes()
    elif type(obj) in (list, tuple) or isinstance(obj, (list, tuple)):
        out += (b"t" if isinstance(obj, tuple) else b"l") + _U32.pack(len(obj))
        for item in obj:
            _encode(item, out, depth + 1)
    elif isinstance(obj, dict):
        out += b"d" + _U32.pack(len(obj))
        for key, item in obj.items():
            _encode(key, out, depth + 1)
            _encode(item, out, depth + 1)
    else:
        raise WireError(f"a {type(obj).__name__} cannot cross the boundary (only plain values and references)")


def encode(obj):
    """The bytes of `obj` (a bytearray), a plain value (see `is_value`) possibly holding references."""
    out = bytearray()
    _encode(obj, out, 0)
    return out


# -- decoding -------------------------------------------------------------------------
class _Reader:
    __slots__ = ("data", "pos", "items")

    def __init__(self, data):
        self.data = memoryview(data)
        self.pos = 0
        self.items = 0

    def take(self, size):
        end = self.pos + size
        if size < 0 or end > len(self.data):
            raise WireError("the message ends in the middle of a value")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def count(self, unit=1):
        """A length field, checked against the bytes left (each item takes at least `unit` bytes)."""
        (n,) = _U32.unpack(self.take(4))
        if n * unit > len(self.data) - self.pos:
            raise WireError(f"a length of {n} does not fit in the rest of the message")
        self.items += n
        if self.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS} items in one message")
        return n


def _dtype(reader):
    size = reader.take(1)[0]
    text = bytes(reader.take(size)).decode("ascii", "replace")
    if not _DTYPE.match(text):
        raise WireError(f"arrays of dtype {text!r} are not accepted")
    dtype = np.dtype(text)
    if dtype.itemsize == 0 or dtype.hasobject:
        raise WireError(f"arrays of dtype {text!r} are not accepted")
    return dtype


def _decode(reader, depth):
    if depth > MAX_DEPTH:
        raise WireError(f"values nested deeper than {MAX_DEPTH} levels are not accepted")
    tag = bytes(reader.take(1))
    if tag == b"N":
        return None
    if tag == b"T":
        return True
    if tag == b"F":
        return False
    if tag == b"i":
        return _I64.unpack(reader.take(8))[0]
    if tag == b"I":
        size = reader.count()
        if size > _MAX_INT_BYTES:
            raise WireError(f"integers longer than {_MAX_INT_BYTES} bytes are not accepted")
        return int.from_bytes(reader.take(size), "big", signed=True)
    if tag == b"f":
        return _F64.unpack(reader.take(8))[0]
    if tag == b"c":
        real, imag = _C128.unpack(reader.take(16))
        return complex(real, imag)
    if tag == b"s":
        return str(reader.take(reader.count()), "utf-8", "surrogatepass")
    if tag == b"b":
        return bytes(reader.take(reader.count()))
    if tag == b"S":
        parts = [_decode(reader, depth + 1) for _ in range(3)]
        if not all(part is None or type(part) is int for part in parts):
            raise WireError("slices hold integers or None only")
        return slice(*parts)
    if tag == b"a":
        dtype = _dtype(reader)
        ndim = reader.take(1)[0]
        if ndim > _MAX_NDIM:
            raise WireError(f"arrays of more than {_MAX_NDIM} dimensions are not accepted")
        shape = tuple(_U64.unpack(reader.take(8))[0] for _ in range(ndim))
        (nbytes,) = _U64.unpack(reader.take(8))
        elements = 1
        for n in shape:
            elements *= n
        if elements * dtype.itemsize != nbytes:
            raise WireError(f"an array of shape {shape} and dtype {dtype} does not take {nbytes} bytes")
        reader.items += 1
        if reader.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS} items in one message")
        raw = reader.take(nbytes)  # bounds-checked: no allocation beyond the message itself
        return np.frombuffer(raw, dtype=dtype, count=elements).reshape(shape)
    if tag == b"g":
        dtype = _dtype(reader)
        size = reader.count()
        if size != dtype.itemsize:
            raise WireError(f"a {dtype} scalar does not take {size} bytes")
        return np.frombuffer(reader.take(size), dtype=dtype, count=1)[0]
    if tag in (b"l", b"t"):
        items = [_decode(reader, depth + 1) for _ in range(reader.count())]
        return tuple(items) if tag == b"t" else items
    if tag == b"d":
        result = {}
        for _ in range(reader.count(2)):
            key = _decode(reader, depth + 1)
            if type(key) not in (str, int, bool):
                raise WireError("dict keys are strings or integers only")
            result[key] = _decode(reader, depth + 1)
        return result
    raise WireError(f"unknown type tag {tag!r}")


def decode(data):
    """The value encoded in `data` (a writable buffer gives writable arrays, sharing its memory)."""
    reader = _Reader(data)
    value = _decode(reader, 0)
    if reader.pos != len(reader.data):
        raise WireError(f"{len(reader.data) - reader.pos} bytes after the end of the value")
    return value


# -- messages ---------------------------------------------------------------------------
HEADER = struct.Struct("!Q")  # a message's length, before its bytes (both sides)
FIRST_READ = 1 << 16  # a pipe's capacity: what one read of a message's start takes (both sides)


def send_message(stream, message):
    """Write one length-prefixed message to a binary stream."""
    payload = encode(message)
    stream.write(HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def recv_message(stream, max_bytes=None):
    """Read one length-prefixed message; its size is checked against `max_bytes` before the body is read.

    `stream` is unbuffered (or has `read1`): the first read takes whatever has arrived, which for
    most messages is the header and the whole body in one system call.
    """
    read = getattr(stream, "read1", stream.read)
    chunk = b""
    while len(chunk) < HEADER.size:
        more = read(FIRST_READ)
        if not more:
            raise EOFError("the other side closed the channel")
        chunk += more
    (size,) = HEADER.unpack_from(chunk)
    if max_bytes is not None and size > max_bytes:
        raise WireError(f"a message of {size} bytes is over the limit of {max_bytes} bytes")
    arrived = len(chunk) - HEADER.size
    if arrived > size:
        raise WireError("a message is followed by bytes that belong to no message")
    body = bytearray(size)  # writable: decoded arrays may be changed in place
    body[:arrived] = memoryview(chunk)[HEADER.size:]
    view = memoryview(body)
    while arrived < size:
        n = stream.readinto(view[arrived:])
        if not n:
            raise EOFError("the other side closed the channel")
        arrived += n
    return decode(body)
