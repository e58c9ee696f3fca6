"""Audits as the dashboard and the evidence pack read them: audits overdue, never done or due
soon in the programme, and audits finished in a period with the statements their questions
evidence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.orm import Session

from provider_desk.areas.audits.queries import (
    audit_programme_in,
    list_audits_in,
    template_detail_in,
)
from provider_desk.areas.audits.rules import statements_of
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import EvidenceLink, evidence_link
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level

KEY = "audits"


def _link(s: Session, template_id: int) -> EvidenceLink:
    """What every audit evidences plus the statements its template's questions name."""
    base = evidence_link(KEY)
    detail = template_detail_in(s, template_id)
    own = statements_of(detail.template.items) if detail else []
    return EvidenceLink(
        tuple(dict.fromkeys([*base.statements, *own])), base.regulations, base.categories
    )


class AuditsReader:
    """The audit programme's late and coming audits; finished audits as evidence."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        items = []
        for p in audit_programme_in(s, on.today):
            if p.status not in (Level.MISSING, Level.OVERDUE, Level.DUE_SOON):
                continue
            if p.status is Level.MISSING:
                sentence = f"{p.name}: never done ({p.frequency})."
            elif p.status is Level.OVERDUE:
                sentence = (
                    f"{p.name} was due on {format_date(p.next_due)}"
                    f" (last done {format_date(p.last_done)})."
                )
            else:
                sentence = f"{p.name} is due by {format_date(p.next_due)}."
            items.append(
                Attention(
                    area=KEY,
                    reference=p.name,
                    level=p.status,
                    due_on=p.next_due,
                    responsible=on.settings.registered_manager,
                    sentence=sentence,
                    record_id=p.template_id,
                    statements=_link(s, p.template_id).statements,
                )
            )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        done: dict[tuple[int, str], list[tuple[dt.date, str]]] = defaultdict(list)
        for a in list_audits_in(s):
            if a.finished_on is not None:
                score = f", {a.score:.0f}%" if a.score is not None else ""
                done[(a.template_id, a.template)].append((a.audited_on, f"{a.reference}{score}"))
        return gather(
            KEY,
            KEY,
            (
                (f"Audit: {name}", _link(s, template_id), records)
                for (template_id, name), records in done.items()
            ),
            period,
        )
