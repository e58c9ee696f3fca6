"""Match a row to a saved record, list what it changes field by field, hold back conflicts, and
apply only what the file says: the one implementation every importer shares.

An area declares a :class:`RecordKind`: the fields an import may set, the keys that find a saved
record (tried in order), the identity fields that must agree with it, and how to save through the
area's service (so an import is checked exactly as the form is). Each row is read into a
:class:`Row`, whose cell readers give the same messages everywhere, and handed to :func:`merge`.

The rules, the same for every area:

- a column that is not in the file changes nothing; an empty cell changes nothing either unless
  the manager chose "empty cells clear fields" (``clear_empty``);
- a key that finds a saved record whose identity differs (another name or date of birth) is a
  conflict: reported with both sides and never applied; identity fields are never changed by an
  import (a blank one may be filled in);
- every update is listed field by field (old -> new) before it is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from provider_desk.auth.permissions import program_write
from provider_desk.collection import collection_paused
from provider_desk.db.bulk import bound_values, sqlite_insert
from provider_desk.db.session import Database
from provider_desk.errors import Problem, ValidationError
from provider_desk.rules.dates import DateParseError, format_date
from provider_desk.tabular.read import Table, cell_date, normalise
from provider_desk.tabular.report import (
    Conflict,
    FieldChange,
    ImportReport,
    Planned,
    Skipped,
    Updated,
)

M = TypeVar("M")

CLEAR_EMPTY_HELP = (
    "An empty cell leaves the saved value as it is. Tick this to make empty cells clear text "
    "and date fields instead (a choice such as funding or contract type always keeps a value)."
)


# --------------------------------------------------------------------------- reading cells


def text_of(value: Any) -> str:
    """A cell as text: numbers without a stray '.0', dates as 22/11/2026, blanks as ''."""
    if type(value) is str:  # the usual cell, first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


@dataclass
class Row:
    """One data row of a table, read the same way by every importer.

    ``given(name)`` is true when the file has the column and the cell has something in it;
    ``sets(name)`` when the import should set the field at all (given, or the column is there and
    empty cells clear fields). Readers raise :class:`ValidationError` naming the field, which
    :func:`skip` turns into a problem at the cell (``Staff!C7``) or line.
    """

    table: Table
    index: int
    values: dict[str, Any]
    clear_empty: bool = False
    cell: str = ""
    """The one cell this record came from, when a row holds several (a matrix's date cells):
    reports point there."""

    _where: str = field(default="", init=False, repr=False, compare=False)

    @property
    def where(self) -> str:
        """The row's place (or its record's cell), for reports (worked out once: a row's
        outcome names it several times)."""
        if not self._where:
            self._where = self.cell or self.table.place(self.index)
        return self._where

    def place(self, name: str | None) -> str:
        """The cell of ``name`` in this row (the row itself if the file has no such column)."""
        if self.cell:
            return self.cell
        return self.table.place(self.index, name if name in self.table.columns else None)

    def has(self, name: str) -> bool:
        """The file has a column for ``name``."""
        return name in self.table.columns

    def given(self, name: str) -> bool:
        """The file has the column and this row's cell is not blank."""
        return self.has(name) and text_of(self.values.get(name)) != ""

    def sets(self, name: str) -> bool:
        """The import sets ``name`` for this row (given, or cleared on purpose)."""
        return self.given(name) or (self.clear_empty and self.has(name))

    def text(self, name: str) -> str:
        """The cell as text ('' if blank or no column)."""
        return text_of(self.values.get(name))

    def date(self, name: str, label: str) -> dt.date | None:
        """The cell as a date (None if blank or N/A).

        Raises:
            ValidationError: the cell is not a date; the message says why.
        """
        try:
            return cell_date(self.values.get(name))
        except DateParseError as exc:
            raise ValidationError.single(name, f"{label}: {exc}") from None

    def choice(self, name: str, known: Mapping[str, str], label: str) -> str:
        """The cell as one of ``known`` (keys are normalised words), or '' if blank.

        Raises:
            ValidationError: the cell is not one of the choices.
        """
        text = self.text(name)
        if not text:
            return ""
        found = known.get(normalise(text))
        if found is None:
            choices = ", ".join(sorted(set(known.values())))
            raise ValidationError.single(name, f"{label} '{text}' is not one of: {choices}.")
        return found

    def put(self, into: dict[str, Any], name: str, value: Any) -> None:
        """Set ``into[name] = value`` if the import sets this field for this row."""
        if self.sets(name):
            into[name] = value


