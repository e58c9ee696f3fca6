"""User accounts: hashing, the first manager, sign-in and its lock, user administration, the
change log's user id, and the recovery of a forgotten password."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from provider_desk.auth.models import UserAccount
from provider_desk.auth.passwords import (
    LOCKOUT_ATTEMPTS,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from provider_desk.auth.queries import list_users, lock_after_minutes, lock_setting
from provider_desk.auth.roles import Actor, Role
from provider_desk.auth.services import (
    RECOVERY,
    NewUser,
    SignInRefused,
    add_user,
    change_own_password,
    change_role,
    confirm_password,
    create_first_manager,
    deactivate_user,
    has_users,
    reactivate_user,
    recover_password,
    reset_password,
    set_lock_after_minutes,
    sign_in,
)
from provider_desk.db.changelog import HIDDEN, verify_chain
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, PermissionDenied, ValidationError
from provider_desk.models.changelog import ChangeLogEntry
from tests.conftest import new_staff

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PASSWORD = "kettle-violet-harbour"
OTHER = "copper-lantern-meadow"


def as_actor(db: Database, actor: Actor) -> Database:
    return Database(db.url, actor=actor)


@pytest.fixture
def manager(db: Database) -> Actor:
    return create_first_manager(db, "JSmith", "Jane Smith", PASSWORD)


def log(db: Database, table: str = "user_account") -> list[ChangeLogEntry]:
    with db.reading() as s:
        return list(
            s.scalars(
                select(ChangeLogEntry)
                .where(ChangeLogEntry.table_name == table)
                .order_by(ChangeLogEntry.id)
            )
        )


@pytest.mark.real_argon2
def test_real_settings_are_rfc_9106_argon2id() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, PASSWORD)


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, PASSWORD) and not verify_password(first, PASSWORD.upper())
    assert not verify_password("not a hash", PASSWORD)


def test_first_manager_only_on_a_database_without_users(db: Database) -> None:
    assert not has_users(db)
    actor = create_first_manager(db, "  JSmith ", "Jane Smith", PASSWORD)
    assert actor.role == Role.MANAGER and actor.name == "Jane Smith" and actor.user_id
    assert has_users(db)
    (row,) = list_users(db)
    assert row.username == "jsmith" and row.active
    with pytest.raises(ValidationError, match="already has user accounts"):
        create_first_manager(db, "other", "Other Person", PASSWORD)


def test_password_rules(db: Database) -> None:
    short = "x" * (MIN_PASSWORD_LENGTH - 1)
    with pytest.raises(ValidationError, match=f"at least {MIN_PASSWORD_LENGTH} characters") as e:
        create_first_manager(db, "jsmith", "Jane Smith", short)
    assert e.value.field == "password"
    with pytest.raises(ValidationError, match="cannot be the user name"):
        create_first_manager(db, "jane.smith.manager", "Jane Smith", "Jane.Smith.Manager")
    with pytest.raises(ValidationError, match="no spaces"):
        create_first_manager(db, "jane smith", "Jane Smith", PASSWORD)
    assert not has_users(db)


def test_sign_in_is_case_insensitive_on_the_name_and_records_the_time(
    db: Database, manager: Actor
) -> None:
    actor = sign_in(db, "JSMITH", PASSWORD, NOW)
    assert actor == manager
    (row,) = list_users(db)
    assert row.last_sign_in_at == NOW
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "jsmith", PASSWORD.upper(), NOW)
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "nobody", PASSWORD, NOW)  # the same answer: no hint whether a user exists


def test_five_wrong_passwords_lock_for_fifteen_minutes(db: Database, manager: Actor) -> None:
    for attempt in range(1, LOCKOUT_ATTEMPTS):
        with pytest.raises(SignInRefused, match="not right"):
            sign_in(db, "jsmith", "wrong password!", NOW + dt.timedelta(seconds=attempt))
    with pytest.raises(SignInRefused, match="5 wrong passwords in a row") as locked:
        sign_in(db, "jsmith", "wrong password!", NOW + dt.timedelta(seconds=5))
    until = (NOW + dt.timedelta(seconds=5, minutes=15)).astimezone()
    assert f"locked until {until:%H:%M} on 23 Nov 2026" in str(locked.value)
    # Even the right password is refused while locked, and says until when.
    with pytest.raises(SignInRefused, match=f"locked until {until:%H:%M}"):
        sign_in(db, "jsmith", PASSWORD, NOW + dt.timedelta(minutes=15))
    # After the lock, the right password works and the count starts again.
    assert sign_in(db, "jsmith", PASSWORD, NOW + dt.timedelta(minutes=15, seconds=6)) == manager
    (row,) = list_users(db)
    assert row.locked_until is None
    # Each failure was saved (not rolled back with the refusal) and logged without the hash.
    attempts = [json.loads(e.changes) for e in log(db) if e.action == "update"]
    assert any(c.get("failed_attempts") == [0, 1] for c in attempts)
    assert any("locked_until" in c for c in attempts)


def test_a_correct_sign_in_clears_the_failures(db: Database, manager: Actor) -> None:
    for _ in range(LOCKOUT_ATTEMPTS - 1):
        with pytest.raises(SignInRefused):
            sign_in(db, "jsmith", "wrong password!", NOW)
    sign_in(db, "jsmith", PASSWORD, NOW)
    with pytest.raises(SignInRefused, match="not right"):  # not locked: the count restarted
        sign_in(db, "jsmith", "wrong password!", NOW)


def test_user_administration_and_the_last_manager_rule(db: Database, manager: Actor) -> None:
    mdb = as_actor(db, manager)
    ids = add_user(mdb, NewUser("amy", "Amy Jones", Role.COORDINATOR, OTHER)).ids
    amy = ids[0]
    with pytest.raises(ValidationError, match="already a user called amy"):
        add_user(mdb, NewUser("AMY", "Amy Two", Role.READ_ONLY, OTHER))
    assert sign_in(db, "amy", OTHER, NOW).role == Role.COORDINATOR
    change_role(mdb, amy, Role.READ_ONLY)
    assert sign_in(db, "amy", OTHER, NOW).role == Role.READ_ONLY
    deactivate_user(mdb, amy)
    with pytest.raises(SignInRefused, match="deactivated"):
        sign_in(db, "amy", OTHER, NOW)
    reactivate_user(mdb, amy)
    reset_password(mdb, amy, "a brand new password")
    assert sign_in(db, "amy", "a brand new password", NOW).user_id == amy
    # The only active manager can be neither demoted nor deactivated...
    assert manager.user_id is not None
    with pytest.raises(ValidationError, match="only active registered manager"):
        change_role(mdb, manager.user_id, Role.COORDINATOR)
    with pytest.raises(ValidationError, match="only active registered manager"):
        deactivate_user(mdb, manager.user_id)
    # ...until someone else is a manager.
    change_role(mdb, amy, Role.MANAGER)
    deactivate_user(mdb, manager.user_id)
    assert {(r.username, r.active) for r in list_users(db)} == {("amy", True), ("jsmith", False)}


def test_only_managers_manage_users(db: Database, manager: Actor) -> None:
    mdb = as_actor(db, manager)
    amy = add_user(mdb, NewUser("amy", "Amy Jones", Role.COORDINATOR, OTHER)).ids[0]
    adb = as_actor(db, sign_in(db, "amy", OTHER, NOW))
    for call in (
        lambda: add_user(adb, NewUser("bob", "Bob Brown", Role.MANAGER, OTHER)),
        lambda: change_role(adb, amy, Role.MANAGER),
        lambda: deactivate_user(adb, amy),
        lambda: reset_password(adb, manager.user_id or 0, "a takeover password"),
        lambda: set_lock_after_minutes(adb, 60, expected_version=lock_setting(db).version),
    ):
        with pytest.raises(PermissionDenied, match="Ask the registered manager"):
            call()
    assert [r.role for r in list_users(db) if r.username == "amy"] == [Role.COORDINATOR]


def test_change_own_password(db: Database, manager: Actor) -> None:
    mdb = as_actor(db, manager)
    with pytest.raises(SignInRefused, match="current password is not right") as e:
        change_own_password(mdb, "not my password", OTHER, NOW)
    assert e.value.field == "current"
    with pytest.raises(ValidationError, match="at least") as short:
        change_own_password(mdb, PASSWORD, "short", NOW)
    assert short.value.field == "new"
    change_own_password(mdb, PASSWORD, OTHER, NOW)
    assert sign_in(db, "jsmith", OTHER, NOW) == manager
    with pytest.raises(SignInRefused):
        sign_in(db, "jsmith", PASSWORD, NOW)


def test_unlock_needs_the_same_users_password(db: Database, manager: Actor) -> None:
    assert confirm_password(db, manager, PASSWORD, NOW) == manager
    with pytest.raises(SignInRefused, match="not right"):
        confirm_password(db, manager, OTHER, NOW)


def test_the_hash_is_never_in_the_change_log(db: Database, manager: Actor) -> None:
    mdb = as_actor(db, manager)
    amy = add_user(mdb, NewUser("amy", "Amy Jones", Role.COORDINATOR, OTHER)).ids[0]
    reset_password(mdb, amy, "a brand new password")
    change_own_password(mdb, PASSWORD, OTHER, NOW)
    entries = log(db)
    with db.reading() as s:
        hashes = list(s.scalars(select(UserAccount.password_hash)))
    text = " ".join(e.changes for e in entries)
    assert "$argon2" not in text and not any(h in text for h in hashes)
    inserted = json.loads(entries[0].changes)
    assert inserted["password_hash"] == [None, HIDDEN] and inserted["username"] == [None, "jsmith"]
    assert any(json.loads(e.changes).get("password_hash") == [HIDDEN, HIDDEN] for e in entries)


def test_change_log_records_the_user_and_old_entries_still_verify(
    db: Database, manager: Actor
) -> None:
    new_staff(db, "Before", "Logins")  # the program acting (no user id), as before logins
    mdb = as_actor(db, manager)
    staff_id = new_staff(mdb, "After", "Logins")
    entries = log(db, "staff_member")
    assert entries[0].user_id is None and entries[0].who == "test.manager"
    (after,) = [e for e in entries if e.row_id == staff_id]
    assert after.user_id == manager.user_id and after.who == "Jane Smith"
    with db.reading() as s:
        assert verify_chain(s) is None
    # The user id is covered by the hash: changing it is detected.
    with db.session() as s:
        s.execute(update(ChangeLogEntry).where(ChangeLogEntry.id == after.id).values(user_id=99))
    with db.reading() as s:
        assert verify_chain(s) == after.id


def test_recovery_sets_the_password_unlocks_and_is_logged(db: Database, manager: Actor) -> None:
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(SignInRefused):
            sign_in(db, "jsmith", "wrong password!", NOW)
    rdb = Database(db.url, actor=Actor.system("password recovery (os user: jane)"))
    with pytest.raises(ValidationError, match=r"no user called bob .*its users: jsmith"):
        recover_password(rdb, "bob", OTHER, NOW)
    user_id = recover_password(rdb, "JSmith", OTHER, NOW)
    assert user_id == manager.user_id
    assert sign_in(db, "jsmith", OTHER, NOW) == manager  # unlocked at once
    (entry,) = [e for e in log(db) if e.action == RECOVERY]
    assert entry.who == "password recovery (os user: jane)" and entry.user_id is None
    changes = json.loads(entry.changes)
    assert changes["password_hash"] == [HIDDEN, HIDDEN] and "locked_until" in changes
    with db.reading() as s:
        assert verify_chain(s) is None


def test_lock_after_minutes_setting(db: Database, manager: Actor) -> None:
    assert lock_after_minutes(db) == 15
    mdb = as_actor(db, manager)
    opened = lock_setting(db)
    assert opened.minutes == 15
    set_lock_after_minutes(mdb, 5, expected_version=opened.version)
    assert lock_after_minutes(db) == 5 and lock_setting(db).minutes == 5
    with pytest.raises(ValidationError, match="1 to 60"):
        set_lock_after_minutes(mdb, 0, expected_version=lock_setting(db).version)
    # A second window opened before that save would put 15 back: refused, naming who saved.
    with pytest.raises(ConflictError, match=r"Changed by .* reload to see their changes"):
        set_lock_after_minutes(mdb, 30, expected_version=opened.version)
    assert lock_after_minutes(db) == 5
