"""Is a SQLite file on a network share? Several PCs writing one over the network can damage it.

SQLite relies on file locks that network file systems (SMB/CIFS, NFS) do not implement reliably,
so a database shared that way between office PCs can be corrupted. Detected at open: a UNC path
(``\\\\server\\share``), a mapped network drive on Windows (``GetDriveTypeW`` says
``DRIVE_REMOTE``), or on Linux and macOS a mount whose file-system type is a network one. Each
test is a pure function of its inputs; :func:`network_share` gathers the real inputs.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

DRIVE_REMOTE = 4
"""``GetDriveTypeW``'s answer for a network drive."""

NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "sshfs",
        "afs",
        "ncpfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
    }
)

ADVICE = (
    "SQLite files on a network share can be damaged when several PCs use them at once. If more "
    "than one PC uses Provider Desk, move the data to a PostgreSQL server (see 'Several PCs' in "
    "the README); if only this PC uses it, keep the file on this PC's own disk."
)


def unc_share(path: str) -> str | None:
    """``\\\\server\\share`` for a UNC path (``//server/share`` too), else None. The local
    long-path forms ``\\\\?\\C:\\...`` and ``\\\\.\\C:\\...`` are not shares."""
    p = path.replace("/", "\\")
    if not p.startswith("\\\\"):
        return None
    rest = p[2:]
    if rest.upper().startswith("?\\UNC\\"):
        rest = rest[len("?\\UNC\\") :]
    elif rest.startswith(("?\\", ".\\")):
        return None
    parts = [x for x in rest.split("\\") if x]
    if len(parts) < 2:
        return None
    return f"\\\\{parts[0]}\\{parts[1]}"


def windows_network_drive(path: str, drive_type: Callable[[str], int]) -> str | None:
    """``Z:`` when ``path`` is on a mapped network drive (``drive_type`` is ``GetDriveTypeW``)."""
    drive = PureWindowsPath(path).drive
    if len(drive) != 2 or drive[1] != ":":
        return None
    return drive.upper() if drive_type(drive.upper() + "\\") == DRIVE_REMOTE else None


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes spaces, tabs, newlines and backslashes as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_proc_mounts(text: str) -> list[tuple[str, str, str]]:
    """(device, mount point, file-system type) from Linux's ``/proc/self/mounts``."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            out.append((_unescape_mount(fields[0]), _unescape_mount(fields[1]), fields[2]))
    return out


def parse_mac_mount(text: str) -> list[tuple[str, str, str]]:
    """(device, mount point, type) from macOS's ``mount`` output, lines such as
    ``//anna@nas/care on /Volumes/care (smbfs, nodev, nosuid, mounted by anna)``."""
    out = []
    for line in text.splitlines():
        device, sep, rest = line.partition(" on ")
        point, sep2, options = rest.rpartition(" (")
        if sep and sep2:
            out.append((device, point, options.split(",")[0].strip(" )")))
    return out


def mount_of(path: str, mounts: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The mount holding ``path``: the one with the longest mount point that contains it."""
    target = PurePosixPath(path)
    best = None
    for mount in mounts:
        point = PurePosixPath(mount[1])
        if (target == point or point in target.parents) and (
            best is None or len(str(point)) > len(best[1])
        ):
            best = mount
    return best


def network_mount(path: str, mounts: list[tuple[str, str, str]]) -> str | None:
    """``an nfs4 mount (server:/export at /mnt/care)`` when ``path`` is on a network file
    system, else None."""
    mount = mount_of(path, mounts)
    if mount is None:
        return None
    device, point, fstype = mount
    if fstype.lower() not in NETWORK_FS:
        return None
    return f"a network file system ({fstype}: {device} at {point})"


def share_description(
    path: str,
    *,
    platform: str,
    drive_type: Callable[[str], int] | None = None,
    mounts: list[tuple[str, str, str]] | None = None,
) -> str | None:
    """Where ``path`` is if that is a network share (None: a local disk, as far as we can tell).

    ``platform`` is ``sys.platform``; Windows needs ``drive_type``, the others ``mounts``.
    """
    share = unc_share(path)
    if share is not None:
        return f"the network share {share}"
    if platform == "win32":
        drive = windows_network_drive(path, drive_type) if drive_type else None
        return f"the network drive {drive}" if drive else None
    return network_mount(path, mounts or [])


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _system_mounts() -> list[tuple[str, str, str]]:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            return parse_proc_mounts(Path("/proc/self/mounts").read_text(encoding="utf-8"))
        return []
    if sys.platform == "darwin":  # pragma: no cover - macOS only
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            )
            return parse_mac_mount(done.stdout)
    return []


def network_share(path: Path) -> str | None:
    """Where the database file ``path`` is, if that is a network share (the real system)."""
    resolved = str(path if os.name == "nt" else path.resolve())
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return share_description(resolved, platform="win32", drive_type=_windows_drive_type)
    return share_description(resolved, platform=sys.platform, mounts=_system_mounts())


def network_warning(path: Path) -> str | None:
    """The warning to show when the database is on a network share (None: it is not)."""
    where = network_share(path)
    if where is None:
        return None
    return f"This database is on {where}. {ADVICE}"
