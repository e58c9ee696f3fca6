"""Audit questions, answers, scores and when the next audit of a template is due.

Computed, never stored: a score is worked out from the answers each time it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any

from provider_desk.rules.dates import add_months
from provider_desk.rules.due import Due, Level, due

FREQUENCIES: dict[str, int] = {"monthly": 1, "quarterly": 3, "six-monthly": 6, "yearly": 12}
SCOPES: dict[str, str] = {
    "service": "the whole service",
    "care files": "a sample of care files",
    "staff files": "a sample of staff files",
    "visits": "a sample of visits",
}
YES, NO, NA = "yes", "no", "na"
ANSWER_TYPES = ("yes_no", "score")
ANSWER_WORDS = {YES: "Yes", NO: "No", NA: "N/A", "": "Not answered"}
# Score bands used for colours on screen and in reports (this app's own, not CQC's ratings).
GOOD_SCORE = 90.0
FAIR_SCORE = 75.0


@dataclass(frozen=True)
class AuditItem:
    """One question in a template version."""

    id: str
    question: str
    guidance: str = ""
    answer_type: str = "yes_no"
    weight: int = 1
    comment_on_no: bool = True
    statements: tuple[str, ...] = ()
    max_score: int = 4


@dataclass(frozen=True)
class AuditSection:
    """A titled group of questions."""

    title: str
    items: tuple[AuditItem, ...]


@dataclass(frozen=True)
class Answer:
    """What the auditor found for one question.

    ``answer`` is yes / no / na for yes-no questions; for score questions it is "score" (with
    ``score`` set) or na. Blank: not answered yet.
    """

    answer: str = ""
    score: int | None = None
    comment: str = ""
    attachment_id: int | None = None


@dataclass(frozen=True)
class Template:
    """The sections of one template version."""

    sections: tuple[AuditSection, ...] = field(default_factory=tuple)

    @property
    def items(self) -> tuple[AuditItem, ...]:
        """Every question in order."""
        return tuple(i for s in self.sections for i in s.items)

    def numbered(self) -> list[tuple[int, AuditSection, AuditItem]]:
        """(question number from 1, section, item) in order."""
        out: list[tuple[int, AuditSection, AuditItem]] = []
        for section in self.sections:
            for item in section.items:
                out.append((len(out) + 1, section, item))
        return out


def parse_sections(text: str) -> Template:
    """A template version's stored JSON as sections and items."""
    raw = json.loads(text or "[]")
    return Template(
        tuple(
            AuditSection(
                str(s["title"]),
                tuple(
                    AuditItem(
                        id=str(i["id"]),
                        question=str(i["question"]),
                        guidance=str(i.get("guidance", "")),
                        answer_type=str(i.get("answer_type", "yes_no")),
                        weight=int(i.get("weight", 1)),
                        comment_on_no=bool(i.get("comment_on_no", True)),
                        statements=tuple(i.get("statements", ())),
                        max_score=int(i.get("max_score") or 4),
                    )
                    for i in s["items"]
                ),
            )
            for s in raw
        )
    )


def dump_sections(template: Template) -> str:
    """Sections as the JSON stored with a template version."""
    return json.dumps(
        [{"title": s.title, "items": [_item_json(i) for i in s.items]} for s in template.sections],
        ensure_ascii=False,
    )


def _item_json(item: AuditItem) -> dict[str, Any]:
    out = asdict(item)
    out["statements"] = list(item.statements)
    if item.answer_type != "score":
        del out["max_score"]
    return out


def parse_answers(text: str) -> dict[str, Answer]:
    """An audit's stored answers."""
    raw: dict[str, dict[str, Any]] = json.loads(text or "{}")
    return {
        k: Answer(
            answer=str(v.get("answer", "")),
            score=v.get("score"),
            comment=str(v.get("comment", "")),
            attachment_id=v.get("attachment_id"),
        )
        for k, v in raw.items()
    }


