"""The action plan as the dashboard and the evidence pack read it: actions overdue or due soon,
and actions completed in a period (the service acting on what it finds)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from provider_desk.areas.actions.queries import list_actions_in
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import evidence_link
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level

KEY = "actions"


class ActionsReader:
    """Open actions past or near their due date; completed actions as evidence."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        statements = evidence_link(KEY).statements
        items = []
        for a in list_actions_in(s, on.today):
            level = a.status.level
            if level not in (Level.OVERDUE, Level.DUE_SOON):
                continue
            when = "was due" if level is Level.OVERDUE else "is due"
            items.append(
                Attention(
                    area=KEY,
                    reference=a.description,
                    level=level,
                    due_on=a.due_on,
                    responsible=a.owner,
                    sentence=f"{a.description} {when} on {format_date(a.due_on)}"
                    + (f" ({a.source_ref})." if a.source_ref else "."),
                    record_id=a.id,
                    statements=statements,
                )
            )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        done = [
            (a.completed_on, a.description)
            for a in list_actions_in(s, on.today)
            if a.completed_on is not None
        ]
        return gather(KEY, KEY, [("Actions completed", evidence_link(KEY), done)], period)