_NO_ALIASES: Mapping[str, str] = MappingProxyType({})


def row_cells(row: Row) -> tuple[tuple[str, str], ...]:
    """A row's cells, field by field as the file's columns are mapped, for the preview (none
    for a record from one cell of a matrix)."""
    if row.cell:
        return ()
    values = row.values
    return tuple(
        [
            (f, v.strip() if type(v) is str else text_of(v))
            for f, v in zip(row.table.columns, map(values.get, row.table.columns), strict=True)
        ]
    )


def skip(
    report: ImportReport, row: Row, exc: ValidationError, aliases: Mapping[str, str] = _NO_ALIASES
) -> None:
    """Report each problem of a row at its cell (``aliases``: service field -> file field)."""
    for p in exc.problems:
        report.skipped.append(Skipped(row.place(aliases.get(p.field, p.field)), p.message))


# --------------------------------------------------------------------------- the record kinds


def show(value: Any) -> str:
    """A value as a report shows it: dates as 22 Nov 2026, blanks as '(blank)'."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass(frozen=True)
class Field:
    """A field an import may set: its name on the model, and its label in reports."""

    name: str
    label: str
    show: Callable[[Any], str] = show


@dataclass(frozen=True)
class RecordKind(Generic[M]):
    """What the shared import needs to know about one kind of record.

    Attributes:
        noun: what one record is called in messages ("person", "staff member").
        model: the ORM class.
        fields: every field an import may set, in the order reports list them.
        keys: ways of finding the saved record, tried in order; each is a tuple of field names
            that together identify one record (an NHS number; a name and a start date).
        identity: fields that must agree with the saved record when both have a value.
        describe: a saved record in a few words ("P-0004: Emily Baker").
        describe_row: the file's side in a few words, from the values read.
        save: writes a new record (``None``) or an update through the area's service, from a
            complete set of values; raises ValidationError as the form would.
        complete: fills in values that follow from others (a status from an end date), given
            the saved record or None; returns the values to use.
        append_only: a match is a duplicate, never an update (training completions, sessions).
        live_only: match only records that are not archived (an archived one is added again).
        check: for kinds imported in bulk (thousands of training completions): the form's
            checks of a new record, raising ValidationError, without writing anything.
        add_many: with ``check``, writes the checked new records together when the import
            finishes (one statement instead of a savepoint and a flush per row). Only for
            append-only kinds: a record waiting to be written is never updated.
        describe_fields: for a bulk kind, the fields ``describe`` reads (besides the keys and
            identity): only these are read of its saved records. None: every field.
    """

    noun: str
    model: type[M]
    fields: tuple[Field, ...]
    keys: tuple[tuple[str, ...], ...]
    identity: tuple[str, ...]
    describe: Callable[[M], str]
    describe_row: Callable[[Mapping[str, Any]], str]
    save: Callable[[Session, M | None, dict[str, Any]], M]
    complete: Callable[[M | None, dict[str, Any]], dict[str, Any]] = field(
        default=lambda _saved, values: values
    )
    append_only: bool = False
    live_only: bool = False
    check: Callable[[Session, dict[str, Any]], None] | None = None
    add_many: Callable[[Session, list[dict[str, Any]]], None] | None = None
    describe_fields: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if (self.add_many is None) != (self.check is None) or (
            self.add_many is not None and not self.append_only
        ):
            raise TypeError("add_many needs check, and only append-only kinds are added in bulk")

    def label(self, name: str) -> str:
        """The report label of a field."""
        return next((f.label for f in self.fields if f.name == name), name.replace("_", " "))

    def shown(self, name: str, value: Any) -> str:
        """A value of a field as the report shows it."""
        return next((f.show for f in self.fields if f.name == name), show)(value)

    def current(self, record: M) -> dict[str, Any]:
        """The saved values of every field an import may set."""
        return {f.name: getattr(record, f.name) for f in self.fields}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def same_identity(a: Any, b: Any) -> bool:
    """Identity values agree: case, spacing, punctuation and accents aside ('Zoë' is 'zoe')."""
    if isinstance(a, str) or isinstance(b, str):
        return _fold(str(a or "")) == _fold(str(b or ""))
    return bool(a == b)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def same_value(a: Any, b: Any) -> bool:
    """Saved and file values are the same (blank is blank; text compared without edge spaces)."""
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return bool(a == b)


def _key_value(value: Any) -> Any:
    """A key field's value as the index compares it: text as same_identity does."""
    if isinstance(value, str):
        return _fold(value) or value.strip().casefold()
    return value


