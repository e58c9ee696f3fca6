"""Who do I chase: one area's problems first, as a list a manager can work through, print and send
on — person, item, days overdue or left, who is responsible — most urgent first.

Built from the area's :meth:`~provider_desk.reading.AreaReader.attention` items, so the list
means exactly what the home page and `status` mean by "needs attention".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from provider_desk.areas import area as area_named
from provider_desk.db.session import Database
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.reading import Attention, On, on_in, urgency
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level
from provider_desk.tabular.write import write_table

HEADERS = ("person", "item", "status", "due_on", "days_overdue", "days_left", "responsible")
SUFFIXES = (".pdf", ".xlsx", ".csv")


@dataclass(frozen=True)
class DueRow:
    """One line of the due list."""

    person: str  # who or what it is about: "Amy Smith", "C-2026-004", "Infection control audit"
    item: str  # what is due: "Fire safety" ("" when the reference names only the record)
    level: Level
    due_on: dt.date | None
    days: int | None  # days past due (positive), left (negative), 0 due today; None: no date
    responsible: str
    sentence: str
    attention: Attention  # what the page opens

    @property
    def when(self) -> str:
        """The days column in words: "6 days overdue", "Due today", "12 days left"."""
        if self.days is None:
            return self.level.value.capitalize()
        if self.days > 0:
            return f"{self.days} day{'s' if self.days != 1 else ''} overdue"
        if self.days == 0:
            return "Due today"
        left = -self.days
        return f"{left} day{'s' if left != 1 else ''} left"


def split_reference(reference: str) -> tuple[str, str]:
    """("Amy Smith", "Fire safety") from "Amy Smith: Fire safety"; a reference without a colon
    names only the record."""
    person, sep, item = reference.partition(": ")
    return (person.strip(), item.strip()) if sep else (reference.strip(), "")


def due_rows(items: Iterable[Attention], today: dt.date) -> list[DueRow]:
    """The due list of ``items`` on ``today``: late things first (missing and overdue, the longest
    late first), then what is coming up, soonest first (:func:`~provider_desk.reading.urgency`)."""
    rows = []
    for item in sorted(items, key=urgency):
        person, what = split_reference(item.reference)
        days = (today - item.due_on).days if item.due_on is not None else None
        rows.append(
            DueRow(
                person=person,
                item=what or item.sentence,
                level=item.level,
                due_on=item.due_on,
                days=days,
                responsible=item.responsible,
                sentence=item.sentence,
                attention=item,
            )
        )
    return rows


def due_list_in(s: Session, on: On, area_key: str) -> list[DueRow]:
    """The due list of the area ``area_key``, read inside the snapshot ``s``."""
    return due_rows(area_named(area_key).reader.attention(s, on), on.today)


def due_list(db: Database, area_key: str, today: dt.date) -> list[DueRow]:
    """The due list of the area ``area_key`` on ``today``."""
    return db.read(lambda s: due_list_in(s, on_in(s, today), area_key))


def table_rows(rows: Sequence[DueRow]) -> list[tuple[Any, ...]]:
    """The rows as a spreadsheet writes them (:data:`HEADERS`)."""
    return [
        (
            r.person,
            r.item,
            r.level.value,
            r.due_on,
            r.days if r.days is not None and r.days > 0 else None,
            -r.days if r.days is not None and r.days < 0 else None,
            r.responsible,
        )
        for r in rows
    ]


class DueListPdf(Renderer):
    """The due list, printed: who to chase, for what, how late, and who should act."""

    subject = "What needs action, most urgent first"
    landscape = False
    margin_mm = 12

    def __init__(
        self, rows: Sequence[DueRow], area_title: str, provider_name: str, today: dt.date
    ) -> None:
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — {area_title}: due list, printed {printed_on(today)}",
        )
        self.rows, self.area_title, self.today = tuple(rows), area_title, today
        self.title = f"{area_title}: due list"

    def story(self) -> list[Any]:
        late = sum(r.level.needs_action for r in self.rows)
        lines = [
            [r.person, r.item, r.when, format_date(r.due_on, "—"), r.responsible or "—"]
            for r in self.rows
        ]
        intro = (
            f"{len(self.rows)} things need attention on {printed_on(self.today)}: "
            f"{late} late (overdue or missing), {len(self.rows) - late} coming up."
            if self.rows
            else f"Nothing needs attention on {printed_on(self.today)}."
        )
        story: list[Any] = [
            self.para(f"{self.area_title}: who to chase — {self.author}", "title"),
            self.para(intro),
            self.space(),
        ]
        if self.rows:
            story.append(
                self.table(
                    ["Who or what", "Item", "When", "Due", "Responsible"],
                    lines,
                    [34, 40, 22, 18, 30],
                    fills=[(2, i, LEVEL_STYLE[r.level].fill) for i, r in enumerate(self.rows)],
                )
            )
        return story


def write_due_list(
    rows: Sequence[DueRow],
    path: Path,
    *,
    area_title: str,
    provider_name: str,
    today: dt.date,
    progress: Progress = no_progress,
) -> int:
    """Write the due list to ``path``: .pdf for printing, .xlsx or .csv to pass on."""
    if path.suffix.lower() == ".pdf":
        DueListPdf(rows, area_title, provider_name, today).render(path, progress)
    else:
        write_table(path, HEADERS, table_rows(rows), sheet_title=f"{area_title} due list"[:31])
    return len(rows)


def export_due_list(
    db: Database, path: Path, area_key: str, today: dt.date, progress: Progress = no_progress
) -> int:
    """The area's due list on ``today`` to ``path`` (.pdf, .xlsx or .csv); returns the rows."""
    from provider_desk.settings.queries import get_settings

    rows = due_list(db, area_key, today)
    return write_due_list(
        rows,
        path,
        area_title=area_named(area_key).title,
        provider_name=get_settings(db).provider_name or "Provider Desk",
        today=today,
        progress=progress,
    )
