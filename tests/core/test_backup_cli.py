"""`provider-desk backup` and `restore`: what they print and their exit codes (0 made and
verified, 1 verification failed or not confirmed, 2 a problem such as no database there)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from provider_desk.areas.opening import open_database
from provider_desk.backup.pc_settings import BackupSettings, save_backup_settings
from provider_desk.cli import main
from tests.conftest import new_staff


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "provider-desk.sqlite3"
    db, _ = open_database(str(path), user="test.manager", create=True)
    new_staff(db)
    db.dispose()
    return path


def _staff_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM staff_member").fetchone()[0])
    finally:
        conn.close()


def test_backup_goes_beside_the_database_or_to_the_chosen_folder(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "backup", "--database", str(database))
    assert code == 0 and "Verified:" in out and "change log intact" in out
    assert "1 staff members" in out
    made = list((database.parent / "backups").glob("*.sqlite3"))
    assert len(made) == 1 and made[0].with_name(made[0].name + ".json").exists()
    usb = tmp_path / "usb"
    save_backup_settings(BackupSettings(folder=usb))
    code, out, _ = run(capsys, "backup", "--database", str(database))
    assert code == 0 and str(usb) in out and len(list(usb.glob("*.sqlite3"))) == 1
    chosen = tmp_path / "chosen"
    code, _, _ = run(capsys, "backup", "--database", str(database), "--to", str(chosen))
    assert code == 0 and len(list(chosen.glob("*.sqlite3"))) == 1


def test_a_mistyped_database_is_not_created_or_backed_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "provider-dsek.sqlite3"
    for args in (("backup",), ("export", "staff", "--out", str(tmp_path / "s.xlsx"))):
        code, _, err = run(capsys, *args, "--database", str(typo))
        assert code == 2
        assert f"No database at {typo}. Check the path, or start Provider Desk once" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_backup_that_fails_verification_exits_1(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("UPDATE change_log SET changes = '{}' WHERE id = 2")
    conn.close()
    code, out, err = run(capsys, "backup", "--database", str(database))
    assert code == 1 and "not kept" in err and "entry 2" in err and out == ""
    assert list((database.parent / "backups").iterdir()) == []


def test_restore_shows_asks_and_keeps_the_current_file(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "backup", "--database", str(database))
    backup = next((database.parent / "backups").glob("*.sqlite3"))
    db, _ = open_database(str(database))
    new_staff(db, "Bob", "Jones")
    db.dispose()

    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    code, out, _ = run(capsys, "restore", str(backup), "--database", str(database))
    assert code == 1 and "Nothing was restored." in out
    assert "It would replace:" in out and "Staff members" in out
    assert "Last change in the backup:" in out and "other window" in out
    assert _staff_count(database) == 2

    code, out, _ = run(capsys, "restore", str(backup), "--database", str(database), "--yes")
    assert code == 0 and "kept at" in out
    assert _staff_count(database) == 1
    kept = list(database.parent.glob("provider-desk.sqlite3.before-restore-*"))
    assert len(kept) == 1 and _staff_count(kept[0]) == 2


def test_restore_refuses_a_damaged_backup(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    code, _, err = run(capsys, "restore", str(junk), "--database", str(database), "--yes")
    assert code == 1 and "is damaged" in err and "Nothing was changed" in err
    assert _staff_count(database) == 1
    code, _, err = run(capsys, "restore", str(tmp_path / "nope.sqlite3"), "--yes")
    assert code == 2 and "There is no backup at" in err


def test_a_server_database_explains_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    url = "postgresql://care@127.0.0.1:1/care"
    code, out, err = run(capsys, "backup", "--database", url, "--to", str(tmp_path))
    assert code == 2 and "pg_dump" in out and "pg_dump is not installed" in err
    code, _, err = run(capsys, "restore", str(tmp_path / "x.dump"), "--database", url)
    assert code == 2 and "pg_restore" in err


def test_restore_needs_the_registered_manager_once_there_are_users(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from provider_desk.auth.roles import Role
    from provider_desk.auth.services import NewUser, add_user, create_first_manager
    from provider_desk.cli import PASSWORD_ENV
    from provider_desk.db.session import Database

    run(capsys, "backup", "--database", str(database))
    backup = next((database.parent / "backups").glob("*.sqlite3"))
    db, _ = open_database(str(database))
    manager = create_first_manager(db, "jsmith", "Jane Smith", "kettle-violet-harbour")
    add_user(
        Database(db.url, actor=manager),
        NewUser("reader", "Rita Reader", Role.READ_ONLY, "copper-lantern-meadow"),
    )
    db.dispose()
    args = ("restore", str(backup), "--database", str(database), "--yes")
    code, _, err = run(capsys, *args)
    assert code == 2 and "--user" in err
    monkeypatch.setenv(PASSWORD_ENV, "copper-lantern-meadow")
    code, out, err = run(capsys, "--user", "reader", *args)
    assert code == 2 and "cannot restore a backup" in err and out == ""
    monkeypatch.setenv(PASSWORD_ENV, "kettle-violet-harbour")
    code, out, err = run(capsys, "--user", "jsmith", *args)
    assert code == 0 and "Restored" in out, err
