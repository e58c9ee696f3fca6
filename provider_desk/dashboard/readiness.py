"""How ready the service is for inspection: each CQC quality statement green, amber or red, with
the reasons in plain sentences, from the evidence every area holds in a period and the late items
that weaken it. The rule is :func:`statement_readiness`; the evidence pack uses the same one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from provider_desk.areas import AREAS
from provider_desk.dashboard import figures
from provider_desk.reading import Attention, Evidence, On, Period, by_statement, urgency
from provider_desk.resources import (
    QualityStatement,
    held_outside,
    load_json_cached,
    quality_statements,
)
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import word


class Colour(StrEnum):
    """A quality statement's readiness."""

    GREEN = "green"  # evidence in the period, nothing late weakening it
    AMBER = "amber"  # evidence weakened by late items, or kept outside Provider Desk
    RED = "red"  # no evidence in the period


@dataclass(frozen=True)
class StatementReadiness:
    """One quality statement: its colour, why, and what lies behind it."""

    id: str  # "safe-3"
    name: str  # "Safeguarding"
    key_question: str  # "safe"
    colour: Colour
    reasons: tuple[str, ...]  # plain sentences, the colour's reason first
    evidence: tuple[Evidence, ...]  # what the areas hold for it in the period
    weakening: tuple[Attention, ...]  # overdue or missing items naming it, most urgent first
    held_outside: str = ""  # the hint of what the provider keeps elsewhere ("" if held here)

    @property
    def records(self) -> int:
        """Records held for it in the period (all kinds)."""
        return sum(e.count for e in self.evidence)


@dataclass(frozen=True)
class KeyQuestionReadiness:
    """One key question (Safe, Effective …) and its quality statements."""

    id: str  # "safe"
    name: str  # "Safe"
    statements: tuple[StatementReadiness, ...]

    def count(self, colour: Colour) -> int:
        """How many of its statements have ``colour``."""
        return sum(1 for s in self.statements if s.colour is colour)


@dataclass(frozen=True)
class Readiness:
    """Every key question's statements, as on one day over one period."""

    period: Period
    key_questions: tuple[KeyQuestionReadiness, ...]

    def statements(self) -> list[StatementReadiness]:
        """Every statement, in framework order."""
        return [s for kq in self.key_questions for s in kq.statements]

    def count(self, colour: Colour) -> int:
        """How many statements in all have ``colour``."""
        return sum(kq.count(colour) for kq in self.key_questions)

    def colours(self) -> dict[str, dict[str, str]]:
        """``{"safe": {"safe-1": "green", …}, …}``: what ``status --json`` prints."""
        return {kq.id: {s.id: s.colour.value for s in kq.statements} for kq in self.key_questions}


_TITLES = {a.key: a.title for a in AREAS}
EXAMPLES = 3
"""How many kinds of evidence a reason names before "and N more"."""


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _held_sentence(evidence: Sequence[Evidence]) -> str:
    ranked = sorted(evidence, key=lambda e: (-e.count, e.title))
    named = [f"{e.title} ({e.count})" for e in ranked[:EXAMPLES]]
    more = len(ranked) - len(named)
    if more:
        named.append(f"{more} more")
    latest = max((e.last_on for e in evidence if e.last_on is not None), default=None)
    when = f", the latest on {format_date(latest)}" if latest else ""
    records = sum(e.count for e in evidence)
    return f"{_plural(records, 'record')} held in the period{when}: {', '.join(named)}."


_PEOPLE_WORDS = {
    figures.NO_PLAN: "no current plan",
    figures.REVIEW: "care plan review overdue",
    figures.CONSENT: "consent not recorded",
    figures.UPDATE: "plan not updated after a review",
    figures.RISK: "risk assessment review overdue",
}


def late_kind(item: Attention) -> tuple[str, str]:
    """(what it is about, what is late) for a late item, in the manager's words: ("Training",
    "expired"), ("People", "consent not recorded"), ("Recruitment", "with checks missing")."""
    if item.area == "people":
        return _TITLES.get(item.area, item.area), _PEOPLE_WORDS.get(
            item.kind, word(item.level, item.area)
        )
    if item.area == "staff":
        return "Recruitment", "with checks missing"
    return _TITLES.get(item.area, item.area), word(item.level, item.area)


