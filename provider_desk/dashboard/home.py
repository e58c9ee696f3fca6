"""The home page's data in one snapshot (what needs doing, the cards, readiness, trends), the JSON
``provider-desk status --json`` prints, and the short summary it prints without ``--json``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from provider_desk.dashboard.figures import Figures, figures_in
from provider_desk.dashboard.readiness import Colour, Readiness, readiness_in
from provider_desk.dashboard.todo import todo_in
from provider_desk.dashboard.trends import Trends, trends_in
from provider_desk.db.session import Database
from provider_desk.reading import Attention, Period, on_in
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import word


@dataclass(frozen=True)
class Home:
    """Everything the home page shows, as on one day, read in one snapshot."""

    today: dt.date
    provider: str  # the provider's name from the settings ("" if not set)
    todo: tuple[Attention, ...]  # every area's attention items, most urgent first
    figures: Figures
    readiness: Readiness
    trends: Trends | None  # None when not asked for (``status`` does not need them)

    @property
    def late(self) -> int:
        """Items overdue or missing now."""
        return sum(1 for i in self.todo if i.level.needs_action)


def home_in(
    s: Session, today: dt.date, *, period: Period | None = None, trends: bool = True
) -> Home:
    """The home page as on ``today``, read inside the snapshot ``s``: every reader runs once.

    ``period`` is the readiness period (default: the 12 months up to ``today``).
    """
    on = on_in(s, today)
    todo = todo_in(s, on)
    return Home(
        today=today,
        provider=on.settings.provider_name,
        todo=tuple(todo),
        figures=figures_in(s, on, todo),
        readiness=readiness_in(s, on, period or Period.year_to(today), todo),
        trends=trends_in(s, on) if trends else None,
    )


def read_home(
    db: Database, today: dt.date, *, period: Period | None = None, trends: bool = True
) -> Home:
    """:func:`home_in` in one read transaction of its own (one snapshot)."""
    return db.read(lambda s: home_in(s, today, period=period, trends=trends))


def as_json(home: Home) -> dict[str, Any]:
    """What ``status --json`` prints: ``as_of``, one key per card with its counts (names that
    scripts rely on), ``readiness`` {key question: {statement: colour}}, and a few extras."""
    r = home.readiness
    return {
        "as_of": home.today.isoformat(),
        **home.figures.as_dict(),
        "readiness": r.colours(),
        "readiness_period": {"start": r.period.start.isoformat(), "end": r.period.end.isoformat()},
        "todo": {"items": len(home.todo), "overdue_or_missing": home.late},
    }


def status(db: Database, today: dt.date) -> dict[str, Any]:
    """The JSON of ``provider-desk status --json``, read in one read transaction."""
    return as_json(read_home(db, today, trends=False))


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


URGENT = 5
"""How many of the most urgent items the text summary lists."""


def summary_lines(home: Home) -> list[str]:
    """``provider-desk status`` without ``--json``: a short summary a manager reads at a glance."""
    f = home.figures
    who = f" for {home.provider}" if home.provider else ""
    lines = [
        f"Provider Desk status{who} as on {format_date(home.today)}",
        f"Needs doing: {_n(len(home.todo), 'item')}, {home.late} overdue or missing.",
        "",
        f"Training:          {f.training.expired} expired, {f.training.missing} missing, "
        f"{f.training.due_soon} due soon",
        f"Recruitment:       {_n(f.recruitment.missing, 'staff file')} with checks missing or "
        "not verified",
        f"Supervision:       {f.supervision.overdue} overdue or never done, "
        f"{f.supervision.due_soon} due soon",
        f"Care plans:        {_n(f.care_plans.review_overdue, 'review')} overdue, "
        f"{f.care_plans.no_current_plan} without a current plan, "
        f"{f.care_plans.consent_missing} without consent recorded",
        f"Risk assessments:  {_n(f.risk_assessments.review_overdue, 'review')} overdue",
        f"Complaints:        {f.complaints.acknowledgement_overdue} acknowledgement overdue, "
        f"{f.complaints.response_overdue} response overdue, {f.complaints.open} open",
        f"Audits:            {f.audits.overdue} overdue or never done, "
        f"{f.audits.due_soon} due soon",
        f"Action plan:       {f.actions.overdue} overdue, {f.actions.open} not done",
        "",
    ]
    r = home.readiness
    lines.append(
        f"Inspection readiness ({r.period.label}): {r.count(Colour.GREEN)} green, "
        f"{r.count(Colour.AMBER)} amber, {r.count(Colour.RED)} red"
    )
    for kq in r.key_questions:
        lines.append(
            f"  {kq.name + ':':<12} {kq.count(Colour.GREEN)} green, "
            f"{kq.count(Colour.AMBER)} amber, {kq.count(Colour.RED)} red"
        )
    red = [st for st in r.statements() if st.colour is Colour.RED]
    if red:
        lines.append("  No evidence: " + "; ".join(st.name for st in red))
    late = [i for i in home.todo if i.level.needs_action][:URGENT]
    if late:
        lines += ["", "Most urgent:"]
        for item in late:
            lines.append(f"  - {item.reference} ({word(item.level, item.area)}): {item.sentence}")
    return lines
