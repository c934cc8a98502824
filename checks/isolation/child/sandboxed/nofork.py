"""A seccomp filter that refuses new processes to the child: its memory is then one process's.

The audit hook (guard.py) refuses `os.fork`, `subprocess` and the like to Python code;
native code goes around it (`ctypes.CDLL(None).fork()`). Forked processes could then
spread memory over many address spaces, each under RLIMIT_AS, together far past it, on
a machine where no cgroup holds the tree (Gradescope's Docker container). With this
filter the kernel refuses to the child and everything it runs:

- `fork`, `vfork`, and `clone` without CLONE_THREAD: EPERM (threads still start);
- `clone3`: ENOSYS, so that the C library starts threads through `clone` instead;
- every system call of another ABI (i386's `int 0x80`, x32): EPERM, so none of the above
  is reached through another table.

Installed by child.py before any code of the implementation runs; a filter cannot be
removed (PR_SET_NO_NEW_PRIVS first, as an unprivileged process must). x86-64 and
AArch64; elsewhere `install` returns False and the grader's other bounds stand alone.
"""

import ctypes
import platform
import struct

__all__ = ["install"]

_ARCHES = {  # machine: (AUDIT_ARCH_*, {syscall: number} of the calls refused, clone, clone3)
    "x86_64": (0xC000003E, {"fork": 57, "vfork": 58}, 56, 435),
    "aarch64": (0xC00000B7, {}, 220, 435),
}
_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38
_CLONE_THREAD = 0x00010000
_X32_BIT = 0x40000000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def _program(arch, refused, clone, clone3):
    """The BPF instructions, as (code, jump if true, jump if false, k) with jumps relative."""
    deny, enosys, allow = _RET, _RET, _RET  # placeholders, resolved below
    program = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        ("deny",),
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 0, 1, _X32_BIT),
        ("deny",),
    ]
    for number in refused.values():
        program += [(_JEQ, 0, 1, number), ("deny",)]
    program += [(_JEQ, 0, 1, clone3), ("enosys",),
                (_JEQ, 1, 0, clone), ("allow",),
                (_LD_W_ABS, 0, 0, 16),  # the low half of args[0]: clone's flags
                (_JSET, 0, 1, _CLONE_THREAD), ("allow",), ("deny",)]
    resolved = {"deny": (deny, 0, 0, _ERRNO | _EPERM), "enosys": (enosys, 0, 0, _ERRNO | _ENOSYS),
                "allow": (allow, 0, 0, _ALLOW)}
    return [resolved[item[0]] if len(item) == 1 else item for item in program]


def install():
    """Refuse new processes to this process and its threads from now on; False where this machine has no filter."""
    machine = platform.machine()
    if machine not in _ARCHES:
        return False
    instructions = _program(*_ARCHES[machine])
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in instructions)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = _Program(len(instructions), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