def _key_of(values: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """A key's values as the index compares them (text folded), or None if any is blank."""
    for v in values:
        if v is None or isinstance(v, str):
            break
    else:
        return values  # ids and dates (a completion's key): nothing to fold
    out = []
    for v in values:
        if _blank(v):
            return None
        out.append(_key_value(v))
    return tuple(out)


def _plain_keys(
    key: tuple[str, ...], rows: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]] | None:
    """The distinct values of ``key`` in ``rows`` (a row with a blank one has none), or None if
    any is text or not a plain value: those are matched folded, so every record is read."""
    found = {tuple([r.get(f) for f in key]) for r in rows}
    found = {k for k in found if None not in k}
    for column in zip(*found, strict=True):
        if not set(map(type, column)) <= _PLAIN_KEY_TYPES:
            return None
    return list(found)


_PLAIN_KEY_TYPES = frozenset({int, dt.date})


def _read_sharing_key(
    conn: Connection, query: Any, model: Any, key: tuple[str, ...], values: list[tuple[Any, ...]]
) -> list[Any]:
    """The rows of ``query`` whose ``key`` is one of ``values``: the values go into a temporary
    table, joined on the key (its index finds each), then the table is dropped."""
    if not values:
        return []
    table = sa.Table(
        "import_keys",
        sa.MetaData(),
        *(sa.Column(f, model.__table__.c[f].type) for f in key),
        prefixes=["TEMPORARY"],
    )
    table.drop(conn, checkfirst=True)  # (a rolled-back import leaves none; checked all the same)
    table.create(conn)
    columns = {f: list(column) for f, column in zip(key, zip(*values, strict=True), strict=True)}
    if conn.dialect.name == "sqlite":
        dialect = conn.dialect
        bound = {
            f: bound_values(v, table.c[f].type.dialect_impl(dialect).bind_processor(dialect))
            for f, v in columns.items()
        }
        sqlite_insert(conn, table.name, bound)
    else:
        conn.execute(table.insert(), [dict(zip(key, v, strict=True)) for v in values])
    joined = query.join(table, sa.and_(*(getattr(model, f) == table.c[f] for f in key)))
    records = conn.execute(joined).all()
    table.drop(conn)
    return list(records)


