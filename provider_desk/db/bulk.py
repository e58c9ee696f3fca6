"""Writing many rows to SQLite at once: each column's values bound as its type binds them, in
one executemany (the change log's bulk inserts, an import's keys to look up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection


def bound_values(values: list[Any], process: Callable[[Any], Any] | None) -> list[Any]:
    """A column's values as its type binds them: each distinct value processed once (an
    import's 10,000 completion dates are a few hundred days)."""
    if process is None:
        return values
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) == 1 and next(iter(kinds)) in _CACHED_KINDS:
        done = {v: process(v) for v in set(values) if v is not None}
        done[None] = None
        return [done[v] for v in values]
    return [None if v is None else process(v) for v in values]


_CACHED_KINDS = frozenset({dt.date, str, int})  # (not datetime: equal in two zones, bound apart)


def sqlite_insert(conn: Connection, table: str, columns: dict[str, list[Any]]) -> None:
    """INSERT rows into a SQLite table in one executemany, from each column's values as bound,
    row by row. A column holding the same value in every row is written into the statement as
    a literal, as a hand-written INSERT would (NULL, an integer, or quoted text): the same
    stored value, and one value fewer to bind per row (binding took a quarter of the insert)."""
    names: list[str] = []
    slots: list[str] = []
    bound: list[list[Any]] = []
    for name, values in columns.items():
        literal = _literal(values)
        names.append(f'"{name}"')
        slots.append("?" if literal is None else literal)
        if literal is None:
            bound.append(values)
    count = len(next(iter(columns.values())))
    sql = f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join(slots)})'
    conn.exec_driver_sql(sql, list(zip(*bound, strict=True)) if bound else [()] * count)


def _literal(values: list[Any]) -> str | None:
    """The SQL literal of the one value every row holds, or None (bound instead) if they
    differ or it is not NULL, a 64-bit integer or text without a NUL character."""
    first = values[0]
    if first is None:
        text = "NULL"
    elif type(first) is int and -(2**63) <= first < 2**63:
        text = str(first)
    elif type(first) is str and "\x00" not in first:
        text = "'" + first.replace("'", "''") + "'"
    else:
        return None
    if values.count(first) != len(values) or len(set(map(type, values))) != 1:
        return None
    return text
