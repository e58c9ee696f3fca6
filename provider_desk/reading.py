"""What every area's reader gives the dashboard, the evidence pack and `status`: the items that
need the manager's action now (`Attention`) and what the area holds for each CQC quality statement
in a period (`Evidence`), both read as on one day (`On`) inside one snapshot (a session).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from provider_desk.resources import EvidenceLink
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level
from provider_desk.settings.queries import SettingsRow, get_settings_in


@dataclass(frozen=True)
class On:
    """An evaluation point: today and the settings the rules read, passed down instead of reading
    the clock or the settings again."""

    today: dt.date
    settings: SettingsRow


def on_in(s: Session, today: dt.date) -> On:
    """``today`` with the settings as saved in the snapshot ``s`` is reading."""
    return On(today, get_settings_in(s))


@dataclass(frozen=True)
class Period:
    """A run of days, first and last included (e.g. the 12 months before an inspection)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @classmethod
    def year_to(cls, end: dt.date) -> Period:
        """The 12 months up to and including ``end``."""
        from provider_desk.rules.dates import add_months

        return cls(add_months(end, -12) + dt.timedelta(days=1), end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def label(self) -> str:
        """``1 Dec 2025 to 30 Nov 2026``."""
        return f"{format_date(self.start)} to {format_date(self.end)}"


@dataclass(frozen=True)
class Attention:
    """One thing that needs the manager's action now: the single meaning of "needs attention"
    for pages, the dashboard and `status --json`."""

    area: str  # the area's key: "training"
    reference: str  # what it is about, in the manager's words: "Amy Smith: Fire safety"
    level: Level  # from the one due rule
    due_on: dt.date | None  # when it was or is due (None: never done and nothing says when)
    responsible: str  # who should act: line manager, owner, investigator, key worker ("" unknown)
    sentence: str  # one sentence: "Fire safety expired on 3 Nov 2026."
    record_id: int | None = None  # the record the page opens (staff, person, complaint … id)
    statements: tuple[str, ...] = ()  # quality statements an overdue item weakens
    kind: str = ""  # which of the area's kinds of item: people "review", supervision "appraisal"
    part_id: int | None = (
        None  # the part of the record it is about: training course, risk assessment
    )

    def days_overdue(self, today: dt.date) -> int:
        """Days past due (0 if not yet due or no date)."""
        return max(0, (today - self.due_on).days) if self.due_on else 0


def urgency(item: Attention) -> tuple[int, dt.date, str]:
    """Sort key: late things first (missing and overdue), then by how long ago they fell due."""
    return (0 if item.level.needs_action else 1, item.due_on or dt.date.min, item.reference)


@dataclass(frozen=True)
class Evidence:
    """What an area holds in a period for the quality statements one kind of record evidences."""

    area: str
    kind: str  # the kind of record in resources/evidence_map.json: "training"
    title: str  # "Training completed: Safeguarding adults"
    statements: tuple[str, ...]
    regulations: tuple[str, ...]
    categories: tuple[str, ...]  # CQC evidence categories: "Processes" …
    count: int  # records in the period
    first_on: dt.date | None
    last_on: dt.date | None
    references: tuple[str, ...] = ()  # a few of the records, newest first, for the reader to find


class AreaReader(Protocol):
    """How the dashboard and the pack read an area, inside a snapshot they opened."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        """What needs the manager's action now."""
        ...

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        """What the area holds for each quality statement in ``period``."""
        ...


EXAMPLES = 5
"""How many record references an Evidence item names."""


def gather(
    area: str,
    kind: str,
    groups: Iterable[tuple[str, EvidenceLink, Sequence[tuple[dt.date, str]]]],
    period: Period,
) -> list[Evidence]:
    """Evidence items from groups of dated records: (title, what they evidence, [(date, ref)]).

    Records outside ``period`` are left out, and so are groups with nothing in it.
    """
    merged: dict[tuple[str, EvidenceLink], list[tuple[dt.date, str]]] = defaultdict(list)
    start, end = period.start, period.end
    for title, link, records in groups:
        # ``r[0] in period``, written out: tens of thousands of records on a big service
        merged[(title, link)].extend(
            r for r in records if isinstance(r[0], dt.date) and start <= r[0] <= end
        )
    out = []
    for (title, link), records in merged.items():
        if not records:
            continue
        records.sort(reverse=True)
        examples: dict[str, None] = {}  # the first few distinct references, newest first
        for _, ref in records:
            if len(examples) == EXAMPLES:
                break
            examples[ref] = None
        out.append(
            Evidence(
                area=area,
                kind=kind,
                title=title,
                statements=link.statements,
                regulations=link.regulations,
                categories=link.categories,
                count=len(records),
                first_on=records[-1][0],
                last_on=records[0][0],
                references=tuple(examples),
            )
        )
    return sorted(out, key=lambda e: (e.title, e.kind))


def by_statement(items: Iterable[Evidence]) -> dict[str, list[Evidence]]:
    """Evidence items grouped under each quality statement they evidence."""
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for item in items:
        for statement in item.statements:
            grouped[statement].append(item)
    return dict(grouped)
