"""Which database to open, and an engine with the SQLite settings we rely on."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Mapping
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


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # The GUI reads and writes from one worker thread, not the thread that made the engine.
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


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
