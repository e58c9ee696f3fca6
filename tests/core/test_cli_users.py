"""The command line acts as a named user once a database has users; a forgotten password is
reset with the database file itself, and that is logged."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_desk.areas.opening import open_database
from provider_desk.auth.roles import Role
from provider_desk.auth.services import NewUser, add_user, create_first_manager
from provider_desk.cli import PASSWORD_ENV, main
from provider_desk.db.changelog import verify_chain
from provider_desk.db.session import Database
from provider_desk.models.changelog import ChangeLogEntry
from tests.conftest import new_staff

MANAGER_PASSWORD = "kettle-violet-harbour"
READER_PASSWORD = "copper-lantern-meadow"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def with_users(tmp_path: Path) -> str:
    """A database with a staff member, a registered manager and a read-only user."""
    path = str(tmp_path / "office.sqlite3")
    db, _ = open_database(path, user="before.logins", create=True)
    new_staff(db, "Amy", "Smith")
    manager = create_first_manager(db, "jsmith", "Jane Smith", MANAGER_PASSWORD)
    add_user(
        Database(db.url, actor=manager),
        NewUser("reader", "Rita Reader", Role.READ_ONLY, READER_PASSWORD),
    )
    db.dispose()
    return path


def test_a_database_with_users_needs_a_user(
    with_users: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "status", "--database", with_users)
    assert code == 2 and "--user NAME" in err and PASSWORD_ENV in err


def test_wrong_password_exits_2_with_a_message(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "not the password")
    code, out, err = run(capsys, "--user", "jsmith", "status", "--database", with_users)
    assert code == 2 and out == ""
    assert "error: The user name or password is not right" in err


def test_password_is_asked_for_without_the_environment_variable(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    asked: list[str] = []

    def prompt(text: str = "") -> str:
        asked.append(text)
        return MANAGER_PASSWORD

    monkeypatch.setattr(getpass, "getpass", prompt)
    code, out, _ = run(capsys, "--user", "JSmith", "status", "--database", with_users)
    assert code == 0 and asked == ["Password for JSmith: "] and out


def test_read_only_user_can_export_but_not_import(
    with_users: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, READER_PASSWORD)
    staff_file = tmp_path / "staff.csv"
    code, out, err = run(
        capsys,
        "--user",
        "reader",
        "export",
        "staff",
        "--out",
        str(staff_file),
        "--database",
        with_users,
    )
    assert code == 0, err
    assert "Amy" in staff_file.read_text(encoding="utf-8-sig")
    code, out, _ = run(capsys, "--user", "reader", "status", "--json", "--database", with_users)
    assert code == 0 and json.loads(out)
    staff_file.write_text(
        "First name,Last name,Job role,Start date\nBen,Jones,Care worker,01/02/2024\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "--user", "reader", "import", "staff", str(staff_file), "--database", with_users
    )
    assert code == 2 and "Rita Reader (Read-only) can view and export, but not import" in err


def test_writing_commands_act_as_the_user(
    with_users: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, MANAGER_PASSWORD)
    staff_file = tmp_path / "staff.csv"
    staff_file.write_text(
        "First name,Last name,Job role,Start date\nBen,Jones,Care worker,01/02/2024\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "--user", "jsmith", "import", "staff", str(staff_file), "--database", with_users
    )
    assert code == 0 and "Imported 1 new" in out, err
    db = Database(open_database(with_users)[0].url)
    with db.reading() as s:
        entries = list(
            s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.table_name == "staff_member"))
        )
        assert verify_chain(s) is None
    assert [(e.who, e.user_id is None) for e in entries] == [
        ("before.logins", True),  # before logins: the operating-system user, no id
        ("Jane Smith", False),
    ]
    db.dispose()


def test_no_users_works_as_before_and_refuses_a_user_it_cannot_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "old.sqlite3")
    open_database(path, create=True)[0].dispose()
    assert run(capsys, "status", "--database", path)[0] == 0
    code, _, err = run(capsys, "--user", "jsmith", "status", "--database", path)
    assert code == 2 and "no user accounts yet" in err


def test_reset_password_needs_the_file_asks_twice_and_is_logged(
    with_users: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["a forgotten password fixed", "a forgotten password typo"])
    monkeypatch.setattr(getpass, "getpass", lambda _text="": next(answers))
    code, _, err = run(capsys, "reset-password", "--database", with_users, "--user", "jsmith")
    assert code == 2 and "not the same" in err
    answers = iter(["a forgotten password fixed"] * 2)
    code, out, err = run(capsys, "reset-password", "--database", with_users, "--user", "JSmith")
    assert code == 0 and "Set a new password for jsmith" in out, err
    monkeypatch.setenv(PASSWORD_ENV, "a forgotten password fixed")
    assert run(capsys, "--user", "jsmith", "status", "--database", with_users)[0] == 0
    db = Database(open_database(with_users)[0].url)
    with db.reading() as s:
        (entry,) = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "recovery"))
        assert entry.who.startswith("password recovery (")
    db.dispose()
    code, _, err = run(
        capsys, "reset-password", "--database", str(tmp_path / "missing.sqlite3"), "--user", "x"
    )
    assert code == 2 and "There is no database" in err
