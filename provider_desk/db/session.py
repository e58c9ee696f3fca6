"""The unit of work: one session per user action, with storage problems turned into advice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import CursorResult, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.selectable import TypedReturnsRows

from provider_desk.auth.roles import Actor
from provider_desk.db import changelog
from provider_desk.db.engine import (
    SQLITE_BEGIN,
    Access,
    describe_location,
    is_sqlite,
    make_engine,
    sqlite_access,
)
from provider_desk.errors import ConflictError, IntegrityBug, ServerUnreachable, StorageError

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

_SNAPSHOT = "provider_desk.snapshot"
"""``Session.info`` key of a read session's memo (see :func:`once_per_snapshot`)."""


def once_per_snapshot(s: Session, key: tuple[Any, ...], read: Callable[[], list[T]]) -> list[T]:
    """``read()``, done once per read snapshot (:meth:`Database.reading`): the rows of one read
    transaction cannot change, so what several readers list in one snapshot (the dashboard's
    staff, actions, complaints) is read once; each caller gets its own list of the same frozen
    rows. In a write session it reads every time, as a flush may have changed the rows."""
    memo: dict[tuple[Any, ...], list[Any]] | None = s.info.get(_SNAPSHOT)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return list(memo[key])


def shared_per_snapshot(s: Session, key: tuple[Any, ...], read: Callable[[], T]) -> T:
    """As :func:`once_per_snapshot`, for a result nobody changes (a frozen matrix of tuples):
    every caller in the snapshot gets the same object. The evidence pack reads the training and
    supervision matrices for its own tables and again through the areas' readers."""
    memo: dict[tuple[Any, ...], Any] | None = s.info.get(_SNAPSHOT)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    found: T = memo[key]
    return found


def core_rows(s: Session, stmt: TypedReturnsRows[*Ts]) -> CursorResult[*Ts]:
    """The rows of ``stmt`` (a select of columns, not of whole models), run on the session's
    connection: plain rows, the columns' types applied (dates, booleans, UTC timestamps), without
    the ORM's per-row work (``s.execute`` of the same select costs several times more on big
    reads). Like ``s.execute``, it first flushes what the session holds unsaved (autoflush)."""
    if s.autoflush and (s.new or s.dirty or s.deleted):
        s.flush()
    return s.connection().execute(stmt)


class Database:
    """An open database: the engine, and sessions that commit or roll back as one action."""

    def __init__(self, url: str, *, actor: Actor | None = None, user: str | None = None) -> None:
        self.url = url
        # Until a user signs in, the program acts for the operating-system user.
        self.actor = actor or Actor.system(user or changelog.current_user())
        self.access = sqlite_access(url)
        self.engine = make_engine(url, self.access)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", changelog.before_flush)
        event.listen(self._sessions, "after_flush", changelog.after_flush)

    @property
    def user(self) -> str:
        """The acting user's name, as the change log records it."""
        return self.actor.name

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded single-file database."""
        return is_sqlite(self.url)

    @property
    def read_only(self) -> bool:
        """True when this PC may read the database but not save to it (the file or its drive
        is read-only): pages and exports work, every save is refused with a message."""
        return self.access is not Access.WRITE

    @property
    def location(self) -> str:
        """Where the data lives, for people (no password shown)."""
        return describe_location(self.url)

    @contextmanager
    def session(self, *, dry_run: bool = False) -> Iterator[Session]:
        """A session for one user action: commits at the end, rolls back on any error.

        With ``dry_run`` everything runs (validation, flushes, the change log) and is then rolled
        back, so a preview shows exactly what a real run would do.
        """
        s = self._sessions()
        s.info["user"] = self.actor.name
        s.info["actor"] = self.actor
        try:
            if self.is_sqlite:
                # Take the write lock now, waiting out the busy timeout if another PC is saving,
                # so the save never fails half-way when its reads turn into writes.
                s.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield s
            if dry_run:
                s.rollback()
            else:
                s.commit()
        except StaleDataError as exc:
            s.rollback()
            raise ConflictError(
                "Changed by someone else while you were saving — reload to see their changes.",
                "Nothing was saved. What you typed is still in the form: copy anything you "
                "need, close it and open the record again.",
            ) from exc
        except IntegrityError as exc:
            s.rollback()
            raise integrity_error(exc) from exc
        except DBAPIError as exc:
            s.rollback()
            raise storage_error(exc) from exc
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only, in one read transaction; never commits.

        Everything read through it comes from one snapshot: SQLite's read transaction gives that
        already; on PostgreSQL the transaction is REPEATABLE READ, so a report that reads several
        areas sees them as they were at one moment, even while another PC saves.
        """
        s = self._sessions()
        s.info[_SNAPSHOT] = {}  # see once_per_snapshot
        try:
            if not self.is_sqlite:
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield s
        except DBAPIError as exc:
            raise storage_error(exc) from exc
        finally:
            s.close()  # ends the read transaction without expiring what was read

    def read(self, fn: Callable[[Session], T]) -> T:
        """What ``fn`` reads, all inside one read transaction (one snapshot): a page that shows
        several things calls the queries' ``_in`` forms through this."""
        with self.reading() as s:
            return fn(s)

    def dispose(self) -> None:
        """Close every pooled connection (before backups, at exit, or when switching database)."""
        self.engine.dispose()


