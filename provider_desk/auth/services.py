"""User accounts: the first registered manager, signing in, changing one's own password, and
user administration (registered managers only). Every change is in the change log; the password
hash never is.

Services take ``now`` (a timezone-aware UTC timestamp): only ``provider_desk.clock`` reads the
clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from provider_desk.auth.models import MAX_USERNAME_LENGTH, UserAccount
from provider_desk.auth.passwords import (
    LOCKOUT_ATTEMPTS,
    LOCKOUT_MINUTES,
    hash_password,
    needs_rehash,
    password_problems,
    spend_verification_time,
    verify_password,
)
from provider_desk.auth.permissions import program_write, requires
from provider_desk.auth.roles import Actor, Permission, Role
from provider_desk.changes import SETTINGS, USERS, Changes
from provider_desk.db.changelog import HIDDEN, append_entries
from provider_desk.db.session import Database
from provider_desk.errors import PermissionDenied, Problem, ValidationError
from provider_desk.rules.dates import format_date
from provider_desk.settings.models import LOCK_AFTER_MINUTES_RANGE
from provider_desk.settings.services import settings_row_to_change

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")

WRONG_PASSWORD = (
    "The user name or password is not right. Check both (capital letters count in the password) "
    f"and try again: after {LOCKOUT_ATTEMPTS} wrong passwords in a row the account locks for "
    f"{LOCKOUT_MINUTES} minutes."
)


class SignInRefused(ValidationError):
    """Signing in was refused: wrong name or password, a locked or a deactivated account."""


@dataclass(frozen=True)
class NewUser:
    """Everything on the Add user form."""

    username: str
    full_name: str
    role: Role
    password: str


def normalise_username(text: str) -> str:
    """The stored form of a user name: user names ignore case and surrounding spaces."""
    return text.strip().lower()


def actor_of(user: UserAccount) -> Actor:
    """The Actor a signed-in ``user`` acts as (the change log shows their full name)."""
    return Actor(user.id, user.full_name, Role(user.role))


def _when(at: dt.datetime) -> str:
    """A time as the person at this PC reads it: ``15:04 on 3 Dec 2026`` (local time)."""
    local = at.astimezone()
    return f"{local:%H:%M} on {format_date(local.date())}"


def has_users(db: Database) -> bool:
    """True once the database has any user account (from then on everyone signs in)."""
    with db.reading() as s:
        return _count_users(s) > 0


def _count_users(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(UserAccount)) or 0)


def _require(db: Database, permission: Permission, doing: str) -> None:
    if not db.actor.can(permission):
        raise PermissionDenied(
            f"{db.actor.name} ({db.actor.role.label}) cannot {doing}: only the registered "
            "manager can.",
            "Ask the registered manager to do it.",
        )


def _new_user_problems(s: Session, data: NewUser) -> list[Problem]:
    problems: list[Problem] = []
    username = normalise_username(data.username)
    if not username:
        problems.append(Problem("username", "Give a user name (e.g. jsmith)."))
    elif len(username) > MAX_USERNAME_LENGTH:
        problems.append(
            Problem("username", f"A user name is at most {MAX_USERNAME_LENGTH} characters.")
        )
    elif not _USERNAME.match(username):
        problems.append(
            Problem(
                "username",
                "A user name uses letters, digits and . _ - @ only, with no spaces "
                "(e.g. jsmith or jane.smith).",
            )
        )
    elif s.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
        problems.append(
            Problem(
                "username",
                f"There is already a user called {username}. Choose another user name (a user "
                "who left is deactivated, not deleted, so their name stays taken).",
            )
        )
    if not data.full_name.strip():
        problems.append(
            Problem("full_name", "Give the person's full name (the change log shows it).")
        )
    elif len(data.full_name.strip()) > 200:
        problems.append(Problem("full_name", "The full name is at most 200 characters."))
    problems += password_problems(data.password, username=username)
    return problems


def _insert(s: Session, data: NewUser) -> UserAccount:
    user = UserAccount(
        username=normalise_username(data.username),
        full_name=data.full_name.strip(),
        role=Role(data.role).value,
        password_hash=hash_password(data.password),
        active=True,
        failed_attempts=0,
    )
    s.add(user)
    s.flush()
    return user


@program_write("first start: creates the registered manager before anyone can sign in")
def create_first_manager(db: Database, username: str, full_name: str, password: str) -> Actor:
    """Create the registered manager's account on a database with no users, and return them as
    the signed-in Actor.

    Raises:
        ValidationError: a field is not acceptable, or the database already has users (then
            everyone signs in, and the registered manager adds users).
    """
    with db.session() as s:
        if _count_users(s) > 0:
            raise ValidationError.single(
                "username",
                "This database already has user accounts: sign in, and ask the registered "
                "manager to add you if you have no account.",
            )
        data = NewUser(username, full_name, Role.MANAGER, password)
        problems = _new_user_problems(s, data)
        if problems:
            raise ValidationError(problems)
        user = _insert(s, data)
        return actor_of(user)


def _find(s: Session, username: str) -> UserAccount | None:
    return s.scalar(select(UserAccount).where(UserAccount.username == normalise_username(username)))


def _check_password(s: Session, user: UserAccount, password: str, now: dt.datetime) -> str | None:
    """Check ``password`` for ``user``, counting wrong ones; returns why it is refused, or None
    (then the failures are cleared and the sign-in time recorded)."""
    if user.locked_until is not None and now < user.locked_until:
        return (
            f"Too many wrong passwords: this account is locked until {_when(user.locked_until)}. "
            "Try again then, or ask the registered manager to reset the password (that unlocks "
            "it at once)."
        )
    if not verify_password(user.password_hash, password):
        user.failed_attempts = (user.failed_attempts or 0) + 1
        if user.failed_attempts >= LOCKOUT_ATTEMPTS:
            user.failed_attempts = 0
            user.locked_until = now + dt.timedelta(minutes=LOCKOUT_MINUTES)
            return (
                f"{LOCKOUT_ATTEMPTS} wrong passwords in a row: this account is locked until "
                f"{_when(user.locked_until)}. Try again then, or ask the registered manager to "
                "reset the password (that unlocks it at once)."
            )
        return WRONG_PASSWORD
    if not user.active:
        return (
            f"{user.full_name}'s account is deactivated, so it cannot sign in. Ask the registered "
            "manager to reactivate it if you still need it."
        )
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return None


def _signing_in(s: Session, actor: Actor) -> None:
    """The sign-in's own change-log entry is the user's: they are who signed in."""
    s.info["actor"] = actor
    s.info["user"] = actor.name


@program_write("records sign-in attempts for whoever is signing in")
def sign_in(db: Database, username: str, password: str, now: dt.datetime) -> Actor:
    """Check a user name and password and return who signed in.

    A wrong password counts against the account: after ``LOCKOUT_ATTEMPTS`` in a row it is locked
    for ``LOCKOUT_MINUTES`` minutes (the message says until when). A deactivated account cannot
    sign in. Each sign-in and each wrong password is in the change log.

    Raises:
        SignInRefused: the name or password is wrong, or the account is locked or deactivated.
    """
    refused: str | None = WRONG_PASSWORD
    actor: Actor | None = None
    # A read-only database (no write permission, read-only media) can still be viewed: the
    # password is checked against what is saved, but nothing can be recorded (the reading
    # session is closed without saving), so its sign-ins are not counted or logged.
    with db.reading() if db.read_only else db.session() as s:
        user = _find(s, username)
        if user is None:
            spend_verification_time(password)
        else:
            refused = _check_password(s, user, password, now)
            if refused is None:
                actor = actor_of(user)
                _signing_in(s, actor)
    # Outside the session, so the counted failure is saved before the refusal is raised.
    if actor is None:
        raise SignInRefused(Problem("password", refused or WRONG_PASSWORD))
    return actor


@program_write("unlocking: records attempts for the signed-in user")
def confirm_password(db: Database, actor: Actor, password: str, now: dt.datetime) -> Actor:
    """Unlock the app for the user who locked it: their password again (counted like a sign-in,
    so the lock screen cannot be used to guess it). Returns the user as they are now.

    Raises:
        SignInRefused: wrong password, or the account is now locked or deactivated.
    """
    if actor.user_id is None:
        raise SignInRefused(Problem("password", "No one is signed in: start Provider Desk again."))
    refused: str | None = "This account no longer exists. Close Provider Desk and sign in again."
    current: Actor | None = None
    with db.session() as s:
        user = s.get(UserAccount, actor.user_id)
        if user is not None:
            refused = _check_password(s, user, password, now)
            if refused is None:
                current = actor_of(user)
                _signing_in(s, current)
    if current is None:
        raise SignInRefused(Problem("password", refused or WRONG_PASSWORD))
    return current


@program_write("every user may change their own password")
def change_own_password(db: Database, current: str, new: str, now: dt.datetime) -> Changes:
    """The signed-in user changes their own password (they give the current one first).

    Raises:
        SignInRefused: the current password is wrong (counted towards the lock).
        ValidationError: the new password is not acceptable.
    """
    actor = db.actor
    if actor.user_id is None:
        raise ValidationError.single(
            "current", "No one is signed in, so there is no password to change."
        )
    with db.session() as s:
        user = s.get(UserAccount, actor.user_id)
        if user is None:
            raise ValidationError.single("current", "Your account no longer exists.")
        problems = password_problems(new, username=user.username, field="new")
        if problems:
            raise ValidationError(problems)
    refused: str | None = None
    with db.session() as s:
        user = s.get(UserAccount, actor.user_id)
        assert user is not None
        refused = _check_password(s, user, current, now)
        if refused is None:
            user.password_hash = hash_password(new)
    if refused is not None:
        if refused == WRONG_PASSWORD:
            refused = (
                "Your current password is not right (capital letters count). After "
                f"{LOCKOUT_ATTEMPTS} wrong passwords in a row the account locks for "
                f"{LOCKOUT_MINUTES} minutes."
            )
        raise SignInRefused(Problem("current", refused))
    return Changes.of(USERS, ids=(actor.user_id,))


@requires(Permission.MANAGE_USERS, "add users")
def add_user(db: Database, data: NewUser) -> Changes:
    """Add a user (registered managers only).

    Raises:
        PermissionDenied: the signed-in user is not allowed to manage users.
        ValidationError: a field is not acceptable.
    """
    _require(db, Permission.MANAGE_USERS, "add users")
    with db.session() as s:
        if _count_users(s) == 0:
            raise ValidationError.single(
                "username",
                "Create the registered manager's account first (open Provider Desk on this "
                "database): the first user is always the registered manager.",
            )
        problems = _new_user_problems(s, data)
        if problems:
            raise ValidationError(problems)
        user = _insert(s, data)
        return Changes.of(USERS, ids=(user.id,))


def _user(s: Session, user_id: int) -> UserAccount:
    user = s.get(UserAccount, user_id)
    if user is None:
        raise ValidationError.single("user", "That user is not in this database any more.")
    return user


def _other_active_managers(s: Session, user_id: int) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(UserAccount)
            .where(
                UserAccount.role == Role.MANAGER.value,
                UserAccount.active.is_(True),
                UserAccount.id != user_id,
            )
        )
        or 0
    )


def _last_manager(user: UserAccount, doing: str) -> ValidationError:
    return ValidationError.single(
        "role",
        f"{user.full_name} is the only active registered manager, so they cannot be {doing}: "
        "nobody could manage users any more. Make someone else a registered manager first.",
    )


@requires(Permission.MANAGE_USERS, "change roles")
def change_role(db: Database, user_id: int, role: Role) -> Changes:
    """Give a user another role (registered managers only). The last active registered manager
    keeps theirs."""
    _require(db, Permission.MANAGE_USERS, "change roles")
    with db.session() as s:
        user = _user(s, user_id)
        if (
            user.role == Role.MANAGER.value
            and role != Role.MANAGER
            and user.active
            and _other_active_managers(s, user.id) == 0
        ):
            raise _last_manager(user, "given another role")
        user.role = Role(role).value
        return Changes.of(USERS, ids=(user.id,))


@requires(Permission.MANAGE_USERS, "deactivate users")
def deactivate_user(db: Database, user_id: int) -> Changes:
    """Switch a user's account off (when they leave): they can no longer sign in; their name
    stays in the change log and on what they recorded. Never the last active manager."""
    _require(db, Permission.MANAGE_USERS, "deactivate users")
    with db.session() as s:
        user = _user(s, user_id)
        if user.role == Role.MANAGER.value and _other_active_managers(s, user.id) == 0:
            raise _last_manager(user, "deactivated")
        user.active = False
        return Changes.of(USERS, ids=(user.id,))


@requires(Permission.MANAGE_USERS, "reactivate users")
def reactivate_user(db: Database, user_id: int) -> Changes:
    """Switch a deactivated account back on."""
    _require(db, Permission.MANAGE_USERS, "reactivate users")
    with db.session() as s:
        user = _user(s, user_id)
        user.active = True
        return Changes.of(USERS, ids=(user.id,))


@requires(Permission.MANAGE_USERS, "reset other users' passwords")
def reset_password(db: Database, user_id: int, new_password: str) -> Changes:
    """Give another user a new password (registered managers only); this also unlocks a locked
    account. Tell them the new password in person and ask them to change it."""
    _require(db, Permission.MANAGE_USERS, "reset other users' passwords")
    with db.session() as s:
        user = _user(s, user_id)
        problems = password_problems(new_password, username=user.username)
        if problems:
            raise ValidationError(problems)
        user.password_hash = hash_password(new_password)
        user.failed_attempts = 0
        user.locked_until = None
        return Changes.of(USERS, ids=(user.id,))


@requires(Permission.MANAGE_SETTINGS, "change when the app locks")
def set_lock_after_minutes(db: Database, minutes: int, *, expected_version: int) -> Changes:
    """After how many minutes without a key press or click the app locks (registered managers).

    ``expected_version``: the ``version`` of the settings row the form showed (0 if there was
    none yet; see :func:`provider_desk.auth.queries.lock_setting`).

    Raises:
        ConflictError: someone changed the organisation settings since the form was opened.
    """
    _require(db, Permission.MANAGE_SETTINGS, "change when the app locks")
    low, high = LOCK_AFTER_MINUTES_RANGE
    if not low <= minutes <= high:
        raise ValidationError.single(
            "lock_after_minutes", f"Lock after {low} to {high} minutes without use."
        )
    with db.session() as s:
        row = settings_row_to_change(s, expected_version)
        row.lock_after_minutes = minutes
        return Changes.of(SETTINGS)


RECOVERY = "recovery"
"""The change-log action of a password set by ``recover_password``."""


@program_write("recovery needs the database file itself, and is logged")
def recover_password(db: Database, username: str, new_password: str, now: dt.datetime) -> int:
    """Set a forgotten password with access to the database itself (``provider-desk
    reset-password``): no sign-in, because having the database file (or the server's own
    credentials) is the proof. Unlocks the account. Logged as a ``recovery`` entry in the change
    log, by whoever ``db`` acts for (the operating-system user). Returns the user's id.

    Raises:
        ValidationError: no such user, or the new password is not acceptable.
    """
    with db.session() as s:
        user = _find(s, username)
        if user is None:
            names = ", ".join(
                s.scalars(select(UserAccount.username).order_by(UserAccount.username))
            )
            raise ValidationError.single(
                "user",
                f"There is no user called {normalise_username(username)} in this database "
                + (f"(its users: {names})." if names else "(it has no users yet)."),
            )
        problems = password_problems(new_password, username=user.username)
        if problems:
            raise ValidationError(problems)
        changes: dict[str, list[object]] = {"password_hash": [HIDDEN, HIDDEN]}
        if user.failed_attempts:
            changes["failed_attempts"] = [user.failed_attempts, 0]
        if user.locked_until is not None:
            changes["locked_until"] = [user.locked_until.isoformat(), None]
        # A statement, not an ORM change: the log gets one entry saying "recovery", not "update".
        s.execute(
            update(UserAccount)
            .where(UserAccount.id == user.id)
            .values(
                password_hash=hash_password(new_password),
                failed_attempts=0,
                locked_until=None,
                updated_at=now,
                updated_by=db.actor.name,
                version=UserAccount.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        append_entries(s, [(UserAccount.__tablename__, user.id, RECOVERY, changes)])
        return user.id
