"""A SQLite database on a network share is spotted: UNC paths, mapped drives, network mounts."""

from __future__ import annotations

from provider_desk.db.network import (
    DRIVE_REMOTE,
    mount_of,
    network_mount,
    parse_mac_mount,
    parse_proc_mounts,
    share_description,
    unc_share,
    windows_network_drive,
)

PROC_MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
nas:/export/care /mnt/care nfs4 rw,vers=4.2 0 0
//nas/office /mnt/office\\040share cifs rw,vers=3.0 0 0
/dev/sdb1 /mnt/care/local ext4 rw 0 0
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//anna@nas._smb._tcp.local/care on /Volumes/care (smbfs, nodev, nosuid, mounted by anna)
/dev/disk4s1 on /Volumes/USB STICK (msdos, local, nodev, nosuid, noowners)
"""


def test_unc_paths_are_shares_but_local_long_paths_are_not() -> None:
    assert unc_share(r"\\server\care\provider-desk.sqlite3") == r"\\server\care"
    assert unc_share("//server/care/db.sqlite3") == r"\\server\care"
    assert unc_share(r"\\?\UNC\server\care\db.sqlite3") == r"\\server\care"
    assert unc_share(r"\\?\C:\data\db.sqlite3") is None
    assert unc_share(r"\\.\C:\data\db.sqlite3") is None
    assert unc_share(r"C:\data\db.sqlite3") is None
    assert unc_share(r"\\server") is None


def test_mapped_network_drives_on_windows() -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return DRIVE_REMOTE if root == "Z:\\" else 3  # 3: a fixed local disk

    assert windows_network_drive(r"z:\care\db.sqlite3", drive_type) == "Z:"
    assert windows_network_drive(r"C:\care\db.sqlite3", drive_type) is None
    assert asked == ["Z:\\", "C:\\"]
    assert (
        share_description(r"Z:\care\db.sqlite3", platform="win32", drive_type=drive_type)
        == "the network drive Z:"
    )
    assert share_description(r"\\nas\care\db.sqlite3", platform="win32") == (
        r"the network share \\nas\care"
    )


def test_linux_mounts_by_file_system_type() -> None:
    mounts = parse_proc_mounts(PROC_MOUNTS)
    assert ("//nas/office", "/mnt/office share", "cifs") in mounts
    assert network_mount("/mnt/care/provider-desk.sqlite3", mounts) == (
        "a network file system (nfs4: nas:/export/care at /mnt/care)"
    )
    assert "cifs" in (network_mount("/mnt/office share/db.sqlite3", mounts) or "")
    # A local disk mounted inside the share, and a folder whose name only starts the same.
    assert network_mount("/mnt/care/local/db.sqlite3", mounts) is None
    assert network_mount("/mnt/careful/db.sqlite3", mounts) is None
    assert network_mount("/home/anna/db.sqlite3", mounts) is None
    assert mount_of("/home/anna/db.sqlite3", mounts) == ("/dev/sda1", "/", "ext4")
    assert share_description("/mnt/care/x.sqlite3", platform="linux", mounts=mounts)


def test_mac_mounts() -> None:
    mounts = parse_mac_mount(MAC_MOUNT)
    assert ("/dev/disk4s1", "/Volumes/USB STICK", "msdos") in mounts
    assert "smbfs" in (network_mount("/Volumes/care/db.sqlite3", mounts) or "")
    assert network_mount("/Volumes/USB STICK/db.sqlite3", mounts) is None
    assert share_description("/Users/anna/db.sqlite3", platform="darwin", mounts=mounts) is None
