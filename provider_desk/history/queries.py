"""Reading the change log: entries filtered by record, user, period and area, newest first, a
page at a time, each with its fields' old and new values in words."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select
from sqlalchemy.orm import Session

from provider_desk.auth.roles import ROLE_LABELS, Role
from provider_desk.errors import ValidationError
from provider_desk.history.records import (
    AREA_TITLES,
    KINDS,
    describe,
    foreign_keys,
    kind_of,
    part_ids,
    readable,
    tables_of_area,
)
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.resources import check_title
from provider_desk.rules.dates import format_date

if TYPE_CHECKING:
    from provider_desk.db.session import Database

PAGE_SIZE = 200
EMPTY = "—"

ACTIONS = {
    "insert": "Added",
    "update": "Changed",
    "archive": "Archived",
    "restore": "Restored",
    "delete": "Deleted",
    "purge": "Purged (past retention)",
    "subject access": "Subject access export",
    "recovery": "Password recovery",
}


@dataclass(frozen=True)
class RecordRef:
    """One record: its table and row id, and what it is in words."""

    table: str
    row_id: int
    description: str = ""


@dataclass(frozen=True)
class HistoryFilter:
    """Which entries to show. Empty fields filter nothing."""

    record: RecordRef | None = None
    with_parts: bool = True  # a staff file's checks and training, a complaint's timeline ...
    who: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    area: str = ""

    def check(self, today: dt.date) -> None:
        """Raise ValidationError for a period that cannot hold any entry."""
        if self.start and self.end and self.start > self.end:
            raise ValidationError.single(
                "start",
                f"The period starts on {format_date(self.start)}, after it ends "
                f"({format_date(self.end)}): swap the dates.",
            )
        if self.start and self.start > today:
            raise ValidationError.single(
                "start",
                f"The period starts on {format_date(self.start)}, after today: nothing has been "
                "changed yet then. Choose an earlier date.",
            )
        if self.area and self.area not in AREA_TITLES:
            raise ValidationError.single("area", f"There is no area called {self.area!r}.")


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry: its name in words and its old and new values as text."""

    field: str
    label: str
    old: str
    new: str

    def text(self) -> str:
        """``Last name: Smith → Smith-Jones``."""
        return f"{self.label}: {self.old} → {self.new}"


@dataclass(frozen=True)
class HistoryEntry:
    """One change-log entry, ready to show."""

    id: int
    at: dt.datetime  # UTC
    who: str
    table: str
    row_id: int
    kind: str  # "Training record"
    record: str  # "Jane Smith — Fire safety"
    action: str  # insert / update / archive / restore / delete
    changes: tuple[FieldChange, ...]

    @property
    def when(self) -> str:
        """The local date and time: ``22 Nov 2026 14:05``."""
        return format_when(self.at)

    @property
    def action_label(self) -> str:
        """``Added``, ``Changed``, ``Archived``, ``Restored``, ``Deleted``."""
        return ACTIONS.get(self.action) or self.action.replace("_", " ").capitalize()

    @property
    def summary(self) -> str:
        """The change on one line: one field as ``old → new``, several as their names."""
        if not self.changes:
            return ""
        if len(self.changes) == 1:
            return _one_line(self.changes[0].text())
        if self.action in ("insert", "delete"):
            # What the record said: its first fields' values (the detail shows them all).
            # A part's owner is in the record's own description already: not said twice.
            values = [(c.label, c.new if self.action == "insert" else c.old) for c in self.changes]
            said = [f"{label}: {value}" for label, value in values if value not in self.record]
            return _one_line("; ".join(said[:4]))
        return ", ".join(c.label for c in self.changes)


@dataclass(frozen=True)
class HistoryPage:
    """A page of entries, newest first, and how many entries match in all."""

    entries: tuple[HistoryEntry, ...]
    total: int
    more: bool  # older entries match beyond this page

    @property
    def oldest_id(self) -> int | None:
        """Pass as ``before_id`` for the next page."""
        return self.entries[-1].id if self.entries else None


