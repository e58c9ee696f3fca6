"""Write the append-only, hash-chained change log from every ORM flush, and verify the chain."""

from __future__ import annotations

import datetime as dt
import decimal
import getpass
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from provider_desk.models.base import Tracked, utcnow
from provider_desk.models.changelog import ChangeLogEntry

GENESIS = "0" * 64
_SKIP = {"created_at", "updated_at", "created_by", "updated_by", "version", "data"}


def current_user() -> str:
    """The person at the keyboard. Until logins exist this is the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name at all on some service accounts
        return "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def entry_hash(
    prev_hash: str,
    at: str,
    who: str,
    table: str,
    row_id: int,
    action: str,
    changes: str,
    user_id: int | None = None,
) -> str:
    """The hash of one entry, covering the previous entry's hash so that edits are detectable.

    The user's id is covered when there is one; an entry without one (every entry written before
    logins) hashes exactly as it always did, so old chains still verify.
    """
    fields = [prev_hash, at, who, table, str(row_id), action, changes]
    if user_id is not None:
        fields.append(f"user:{user_id}")
    payload = "\x1f".join(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


HIDDEN = "(not recorded)"
"""What the log shows instead of a value it must never hold (a password hash)."""


def _hidden(cls: type) -> frozenset[str]:
    return getattr(cls, "__log_hidden__", frozenset())


def _shown(cls: type, key: str, value: Any) -> Any:
    if value is None or key not in _hidden(cls):
        return _plain(value)
    return HIDDEN


def _logged_keys(cls: type) -> tuple[str, ...]:
    keys = _KEYS.get(cls)
    if keys is None:
        mapper: Any = inspect(cls)
        keys = _KEYS[cls] = tuple(a.key for a in mapper.column_attrs if a.key not in _SKIP)
    return keys


_KEYS: dict[type, tuple[str, ...]] = {}


def _changes(obj: Tracked, *, new: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    if new:
        # A new row's values are all in its instance dict: no need for attribute history.
        values = state.dict
        for key in _logged_keys(type(obj)):
            value = values.get(key)
            if value is not None and value != "":
                out[key] = [None, _shown(type(obj), key, value)]
        return out
    for key in _logged_keys(type(obj)):
        hist = state.attrs[key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            now = hist.added[0] if hist.added else None
            if old != now:
                out[key] = [_shown(type(obj), key, old), _shown(type(obj), key, now)]
    return out


def _old_values(obj: Tracked) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key not in _SKIP:
            value = state.attrs[attr.key].loaded_value
            if value is not None and value != "" and not isinstance(value, type(NO_VALUE)):
                out[attr.key] = [_shown(type(obj), attr.key, value), None]
    return out


def before_flush(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    """Stamp who and when on every row being written."""
    who = session.info.get("user") or current_user()
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, Tracked):
            obj.created_by = obj.updated_by = who
            obj.created_at = obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=False):
            obj.updated_by = who
            obj.updated_at = now


def after_flush(session: Session, _ctx: UOWTransaction) -> None:
    """Append one change-log entry per inserted, updated or archived row."""
    pending: list[tuple[Tracked, str, dict[str, list[Any]]]] = []
    for obj in session.new:
        if isinstance(obj, Tracked):
            pending.append((obj, "insert", _changes(obj, new=True)))
    for obj in session.dirty:
        if isinstance(obj, Tracked):
            changes = _changes(obj, new=False)
            if not changes:
                continue
            archived = changes.get("archived_at")
            action = "update"
            if archived is not None:
                action = "archive" if archived[1] is not None else "restore"
            pending.append((obj, action, changes))
    for obj in session.deleted:
        if isinstance(obj, Tracked):
            pending.append((obj, "delete", _old_values(obj)))
    if not pending:
        return
    append_entries(
        session,
        [
            (type(obj).__table__.name, obj.id, action, changes)  # type: ignore[attr-defined]
            for obj, action, changes in sorted(
                pending, key=lambda p: (type(p[0]).__name__, p[0].id)
            )
        ],
    )


def append_entries(
    session: Session, entries: list[tuple[str, int, str, dict[str, list[Any]]]]
) -> None:
    """Append (table, row id, action, changes) entries to the chained log in this transaction."""
    if not entries:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Several office PCs append at once: serialise appends so the hash chain never forks.
        conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    table = ChangeLogEntry.__table__
    assert isinstance(table, Table)
    prev = conn.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()
    prev_hash = prev or GENESIS
    who = session.info.get("user") or current_user()
    actor = session.info.get("actor")
    user_id = actor.user_id if actor is not None else None
    at = utcnow()
    stamp = at.isoformat()
    rows = []
    for tname, row_id, action, changes in entries:
        body = json.dumps(changes, sort_keys=True, ensure_ascii=False)
        h = entry_hash(prev_hash, stamp, who, tname, row_id, action, body, user_id)
        rows.append(
            {
                "at": at,
                "who": who,
                "table_name": tname,
                "row_id": row_id,
                "action": action,
                "changes": body,
                "prev_hash": prev_hash,
                "hash": h,
                "user_id": user_id,
            }
        )
        prev_hash = h
    conn.execute(table.insert(), rows)


def insert_logged(session: Session, model: type[Tracked], rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows of ``model`` at once (one INSERT ... RETURNING) and log each insert.

    For importers: far quicker than the ORM's per-object bookkeeping, same change log.
    Returns the new ids in the order of ``rows``.
    """
    if not rows:
        return []
    who = session.info.get("user") or current_user()
    now = utcnow()
    extra = {
        "created_at": now,
        "updated_at": now,
        "created_by": who,
        "updated_by": who,
        "version": 1,
    }
    table = model.__table__  # type: ignore[attr-defined]
    result = session.connection().execute(
        table.insert().returning(table.c.id, sort_by_parameter_order=True),
        [{**r, **extra} for r in rows],
    )
    ids = [row[0] for row in result]
    entries = []
    for new_id, r in zip(ids, rows, strict=True):
        changes = {
            k: [None, _shown(model, k, v)] for k, v in r.items() if v is not None and v != ""
        }
        changes["id"] = [None, new_id]
        entries.append((table.name, new_id, "insert", changes))
    append_entries(session, entries)
    return ids


@dataclass(frozen=True)
class ChainHead:
    """Where the change log's hash chain ends: what an anchor outside the database records."""

    entries: int
    last_id: int | None
    last_hash: str


def chain_head(session: Session) -> ChainHead:
    """The number of entries and the last entry's id and hash (``GENESIS`` when empty)."""
    table = ChangeLogEntry.__table__
    assert isinstance(table, Table)
    count = session.execute(select(func.count()).select_from(table)).scalar_one()
    last = session.execute(
        select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return ChainHead(0, None, GENESIS)
    return ChainHead(int(count), int(last[0]), str(last[1]))


def verify_chain(session: Session) -> int | None:
    """Check every entry's hash. Returns the id of the first tampered entry, or None if intact."""
    prev_hash = GENESIS
    for e in session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id)):
        expected = entry_hash(
            prev_hash,
            e.at.isoformat(),
            e.who,
            e.table_name,
            e.row_id,
            e.action,
            e.changes,
            e.user_id,
        )
        if e.prev_hash != prev_hash or e.hash != expected:
            return e.id
        prev_hash = e.hash
    return None