def _weakening_sentence(late: Sequence[Attention]) -> str:
    by_title: dict[str, Counter[str]] = {}
    for item in late:
        title, what = late_kind(item)
        by_title.setdefault(title, Counter())[what] += 1
    parts = []
    for title, kinds in sorted(by_title.items(), key=lambda kv: (-kv[1].total(), kv[0])):
        words = ", ".join(f"{n} {what}" for what, n in kinds.most_common())
        parts.append(f"{title}: {words}")
    return f"Weakened by {_plural(len(late), 'overdue or missing item')} ({'; '.join(parts)})."


def statement_readiness(
    statement: QualityStatement,
    evidence: Sequence[Evidence],
    attention: Iterable[Attention],
    period: Period,
    *,
    outside: str = "",
) -> StatementReadiness:
    """The one readiness rule for a quality statement.

    ``evidence`` is what the areas hold for it in ``period`` (their ``evidence()`` items naming
    it); ``attention`` the attention items naming it (only the overdue and missing ones count:
    due soon is not late yet); ``outside`` the evidence map's hint when the statement is marked
    as held outside Provider Desk.

    - red: no evidence in the period, and not held outside Provider Desk;
    - amber: held outside Provider Desk ("Evidence is held outside Provider Desk: <hint>"), or
      evidence held but weakened by overdue or missing items (how many, of which kinds);
    - green: evidence in the period and nothing late weakening it.

    The reasons list the colour's reason first, then what else is true (what is held, what is
    late), so a red statement with late items says both.
    """
    held = tuple(e for e in evidence if e.count > 0)
    late = tuple(sorted((i for i in attention if i.level.needs_action), key=urgency))
    reasons: list[str] = []
    if outside:
        colour = Colour.AMBER
        reasons.append(f"Evidence is held outside Provider Desk: {outside}")
    elif not held:
        colour = Colour.RED
        reasons.append(f"No evidence recorded in Provider Desk from {period.label}.")
    elif late:
        colour = Colour.AMBER
    else:
        colour = Colour.GREEN
    if held:
        reasons.append(_held_sentence(held))
    if late:
        reasons.append(_weakening_sentence(late))
    return StatementReadiness(
        id=statement.id,
        name=statement.name,
        key_question=statement.key_question,
        colour=colour,
        reasons=tuple(reasons),
        evidence=held,
        weakening=late,
        held_outside=outside,
    )


def _key_question_names() -> dict[str, str]:
    return {kq["id"]: kq["name"] for kq in load_json_cached("cqc_framework.json")["key_questions"]}


def readiness_from(
    evidence: Iterable[Evidence], attention: Iterable[Attention], period: Period
) -> Readiness:
    """Readiness from evidence and attention items already read (what the evidence pack has in
    hand): every quality statement of the framework through :func:`statement_readiness`."""
    held = by_statement(evidence)
    naming: dict[str, list[Attention]] = {}
    for item in attention:
        for statement in item.statements:
            naming.setdefault(statement, []).append(item)
    outside = held_outside()
    by_question: dict[str, list[StatementReadiness]] = {}
    for q in quality_statements():
        by_question.setdefault(q.key_question, []).append(
            statement_readiness(
                q, held.get(q.id, []), naming.get(q.id, []), period, outside=outside.get(q.id, "")
            )
        )
    names = _key_question_names()
    order = list(names) + [k for k in by_question if k not in names]
    return Readiness(
        period,
        tuple(
            KeyQuestionReadiness(k, names.get(k, k.capitalize()), tuple(by_question[k]))
            for k in order
            if k in by_question
        ),
    )


def evidence_in(s: Session, on: On, period: Period) -> list[Evidence]:
    """Every area's :meth:`~provider_desk.reading.AreaReader.evidence` for ``period``."""
    return [e for area in AREAS for e in area.reader.evidence(s, on, period)]


def readiness_in(
    s: Session, on: On, period: Period, attention: Iterable[Attention] | None = None
) -> Readiness:
    """Readiness as on ``on`` over ``period``, read inside the snapshot ``s``.

    ``attention`` is every area's attention items if the caller already has them (the
    dashboard's to-do list), so the readers run once per snapshot.
    """
    if attention is None:
        attention = [i for area in AREAS for i in area.reader.attention(s, on)]
    return readiness_from(evidence_in(s, on, period), attention, period)