class SavedRecords(Generic[M]):
    """The saved records of one kind, read once per import and indexed by each of its keys.

    Matching a row is then a dictionary look-up, however many rows or saved records there are
    (a per-row query slows sharply when many records share a key field, such as a start date).
    Records the import adds or changes are indexed again, so a later row of the same file finds
    them. New records of a bulk kind wait in ``pending`` until :meth:`finish` writes them.
    """

    def __init__(
        self,
        s: Session,
        kind: RecordKind[M],
        among: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        """``among``: for a bulk kind with one key, the values of every row about to be
        merged. Only the saved records sharing the key with one of them are read (10,000
        completions to import need not read the 63,000 on file), when the key's values are
        ids and dates (text is matched folded, which only Python does)."""
        self.s = s
        self.kind = kind
        self._index: dict[tuple[str, ...], dict[tuple[Any, ...], list[M]]] = {
            key: {} for key in kind.keys
        }
        self._entries: dict[int, list[tuple[tuple[str, ...], tuple[Any, ...]]]] = {}
        self._pending_keys: dict[tuple[str, ...], dict[tuple[Any, ...], str]] = {
            key: {} for key in kind.keys
        }
        self.pending: list[dict[str, Any]] = []
        self._records: dict[int, M] = {}
        self._by: dict[tuple[str, ...], dict[tuple[Any, ...], list[M]]] = {}
        self._partial = False  # only the saved records the rows may match were read
        model: Any = kind.model
        if kind.add_many is not None:
            # A bulk kind is only ever added to: its saved records are matched and described,
            # never changed, so plain rows of the fields it reads do, read without the ORM's
            # per-row work (16,000 ORM objects took half a second to load for a training
            # import; ORM rows of every field, a tenth of one).
            names = dict.fromkeys(
                [
                    "id",
                    *(f for k in kind.keys for f in k),
                    *kind.identity,
                    *(
                        kind.describe_fields
                        if kind.describe_fields is not None
                        else (f.name for f in kind.fields)
                    ),
                ]
            )
            query = select(*(getattr(model, n) for n in names)).order_by(model.id)
        else:
            query = select(model).order_by(model.id)
        if kind.live_only:
            query = query.where(model.archived_at.is_(None))
        if kind.add_many is not None:
            s.flush()  # (a Core query does not flush what the session holds)
            self._query = query
            keys = (
                _plain_keys(kind.keys[0], among)
                if among is not None and len(kind.keys) == 1
                else None
            )
            self._partial = keys is not None
            if keys is not None:
                records: Any = _read_sharing_key(s.connection(), query, model, kind.keys[0], keys)
            else:
                records = s.connection().execute(query).all()  # (fetchall: not row by row)
        else:
            records = s.scalars(query)
        bulk = kind.add_many is not None
        if bulk:
            # A bulk kind's records are only matched: what re-indexing needs is made if used.
            self._unfiled: list[Any] | None = records
            if all(self._index_plain(key, records) for key in kind.keys):
                return
            self._index = {key: {} for key in kind.keys}
        else:
            self._unfiled = None
        # As index() does for each record, without the re-indexing it also handles.
        getters = [(key, self._index[key], attrgetter(*key)) for key in kind.keys]
        entries_of, records_of = self._entries, self._records
        for record in records:
            entries = []
            for key, index, get in getters:
                found = _key_of(get(record) if len(key) > 1 else (get(record),))
                if found is not None:
                    hits = index.get(found)
                    if hits is None:
                        index[found] = [record]
                    else:
                        hits.append(record)
                    if not bulk:
                        entries.append((key, found))
            if not bulk:
                entries_of[id(record)] = entries
                records_of[id(record)] = record

    def _index_plain(self, key: tuple[str, ...], records: list[Any]) -> bool:
        """Index ``records`` by ``key`` in one go when no value of it is blank or text (ids and
        dates: nothing to fold) and no two records share it; False (nothing indexed) if not.
        The 63,000 completions of the huge demo took a fifth of a second one by one."""
        get = attrgetter(*key)
        values = list(map(get, records)) if len(key) > 1 else [(v,) for v in map(get, records)]
        for column in zip(*values, strict=True):
            kinds = set(map(type, column))
            if type(None) in kinds or any(issubclass(k, str) for k in kinds):
                return False
        index = dict(zip(values, [[r] for r in records], strict=True))
        if len(index) != len(records):
            return False
        self._index[key] = index
        return True

    def _file_all(self) -> None:
        """Note each saved record of a bulk kind and its keys, as for other kinds (for
        :meth:`index` and :meth:`find_by`, which matching a bulk kind never needs); read them
        all first if only those the rows may match were read."""
        if self._unfiled is None:
            return
        records, self._unfiled = self._unfiled, None
        refill = self._partial
        if refill:  # every record this time, indexed again
            self._partial = False
            records = list(self.s.connection().execute(self._query).all())
            self._index = {key: {} for key in self.kind.keys}
        for record in records:
            entries = []
            for key in self.kind.keys:
                found = _key_of(tuple([getattr(record, f) for f in key]))
                if found is not None:
                    entries.append((key, found))
                    if refill:
                        self._index[key].setdefault(found, []).append(record)
            self._entries[id(record)] = entries
            self._records[id(record)] = record

    def reload(self, *criteria: Any) -> None:
        """Index the records matching ``criteria`` again: for records another service wrote as
        a side effect (adding a staff member adds their recruitment checks)."""
        model: Any = self.kind.model
        for record in self.s.scalars(select(model).where(*criteria)):
            self.index(record)

    @staticmethod
    def _key(key: Sequence[str], get: Callable[[str], Any]) -> tuple[Any, ...] | None:
        """The key's values as the index compares them, or None if any is blank."""
        return _key_of(tuple([get(f) for f in key]))

    @staticmethod
    def _key_of(values: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """As :meth:`_key`, from the key's values in order."""
        return _key_of(values)

    def row_key(self, key: tuple[str, ...], values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """A row's ``key`` as the index compares it, or None if a field of it is blank or
        missing: worked out once per row and key, then looked up in each index."""
        return _key_of(tuple([values.get(f) for f in key]))

    def index(self, record: M) -> None:
        """Index a record (again, if the import changed it)."""
        self._file_all()
        for key, value in self._entries.pop(id(record), []):
            hits = {**self._index, **self._by}[key].get(value, [])
            if record in hits:
                hits.remove(record)
        entries = []
        for key, index in (*((k, self._index[k]) for k in self.kind.keys), *self._by.items()):
            found = _key_of(tuple([getattr(record, f) for f in key]))
            if found is not None:
                index.setdefault(found, []).append(record)
                entries.append((key, found))
        self._entries[id(record)] = entries
        self._records[id(record)] = record

    def find_by(self, fields: tuple[str, ...], values: Mapping[str, Any]) -> list[M]:
        """Records whose ``fields`` agree with ``values`` (not a key: an index made on first
        use), e.g. others of the same name when a row adds someone new."""
        self._file_all()
        if fields not in self._by:
            self._by[fields] = {}
            for record in list(self._records.values()):
                self.index(record)
        value = self._key(fields, lambda f: values.get(f))
        return list(self._by[fields].get(value, [])) if value is not None else []

    def find(self, key: Sequence[str], values: Mapping[str, Any]) -> list[M]:
        """Saved records whose ``key`` fields agree with the row's."""
        value = self._key(key, values.__getitem__)
        return list(self._index[tuple(key)].get(value, [])) if value is not None else []

    def waiting(self, key: Sequence[str], values: Mapping[str, Any]) -> str | None:
        """A record of the file waiting to be added with the same ``key``, described."""
        value = self._key(key, values.__getitem__)
        return self._pending_keys[tuple(key)].get(value) if value is not None else None

    def queue(
        self,
        values: dict[str, Any],
        described: str | None = None,
        keys: Sequence[tuple[Any, ...] | None] | None = None,
    ) -> None:
        """Hold a checked new record for :meth:`finish` (``described``: the record in a few
        words, and ``keys``: its :meth:`row_key` for each of the kind's keys, when the caller
        has them already)."""
        self.pending.append(values)
        for n, key in enumerate(self.kind.keys):
            value = self.row_key(key, values) if keys is None else keys[n]
            waiting = self._pending_keys[key]
            if value is not None and value not in waiting:
                waiting[value] = described or self.kind.describe_row(values)

    def finish(self) -> None:
        """Write the new records of a bulk kind (nothing for other kinds)."""
        if self.pending and self.kind.add_many is not None:
            self.kind.add_many(self.s, self.pending)
        self.pending = []
        for waiting in self._pending_keys.values():
            waiting.clear()


@dataclass(frozen=True)
class Outcome(Generic[M]):
    """What :func:`merge` did with a row: ``action`` is new, update, unchanged, conflict or
    skipped; ``record`` is the saved record (None for a conflict or a skipped row)."""

    action: str
    record: M | None = None


# The outcomes that hold no record, made once (an import of 10,000 rows returns one per row).
_NEW: Outcome[Any] = Outcome("new")
_UNCHANGED: Outcome[Any] = Outcome("unchanged")
_CONFLICT: Outcome[Any] = Outcome("conflict")
_SKIPPED: Outcome[Any] = Outcome("skipped")


def merge(
    saved_records: SavedRecords[M],
    row: Row,
    values: dict[str, Any],
    report: ImportReport,
    aliases: Mapping[str, str] = _NO_ALIASES,
) -> Outcome[M]:
    """Match one row's ``values`` (only the fields the file sets) to a saved record, then add
    it, update the fields that differ, leave it, or hold it back as a conflict; and say so in
    ``report``. A row the service refuses is rolled back alone and reported at its cell."""
    s, kind = saved_records.s, saved_records.kind
    where = row.where
    matched: list[tuple[tuple[str, ...], M]] = []
    found: list[tuple[Any, ...] | None] = []  # the row's value of each key, for queue()
    for key in kind.keys:
        value = saved_records.row_key(key, values)  # None: a field of the key is blank
        found.append(value)
        if value is None:
            continue
        waiting = saved_records._pending_keys[key]
        if kind.append_only and (earlier := waiting.get(value)) is not None:
            report.unchanged += 1
            report.planned.append(Planned(where, "unchanged", earlier, row_cells(row)))
            return _UNCHANGED
        hits = saved_records._index[key].get(value)
        if not hits:
            continue
        if len(hits) > 1:
            report.conflicts.append(
                Conflict(
                    where,
                    f"{_key_text(kind, key, values)} matches {len(hits)} saved records; "
                    f"nothing was changed. Add a column that tells them apart, or edit them in "
                    "the app.",
                    "; ".join(kind.describe(h) for h in hits[:5]),
                    kind.describe_row(values),
                )
            )
            return _CONFLICT
        matched.append((key, hits[0]))
    if not matched:
        completed = kind.complete(None, values)
        keys = found if completed is values else None  # (completing may change a key)
        return _add(saved_records, row, completed, report, aliases, keys)
    distinct = {id(r): (k, r) for k, r in matched}
    if len(distinct) > 1:
        (k1, r1), (k2, r2) = list(distinct.values())[:2]
        report.conflicts.append(
            Conflict(
                where,
                f"{_key_text(kind, k1, values)} belongs to {kind.describe(r1)} but "
                f"{_key_text(kind, k2, values)} belongs to {kind.describe(r2)}: nothing was "
                "changed. Check which is right.",
                f"{kind.describe(r1)}; {kind.describe(r2)}",
                kind.describe_row(values),
            )
        )
        return _CONFLICT
    key, saved = matched[0]
    # The saved identity (a field not among the kind's fields counts as blank); a bulk kind's
    # saved records hold only the fields it reads.
    ids = {f.name: getattr(saved, f.name) for f in kind.fields if f.name in kind.identity}
    differences = tuple(
        FieldChange(f, kind.label(f), kind.shown(f, ids[f]), kind.shown(f, values[f]))
        for f in kind.identity
        if f in values
        and not _blank(ids.get(f))
        and not _blank(values[f])
        and not same_identity(ids[f], values[f])
    )
    if differences:
        report.conflicts.append(
            Conflict(
                where,
                f"{_key_text(kind, key, values)} is already recorded for "
                f"{kind.describe(saved)}, but the file gives a different "
                f"{_and([d.label.lower() for d in differences])}. Nothing was changed: "
                f"check the {', '.join(kind.label(f) for f in key)}. If the saved details are "
                f"wrong, correct them in the app first.",
                kind.describe(saved),
                kind.describe_row(values),
                differences,
            )
        )
        return _CONFLICT
    name = kind.describe(saved)
    if kind.append_only:
        report.unchanged += 1
        report.planned.append(Planned(where, "unchanged", name, row_cells(row)))
        return Outcome("unchanged", saved)
    current = kind.current(saved)
    wanted = kind.complete(saved, values)
    changes = tuple(
        FieldChange(f, kind.label(f), kind.shown(f, current[f]), kind.shown(f, v))
        for f, v in ((f.name, wanted[f.name]) for f in kind.fields if f.name in wanted)
        if not (f in (*kind.identity, *key) and (same_identity(current[f], v) or _blank(v)))
        and not same_value(current[f], v)
    )
    if not changes:
        report.unchanged += 1
        report.planned.append(Planned(where, "unchanged", name, row_cells(row)))
        return Outcome("unchanged", saved)
    merged = current | {c.field: wanted[c.field] for c in changes}
    try:
        with s.begin_nested():
            record = kind.save(s, saved, merged)
    except ValidationError as exc:
        skip(report, row, exc, aliases)
        return _SKIPPED
    saved_records.index(record)
    report.updated += 1
    report.planned.append(Planned(where, "update", kind.describe(record), row_cells(row)))
    report.updates.append(Updated(where, name, changes))
    return Outcome("update", record)


def _add(
    saved_records: SavedRecords[M],
    row: Row,
    values: dict[str, Any],
    report: ImportReport,
    aliases: Mapping[str, str],
    keys: Sequence[tuple[Any, ...] | None] | None = None,
) -> Outcome[M]:
    s, kind = saved_records.s, saved_records.kind
    if kind.check is not None:
        # A bulk kind: checked now, written with the others when the import finishes, so no
        # savepoint is needed (nothing is written that could have to be undone).
        try:
            kind.check(s, values)
        except ValidationError as exc:
            skip(report, row, exc, aliases)
            return _SKIPPED
        described = kind.describe_row(values)
        saved_records.queue(values, described, keys)
        report.imported += 1
        report.planned.append(Planned(row.where, "new", described, row_cells(row)))
        return _NEW
    try:
        with s.begin_nested():
            record = kind.save(s, None, values)
    except ValidationError as exc:
        skip(report, row, exc, aliases)
        return _SKIPPED
    saved_records.index(record)
    report.imported += 1
    report.planned.append(Planned(row.where, "new", kind.describe(record), row_cells(row)))
    return Outcome("new", record)


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _key_text(kind: RecordKind[Any], key: Sequence[str], values: Mapping[str, Any]) -> str:
    return " and ".join(f"{kind.label(f)} {kind.shown(f, values[f])}" for f in key)


# --------------------------------------------------------------------------- one run


def start_report(table: Table, *, dry_run: bool, clear_empty: bool = False) -> ImportReport:
    """A report with the columns read and ignored, and what the reader could not read."""
    report = ImportReport(dry_run=dry_run, clear_empty=clear_empty)
    header = table.sheet.rows[table.header_row]
    report.columns = {text_of(header[c]): f for f, c in table.columns.items()}
    report.ignored_columns = list(table.unmapped)
    report.notices.extend(table.sheet.notices)
    if not any(True for _ in table.records()):
        report.notices.append(
            f"The file has column headings ({table.sheet.place(table.header_row)}) but no "
            "rows with anything in them below."
        )
    return report


@program_write(
    "the one session an import writes in; each record goes through a service that checks "
    "the permission"
)
@contextmanager
def import_session(
    db: Database, report: ImportReport, *, dry_run: bool, confirmed: str | None = None
) -> Iterator[Session]:
    """The one session an import writes in: all or nothing, rolled back in a dry run.

    ``confirmed`` is the plan digest of the preview the manager accepted: if this run would do
    anything else (the file or the records changed since), nothing is written.
    """
    with collection_paused(), db.session(dry_run=dry_run) as s:
        yield s
        if confirmed is not None and report.plan_digest() != confirmed:
            raise ValidationError(
                Problem(
                    "file",
                    "The file or the saved records changed after the preview, so nothing "
                    "was imported. Look at the new preview and import again.",
                )
            )
