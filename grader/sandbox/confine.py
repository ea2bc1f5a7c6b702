"""Kernel calls that confine one student's processes: namespaces, mounts, limits, capabilities."""

from __future__ import annotations

import ctypes
import os
import resource

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x20, 0x4000, 0x40000
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_CAPBSET_DROP = 1, 36, 24
_CAP_LAST = 63

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def own_user_namespace() -> None:
    """A user namespace of its own, mapping this process's user to an ordinary user (1000) inside."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER)
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"1000 {uid} 1")
    _write("/proc/self/gid_map", f"1000 {gid} 1")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None, ctypes.c_ulong(flags),
                       data.encode() if data else None), f"mount {target}")


def detach(target: str) -> None:
    """umount2(target, MNT_DETACH): the mount goes from this mount namespace at once."""
    _check(_libc.umount2(target.encode(), ctypes.c_int(MNT_DETACH)), f"umount {target}")


def private_mounts() -> None:
    """Mounts made from now on stay in this mount namespace."""
    _check(_libc.mount(b"none", b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None), "mount --make-rprivate /")


def prctl(option: int, arg: int) -> None:
    _check(_libc.prctl(ctypes.c_int(option), ctypes.c_ulong(arg), 0, 0, 0), f"prctl({option})")


def drop_capabilities() -> None:
    """No capability left, none to regain by exec (bounding set emptied)."""
    for cap in range(_CAP_LAST + 1):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    _check(_libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def mapped_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def apply_rlimits(*, memory: int | None, file_size: int | None, processes: int | None, files: int = 256,
                  cpu_seconds: int | None = None) -> None:
    """Per-process limits; ``memory`` is allowed on top of what is already mapped (TensorFlow included);
    ``cpu_seconds``: SIGXCPU past it, SIGKILL 5 s later (a wall clock of the kernel's own, even if the judge's stops)."""
    if cpu_seconds:
        used = int(sum(os.times()[:2]))  # a forked child starts from zero; counted anyway
        resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, used + cpu_seconds + 5))
    if memory:
        limit = mapped_bytes() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if file_size:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    if processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(files, hard), min(files, hard)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def close_fds_except(keep: set[int]) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep and fd > 2:
            try:
                os.close(fd)
            except OSError:
                pass


def process_tree(root_proc: str = "/proc") -> list[int]:
    return [int(n) for n in os.listdir(root_proc) if n.isdigit()]


def resident_bytes(pid: int, root_proc: str = "/proc") -> int:
    try:
        with open(f"{root_proc}/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def descendants(root: int) -> list[int]:
    """Processes below ``root`` (by parent links), for hosts without PID namespaces."""
    children: dict[int, list[int]] = {}
    for pid in process_tree():
        try:
            with open(f"/proc/{pid}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
