"""A seccomp filter for the student's process (libseccomp through ``pyseccomp``): kernel interfaces no namespace holds.

Built once in the warm worker (before any fork) and loaded by each student's process after Landlock, so it binds
that process and everything it starts. Everything not named here stays allowed (TensorFlow, JAX and NumPy need a
wide set of calls); what is named is refused with an error code the libraries already handle, never a crash.
"""

from __future__ import annotations

import errno
import os
from typing import Any

#: Socket families a student may open: local (AF_UNIX), IPv4/IPv6 (in an empty network namespace) and netlink
#: (namespaced; some libraries ask it for interfaces). Every other family is refused: AF_VSOCK (not namespaced,
#: reaches the host and its VMs), AF_ALG, AF_KEY, AF_PACKET, AF_BLUETOOTH, AF_RDS, AF_TIPC, AF_XDP ...
ALLOWED_FAMILIES = frozenset({1, 2, 10, 16})
AF_MAX = 64
#: Refused with EPERM: kernel-wide interfaces, a large attack surface, that grading never needs.
DENIED = ("bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "kexec_load",
          "kexec_file_load", "init_module", "finit_module", "delete_module", "open_by_handle_at", "name_to_handle_at",
          "fanotify_init", "lookup_dcookie", "quotactl", "acct", "swapon", "swapoff", "syslog", "uselib", "vhangup",
          "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
          "mount_setattr", "unshare", "setns", "chroot", "process_madvise", "pidfd_getfd")
#: Refused with ENOSYS, as if the kernel were older: callers fall back (glibc's clone3 to clone).
ABSENT = ("io_uring_setup", "io_uring_enter", "io_uring_register", "clone3")
CLONE_NEWUSER = 0x10000000  # without it no other new namespace can be made (no capabilities are left)

_FILTER: Any = None
_PROBLEM = ""


def build() -> bool:
    """Build the filter now (in the warm worker, before forking); False where libseccomp cannot be used here."""
    global _FILTER, _PROBLEM
    if _FILTER is not None:
        return True
    if os.environ.get("GRADE_SECCOMP") == "0":
        _PROBLEM = "GRADE_SECCOMP=0"
        return False
    try:
        import pyseccomp as sc

        flt = sc.SyscallFilter(sc.ALLOW)
        try:
            flt.set_attr(sc.Attr.CTL_OPTIMIZE, 2)  # a binary tree of syscall numbers: few jumps for every call
        except (OSError, ValueError):
            pass  # libseccomp < 2.5: a list, still correct
        for call in ("socket", "socketpair"):
            for family in range(AF_MAX):
                if family not in ALLOWED_FAMILIES:
                    flt.add_rule(sc.ERRNO(errno.EAFNOSUPPORT), call, sc.Arg(0, sc.EQ, family))
            flt.add_rule(sc.ERRNO(errno.EAFNOSUPPORT), call, sc.Arg(0, sc.GE, AF_MAX))
        for call in DENIED:
            _add(sc, flt, sc.ERRNO(errno.EPERM), call)
        for call in ABSENT:
            _add(sc, flt, sc.ERRNO(errno.ENOSYS), call)
        # a new user namespace from inside (clone with CLONE_NEWUSER): refused; threads and processes are still made
        flt.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
    except Exception as exc:  # noqa: BLE001 - no libseccomp, an unknown architecture: graded without the filter
        _PROBLEM = f"{type(exc).__name__}: {exc}"[:200]
        return False
    _FILTER = flt
    return True


def _add(sc: Any, flt: Any, action: int, call: str) -> None:
    try:
        flt.add_rule(action, call)
    except (OSError, ValueError):
        pass  # a call this kernel/architecture does not have: nothing to refuse


def load() -> list[str]:
    """Load the filter into this process (and so into everything it starts); the layers in force."""
    if _FILTER is None and (_PROBLEM or not build()):
        return []
    try:
        _FILTER.load()
    except OSError:
        return []
    return ["seccomp"]


def problem() -> str:
    """Why there is no filter (empty when there is one)."""
    return _PROBLEM