def dump_answers(answers: Mapping[str, Answer]) -> str:
    """Answers as stored JSON (blank answers without a comment are left out)."""
    return json.dumps(
        {
            k: {key: val for key, val in asdict(a).items() if val not in (None, "")}
            for k, a in answers.items()
            if a.answer or a.comment or a.attachment_id
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def is_answered(item: AuditItem, answer: Answer | None) -> bool:
    """True once the question has an answer (N/A counts)."""
    if answer is None or not answer.answer:
        return False
    if answer.answer == NA:
        return True
    if item.answer_type == "score":
        return answer.score is not None
    return answer.answer in (YES, NO)


def is_failed(item: AuditItem, answer: Answer | None) -> bool:
    """A "no", or a score of half marks or less: something to put right."""
    if answer is None or not is_answered(item, answer) or answer.answer == NA:
        return False
    if item.answer_type == "score":
        return answer.score is not None and answer.score * 2 <= item.max_score
    return answer.answer == NO


def points(item: AuditItem, answer: Answer | None) -> tuple[float, float] | None:
    """(met, applicable) weight for one answered, applicable question; None otherwise."""
    if answer is None or not is_answered(item, answer) or answer.answer == NA:
        return None
    if item.answer_type == "score":
        assert answer.score is not None
        return item.weight * answer.score / item.max_score, float(item.weight)
    return (float(item.weight) if answer.answer == YES else 0.0), float(item.weight)


def score(template: Template, answers: Mapping[str, Answer]) -> float | None:
    """Percentage of applicable items met, weighted; None while nothing applicable is answered."""
    met = applicable = 0.0
    for item in template.items:
        p = points(item, answers.get(item.id))
        if p is not None:
            met += p[0]
            applicable += p[1]
    if applicable == 0:
        return None
    return round(100 * met / applicable, 1)


def format_score(value: float | None) -> str:
    """87.5 -> "88%"; None -> "" (nothing to score yet)."""
    return "" if value is None else f"{value:.0f}%"


def score_band(value: float | None) -> str:
    """good / fair / poor for colouring, or "" without a score."""
    if value is None:
        return ""
    if value >= GOOD_SCORE:
        return "good"
    if value >= FAIR_SCORE:
        return "fair"
    return "poor"


def answer_text(item: AuditItem, answer: Answer | None) -> str:
    """The answer as a manager reads it: Yes / No / N/A / 3 of 4 / Not answered."""
    if answer is None or not answer.answer:
        return ANSWER_WORDS[""]
    if item.answer_type == "score" and answer.answer != NA:
        return f"{answer.score} of {item.max_score}" if answer.score is not None else "Not answered"
    return ANSWER_WORDS.get(answer.answer, answer.answer)


class Change(StrEnum):
    """How a question moved between an audit and its re-audit."""

    IMPROVED = "improved"
    WORSE = "worse"
    SAME = "same"
    NEW = "new question"
    NOT_COMPARABLE = "not comparable"


def compare(item: AuditItem, before: Answer | None, after: Answer | None) -> Change:
    """Whether a question improved between two audits (matched by question id)."""
    if before is None or not before.answer:
        return Change.NEW
    p0, p1 = points(item, before), points(item, after)
    if p0 is None or p1 is None:
        return Change.NOT_COMPARABLE
    r0, r1 = p0[0] / p0[1], p1[0] / p1[1]
    if r1 > r0:
        return Change.IMPROVED
    if r1 < r0:
        return Change.WORSE
    return Change.SAME


def next_audit_due(last_done: dt.date | None, frequency: str, today: dt.date) -> dt.date:
    """The last finished audit + the frequency; a template never audited is due today."""
    if last_done is None:
        return today
    return add_months(last_done, FREQUENCIES[frequency])


def programme_due(
    last_done: dt.date | None,
    frequency: str,
    *,
    today: dt.date,
    window_days: int,
    starts: dt.date | None = None,
) -> Due:
    """Where a template stands in the audit programme on ``today``, by the one due rule.

    Due the last finished audit + the frequency. Never audited: due the day the programme
    ``starts`` (:attr:`Level.MISSING`, 'never done', once that day has passed); with no start
    (a new programme nobody has started), :attr:`Level.NOT_REQUIRED` ('not started') and not due.
    """
    if last_done is None and starts is None:
        return Due(Level.NOT_REQUIRED, None)
    d = due(
        last_done, FREQUENCIES[frequency], window_days=window_days, today=today, first_due=starts
    )
    return Due(d.level, d.due_on or today)


def planned_dates(
    done: Sequence[dt.date],
    frequency: str,
    year: int,
    today: dt.date,
    starts: dt.date | None = None,
) -> list[tuple[dt.date, str]]:
    """Due dates that fall in ``year`` with how they stand: "late" (the next audit came after
    it), "overdue" (passed, not done yet) or "due" (still to come). Dues met on time are left out.

    ``done`` are finished audit dates, oldest first. A template never audited is due the day
    the programme ``starts`` (nothing is planned while it has not started).
    """
    months = FREQUENCIES[frequency]
    marks: list[tuple[dt.date, str]] = []
    for first, second in pairwise(done):
        due = add_months(first, months)
        if second > due:
            marks.append((due, "late"))
    if not done and starts is None:
        return sorted(m for m in set(marks) if m[0].year == year)
    nxt = next_audit_due(done[-1], frequency, today) if done else starts
    assert nxt is not None
    while nxt.year <= year:
        marks.append((nxt, "overdue" if nxt < today else "due"))
        nxt = add_months(nxt, months)
    return sorted(m for m in set(marks) if m[0].year == year)


def statements_of(items: Iterable[AuditItem]) -> list[str]:
    """Quality statement ids the items evidence, first use first."""
    seen: dict[str, None] = {}
    for item in items:
        for st in item.statements:
            seen.setdefault(st, None)
    return list(seen)
