"""Demo supervision: two years of sessions of every kind for staff in post, a few people running
late, some spot checks needing improvement with an action on the plan."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.services import AgreedAction, complete_action_in
from provider_desk.areas.supervision.models import SupervisionKind, SupervisionRoleInterval
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision_in
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.db.versions import current_version
from provider_desk.demo.staff import Workforce, keep_loaded
from provider_desk.rules.dates import add_months

NOTES = {
    "supervision": [
        "Settled and enjoying the rural round.",
        "Some tiredness with double-up calls; rota reviewed.",
        "No safeguarding concerns raised.",
        "Wants to start the Level 3 diploma.",
        "Previous actions completed.",
    ],
    "spot check": [
        "On time, ID badge worn.",
        "Gloves and apron used correctly.",
        "Knocked and asked before entering the bedroom.",
        "Followed the care plan.",
        "MAR chart signed at the time.",
        "Daily notes clear.",
        "Mrs B said she is happy with her carers.",
    ],
}


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(db: Database, rng: random.Random, day: dt.date, team: Workforce) -> int:
    """Record the sessions in one transaction. Returns how many."""
    since = day - dt.timedelta(days=730)
    count = 0
    completions: list[dt.date | None] = []  # one per agreed action, in the order raised
    with db.session() as s:
        _register = keep_loaded(s)
        kinds = list(s.scalars(select(SupervisionKind).order_by(SupervisionKind.id)))
        role_months = {
            (r.kind, r.job_role_id): r.interval_months
            for r in s.scalars(select(SupervisionRoleInterval))
        }
        for m in team.in_post:
            bosses = [b for b in team.supervisors if b.id != m.id] or [team.manager]
            behind = rng.random() < 0.12  # supervision has slipped for some people
            for kind in kinds:
                months = role_months.get((kind.kind, m.job_role_id), kind.interval_months)
                if kind.milestones_months:
                    dates = [
                        add_months(m.start_date, int(x)) for x in kind.milestones_months.split(",")
                    ]
                    # Long-serving staff passed probation long ago; recent starters may be behind.
                    settled = (day - m.start_date).days > 365
                    dates = [d for d in dates if d <= day and (settled or rng.random() < 0.85)]
                elif months is None:
                    continue
                else:
                    dates = []
                    when = add_months(max(m.start_date, since), months)
                    while when <= day:
                        dates.append(when)
                        when = add_months(when, months) + dt.timedelta(days=rng.randint(-10, 12))
                    if behind and dates:
                        dates = dates[:-1]
                titles = kind.sections.splitlines()
                notes = NOTES.get(kind.kind, [])
                sections = tuple(
                    (t, notes[i] if i < len(notes) else "") for i, t in enumerate(titles)
                )
                for planned in dates:
                    when = min(day, planned + dt.timedelta(days=rng.randint(-7, 7)))
                    if when < m.start_date:
                        continue
                    # Led by someone who worked here by then, where anyone did.
                    boss = rng.choice([b for b in bosses if b.start_date <= when] or bosses)
                    outcome = ""
                    if kind.has_outcome:
                        outcome = rng.choices(["satisfactory", "needs improvement"], [88, 12])[0]
                    actions: tuple[AgreedAction, ...] = ()
                    if outcome == "needs improvement":
                        due = when + dt.timedelta(days=28)
                        actions = (
                            AgreedAction(
                                f"Refresher and re-check for {m.name} after the "
                                f"{kind.name.lower()}",
                                boss.id,
                                due,
                            ),
                        )
                        completions.append(due if due < day and rng.random() < 0.7 else None)
                    record_supervision_in(
                        s,
                        SupervisionInput(
                            staff_id=m.id,
                            supervisor_id=boss.id,
                            kind=kind.kind,
                            held_on=when,
                            location="Office" if kind.kind != "spot check" else "Person's home",
                            sections=sections,
                            outcome=outcome,
                            worker_ack_name=m.name,
                            worker_ack_on=when,
                            supervisor_signed_on=when,
                            actions=actions,
                        ),
                        today=day,
                    )
                    count += 1
        raised = s.scalars(
            select(Action.id)
            .where(Action.source.in_(("supervision", "spot check")))
            .order_by(Action.id)
        ).all()
        for action_id, done in zip(raised, completions, strict=True):
            if done is not None:
                complete_action_in(
                    s,
                    action_id,
                    done,
                    "Re-observed: satisfactory.",
                    expected_version=current_version(s, Action, action_id),
                    today=day,
                )
    return count