def format_when(at: dt.datetime) -> str:
    """A stored UTC timestamp as this PC's local date and time: ``22 Nov 2026 14:05``."""
    local = at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def _one_line(text: str, limit: int = 120) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` on this PC's calendar, in UTC (as the log stores times)."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def _table() -> Table:
    t = ChangeLogEntry.__table__
    assert isinstance(t, Table)
    return t


def _conditions(s: Session, f: HistoryFilter) -> list[ColumnElement[bool]]:
    t = _table()
    where: list[ColumnElement[bool]] = []
    if f.record is not None:
        if f.with_parts:
            parts = part_ids(s, f.record.table, f.record.row_id)
        else:
            parts = {f.record.table: {f.record.row_id}}
        where.append(
            or_(
                *(
                    and_(t.c.table_name == table, t.c.row_id.in_(sorted(ids)))
                    for table, ids in parts.items()
                    if ids
                )
            )
        )
    if f.who:
        where.append(t.c.who == f.who)
    if f.start is not None:
        where.append(t.c.at >= _local_midnight(f.start))
    if f.end is not None:
        where.append(t.c.at < _local_midnight(f.end + dt.timedelta(days=1)))
    if f.area:
        where.append(t.c.table_name.in_(tables_of_area(f.area)))
    return where


def history_in(
    s: Session,
    f: HistoryFilter,
    today: dt.date,
    *,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
    count: bool = True,
) -> HistoryPage:
    """Entries matching ``f``, newest first: ``limit`` of them, older than ``before_id``.

    ``total`` counts every match (0 when ``count`` is False, for a quick "load more").

    Raises:
        ValidationError: the period is the wrong way round or starts after ``today``.
    """
    f.check(today)
    t = _table()
    where = _conditions(s, f)
    total = 0
    if count:
        total = int(s.execute(select(func.count()).select_from(t).where(*where)).scalar_one())
    page_where = [*where, t.c.id < before_id] if before_id is not None else where
    rows = s.execute(
        select(t.c.id, t.c.at, t.c.who, t.c.table_name, t.c.row_id, t.c.action, t.c.changes)
        .where(*page_where)
        .order_by(t.c.id.desc())
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return HistoryPage(entries(s, rows), total, more)


def history(
    db: Database,
    f: HistoryFilter,
    today: dt.date,
    *,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> HistoryPage:
    """:func:`history_in` in a read session of its own (for a page of the app)."""
    with db.reading() as s:
        return history_in(s, f, today, before_id=before_id, limit=limit)


def entries(s: Session, rows: Sequence[Any]) -> tuple[HistoryEntry, ...]:
    """Change-log rows (id, at, who, table_name, row_id, action, changes) made ready to show:
    each record described, each field named, ids of other records turned into their names."""
    parsed = [(row, _parse(row[6])) for row in rows]
    fks = foreign_keys()
    named: set[tuple[str, int]] = set()
    for row, changes in parsed:
        for column, values in changes.items():
            target = fks.get((row[3], column))
            if target is not None:
                named.update((target, v) for v in values if isinstance(v, int))
    records = describe(s, {(row[3], int(row[4])) for row in rows})
    names = describe(s, named, short=True)
    out = []
    for row, changes in parsed:
        table = str(row[3])
        kind = kind_of(table)
        fields = tuple(
            FieldChange(
                column,
                kind.label(column),
                _value(table, column, old, fks, names),
                _value(table, column, new, fks, names),
            )
            for column, (old, new) in sorted(changes.items(), key=lambda c: _order(table, c[0]))
            if column != "id"
        )
        at = row[1] if row[1].tzinfo else row[1].replace(tzinfo=dt.UTC)
        out.append(
            HistoryEntry(
                id=int(row[0]),
                at=at,
                who=str(row[2]),
                table=table,
                row_id=int(row[4]),
                kind=kind.title,
                record=records[(table, int(row[4]))],
                action=str(row[5]),
                changes=fields,
            )
        )
    return tuple(out)


def _order(table: str, column: str) -> int:
    """Fields in the order the table declares them (unknown ones last)."""
    from provider_desk.models.base import Base

    t = Base.metadata.tables.get(table)
    if t is None or column not in t.c:
        return 10_000
    return list(t.c.keys()).index(column)


def _parse(body: str) -> dict[str, tuple[Any, Any]]:
    try:
        data = json.loads(body)
    except ValueError:
        return {"changes": (None, body)}
    out: dict[str, tuple[Any, Any]] = {}
    if not isinstance(data, dict):
        return {"changes": (None, data)}
    for column, values in data.items():
        if isinstance(values, list) and len(values) == 2:
            out[str(column)] = (values[0], values[1])
        else:
            out[str(column)] = (None, values)
    return out


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _value(
    table: str,
    column: str,
    value: Any,
    fks: dict[tuple[str, str], str],
    names: dict[tuple[str, int], str],
) -> str:
    """One logged value as a manager reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    target = fks.get((table, column))
    if target is not None and isinstance(value, int):
        return names.get((target, value), f"#{value}")
    if table == "recruitment_check" and column == "kind":
        return check_title(str(value))
    if table == "user_account" and column == "role" and value in ROLE_LABELS:
        return ROLE_LABELS[Role(value)]
    if isinstance(value, str):
        if value[:1] in "{[":
            # Structured text (a care plan's sections, a visit schedule): read out, not as JSON.
            try:
                return _structured(json.loads(value))
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            return format_date(dt.date.fromisoformat(value))
        if _ISO_TIME.match(value):
            try:
                stamp = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            return format_when(stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC))
        return value
    if isinstance(value, list | dict):
        return _structured(value)
    return str(value)


def _structured(value: Any) -> str:
    """Nested sections and lists as "Heading: part; part", headings in words, blanks left out."""
    if isinstance(value, dict):
        parts = []
        for key, inner in value.items():
            text = _structured(inner)
            if text and text != EMPTY:
                parts.append(f"{readable(str(key))}: {text}")
        return "; ".join(parts) if parts else EMPTY
    if isinstance(value, list):
        items = [t for t in (_structured(v) for v in value) if t and t != EMPTY]
        return ", ".join(items) if items else EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


# Choices for the viewer's filters ----------------------------------------------------------
def users_in(s: Session) -> list[str]:
    """Everyone who has changed anything, by name."""
    t = _table()
    return sorted(str(w) for w in s.scalars(select(t.c.who).distinct()))


SEARCHED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("staff_member", ("first_name", "last_name", "preferred_name")),
    ("person", ("first_name", "last_name", "preferred_name", "reference")),
    ("complaint", ("reference", "complainant_name")),
    ("audit_run", ("reference",)),
    ("action", ("description",)),
    ("course", ("name",)),
    ("job_role", ("name",)),
    ("audit_template", ("name",)),
)
"""The kinds of record the viewer's record search finds, and the columns it looks in."""


def find_records_in(s: Session, text: str, limit: int = 30) -> list[RecordRef]:
    """Records whose names or references contain every word of ``text`` (any case)."""
    from provider_desk.models.base import Base

    words = text.lower().split()
    if not words:
        return []
    found: list[tuple[str, int]] = []
    for table, columns in SEARCHED:
        t = Base.metadata.tables[table]
        haystack = func.lower(_joined([func.coalesce(t.c[c], "") for c in columns]))
        query = (
            select(t.c.id)
            .where(*(haystack.contains(w, autoescape=True) for w in words))
            .order_by(t.c.id.desc())
            .limit(limit)
        )
        found += [(table, int(i)) for i in s.scalars(query)]
    names = describe(s, found)
    refs = [RecordRef(table, row_id, names[(table, row_id)]) for table, row_id in found]
    return sorted(refs, key=lambda r: r.description.lower())[:limit]


def _joined(parts: list[Any]) -> Any:
    out = parts[0]
    for part in parts[1:]:
        out = out.concat(" ").concat(part)
    return out


def record_ref_in(s: Session, table: str, row_id: int) -> RecordRef:
    """The record ``(table, row_id)`` described in words (for "History…" opened from a record)."""
    if table not in KINDS:
        raise ValidationError.single("record", f"The change log keeps no records of {table!r}.")
    return RecordRef(table, row_id, describe(s, [(table, row_id)])[(table, row_id)])


def latest_change_id(db: Database) -> int:
    """The newest change-log entry's id (0 when empty): a cheap counter that moves whenever
    anyone, on any PC, saves anything."""
    t = _table()
    with db.reading() as s:
        return int(s.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())


def tables_changed_since(db: Database, after_id: int) -> tuple[int, frozenset[str]]:
    """The newest entry's id and the tables of the entries written after ``after_id``."""
    t = _table()
    with db.reading() as s:
        newest = int(s.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
        if newest <= after_id:
            return newest, frozenset()
        tables = s.scalars(
            select(t.c.table_name).where(t.c.id > after_id, t.c.id <= newest).distinct()
        )
        return newest, frozenset(str(x) for x in tables)