def constraint_of(exc: IntegrityError) -> str:
    """The name of the database rule an integrity error broke (or the driver's words for it)."""
    diag = getattr(exc.orig, "diag", None)  # psycopg
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    text = str(exc.orig if exc.orig is not None else exc)
    # SQLite: "UNIQUE constraint failed: complaint.reference"
    return text.split(": ", 1)[1] if ": " in text else text


def is_unique_violation(exc: IntegrityError) -> bool:
    """True if a row with the same unique value (a reference, a key) was saved first."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code is not None:
        return str(code) == "23505"
    return "unique constraint failed" in str(exc.orig).lower()


def integrity_error(exc: IntegrityError) -> Exception:
    """A broken database rule: a conflict with another save, or our bug.

    A unique value taken between our check and our save means another PC saved the same
    reference or record at the same moment: the user can simply try again. Anything else (a
    missing required value, a broken link between records) is a bug in Provider Desk, reported
    with the rule that was broken so the crash report says where to look.
    """
    constraint = constraint_of(exc)
    if is_unique_violation(exc):
        return ConflictError(
            "Someone saved the same reference or record at the same moment — try again.",
            f"Nothing was saved. (The database already holds that value: {constraint}.)",
        )
    return IntegrityBug(
        f"Provider Desk tried to save something that breaks the database rule {constraint}. "
        f"This is a bug: nothing was saved. ({exc.orig})"
    )


def read_only_upgrade(db: Database, revision: str | None) -> StorageError:
    """A read-only database that is not at this program's schema: it cannot be upgraded here."""
    db.dispose()
    if revision is None:
        return StorageError(
            f"{db.location} is read-only and is not a Provider Desk database (it is empty).",
            "Check you chose the right file.",
        )
    return StorageError(
        f"{db.location} is read-only, and it was saved by another version of Provider Desk "
        f"(schema {revision}), so this version cannot open it without upgrading it.",
        "Copy it somewhere you can write to and open that copy, or open it with the Provider "
        "Desk version that saved it.",
    )


def _fault_text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).lower()


LOST_TRANSACTION = (
    "no such savepoint",
    "cannot rollback - no transaction",
    "no transaction is active",
)
"""What SQLite says when asked to undo part of a transaction it has already rolled back."""


def root_fault(exc: BaseException) -> BaseException:
    """The fault behind ``exc``. When the disk fills up (or a write fails) SQLite may roll back
    the whole transaction itself; the import's "undo this row" (ROLLBACK TO SAVEPOINT) then
    fails with "no such savepoint", and that error would hide the real one: the full disk."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if not any(words in _fault_text(current) for words in LOST_TRANSACTION):
            return current
        current = current.__context__ or current.__cause__
    return exc


def storage_error(exc: BaseException) -> StorageError:
    """Explain an error from the database driver in the user's terms."""
    exc = root_fault(exc)
    text = _fault_text(exc)
    if "locked" in text or "busy" in text:
        return StorageError(
            "The database is busy: another Provider Desk window or office PC is saving.",
            "Wait a few seconds and try again. Nothing was saved from this attempt.",
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return StorageError(
            "The database file is read-only, so nothing can be saved.",
            "Ask whoever manages the PC to give you write access to the file, or copy it "
            "somewhere you can write to and open that copy.",
        )
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return StorageError(
            "The disk is full, so nothing could be saved.",
            "Free some space on the drive that holds the database, then try again. "
            "Everything saved before is intact.",
        )
    if "unable to open" in text:
        return StorageError(
            "The database file cannot be opened.",
            "Check the folder exists and that you are allowed to write to it.",
        )
    if isinstance(exc, OperationalError) and ("connect" in text or "server" in text):
        return ServerUnreachable(
            "Can't reach the database server. Nothing was saved from this attempt, and your "
            "unsaved form is kept: leave it open.",
            "Provider Desk keeps retrying and says when the server is back; then save again. "
            "If it stays away, check the office network and that the server PC is switched on.",
        )
    if "malformed" in text or "not a database" in text:
        return StorageError(
            "This file is not a Provider Desk database, or it is damaged.",
            "Open your latest backup (File > Open database) and contact support.",
        )
    return StorageError(f"The database reported a problem: {getattr(exc, 'orig', None) or exc}", "")
