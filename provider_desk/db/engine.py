"""Which database to open, and an engine with the SQLite settings we rely on."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

ENV_VAR = "PROVIDER_DESK_DATABASE_URL"
APP_NAME = "ProviderDesk"
BUSY_TIMEOUT_MS = 5000


def data_folder() -> Path:
    """The user's own data folder for Provider Desk (e.g. %LOCALAPPDATA%\\ProviderDesk)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """Where the embedded database lives unless told otherwise."""
    return data_folder() / "provider-desk.sqlite3"


def resolve_database_url(
    path_or_url: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """Turn ``--database``, the environment or the default into a SQLAlchemy URL.

    A value containing ``://`` is a URL (e.g. ``postgresql+psycopg://office-server/care``);
    anything else is a path to a SQLite file.
    """
    env = os.environ if environ is None else environ
    chosen = path_or_url or env.get(ENV_VAR) or str(default_database_path())
    if "://" in chosen:
        url = make_url(chosen)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return "sqlite:///" + str(Path(chosen).expanduser().resolve())


def is_sqlite(url: str) -> bool:
    """True for an embedded SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases or in-memory)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    if u.database.startswith("file:"):
        # SQLite URI form (e.g. ``file:/path/db.sqlite3?mode=ro`` with ``uri=true``).
        name = u.database[len("file:") :]
        return None if not name or name.startswith(":memory:") else Path(name)
    return Path(u.database)


def describe_location(url: str) -> str:
    """Where the data is, for the status bar: a file path, or the server without the password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    u = make_url(url)
    return u.render_as_string(hide_password=True)


class Access(StrEnum):
    """How a database can be used from this PC."""

    WRITE = "write"
    READ_ONLY = "read-only"
    """The file cannot be written (no permission): opened ``mode=ro``; SQLite may still make
    its WAL side files in the folder, so other PCs' saves are seen."""
    READ_ONLY_MEDIA = "read-only media"
    """Neither the file nor its folder can be written (a CD, a write-protected USB stick, a
    read-only share): opened ``immutable=1``, which needs no side files and no locks."""


def sqlite_access(url: str) -> Access:
    """Whether the SQLite file behind ``url`` can be written, for opening it the right way."""
    path = sqlite_path(url)
    if path is None:
        return Access.WRITE
    query = make_url(url).query
    if query.get("mode") == "ro" or query.get("immutable") == "1":
        return Access.READ_ONLY_MEDIA if query.get("immutable") == "1" else Access.READ_ONLY
    if not path.exists() or os.access(path, os.W_OK):
        return Access.WRITE
    return Access.READ_ONLY if os.access(path.parent, os.W_OK) else Access.READ_ONLY_MEDIA


def read_only_uri(path: Path, access: Access) -> str:
    """The SQLite URI that opens ``path`` without writing (``file:///…?mode=ro``), its path
    escaped as SQLite's URIs need (a ``?``, ``#`` or ``%`` in a folder name)."""
    extra = "&immutable=1" if access is Access.READ_ONLY_MEDIA else ""
    return f"{path.resolve().as_uri()}?mode=ro{extra}"


def make_engine(url: str, access: Access | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout.

    A SQLite file this PC may not write (``access``, by default :func:`sqlite_access`) is
    opened read-only through a SQLite URI, so reading, viewing and exporting work and a save
    is refused with the read-only message (a plain open fails even to read: WAL mode wants to
    create its side files).
    """
    if is_sqlite(url):
        path = sqlite_path(url)
        access = sqlite_access(url) if access is None else access
        # The GUI reads and writes from one worker thread, not the thread that made the engine.
        options: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        if path is not None and access is not Access.WRITE and "mode=" not in url:
            uri = read_only_uri(path, access)
            engine = create_engine(url, creator=lambda: sqlite3.connect(uri, uri=True, **options))
        else:
            if path is not None and access is Access.WRITE:
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args=options)
        event.listen(engine, "connect", _sqlite_on_connect)
        # A read-only database is only ever read: a plain (deferred) BEGIN, never one that
        # asks for the write lock.
        begin = _sqlite_on_begin if access is Access.WRITE else _sqlite_on_begin_reading
        event.listen(engine, "begin", begin)
        return engine
    # A server that went away must fail a connection attempt within seconds, not the minutes a
    # TCP connect can take, so the app can say so and retry.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # A read-only file cannot switch journal mode; reads still work and the first write
    # reports the read-only problem properly.
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: otherwise SAVEPOINTs
    # (used by imports so one bad row rolls back alone) silently commit. SQLAlchemy's documented
    # recipe for pysqlite.
    dbapi_connection.isolation_level = None


SQLITE_BEGIN = "sqlite_begin"
"""Connection execution option: ``"IMMEDIATE"`` (or ``"EXCLUSIVE"``) makes the next transaction
take SQLite's write lock at its start. Write sessions use it, so two PCs saving at once queue for
the lock (waiting up to the busy timeout) instead of one failing half-way with "database is
locked" when a read transaction tries to become a write one. Reads stay deferred: they never wait
for a writer."""


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN)
    if mode in ("IMMEDIATE", "EXCLUSIVE"):
        conn.exec_driver_sql(f"BEGIN {mode}")
    else:
        conn.exec_driver_sql("BEGIN")


def _sqlite_on_begin_reading(conn: Any) -> None:
    # A file this PC may only read: never ask for the write lock (a save then fails with the
    # read-only message instead of waiting for a lock it can never get).
    conn.exec_driver_sql("BEGIN")
