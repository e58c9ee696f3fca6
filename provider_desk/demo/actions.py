"""Demo action plan: improvement actions raised by hand over the years, most done on time."""

from __future__ import annotations

import datetime as dt
import random

from provider_desk.areas.actions.services import ActionInput, complete_action_in, raise_action_in
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.demo.staff import Workforce, keep_loaded
from provider_desk.rules.dates import add_months

ACTIONS = (
    "Chase two missing references for the newest starters",
    "Update the lone working risk assessment for the rural round",
    "Book refresher medication training for the night team",
    "Review rota so that double-up calls have two trained carers",
    "Re-check DBS update service status for bank staff",
    "Replace expired first aid kits in the office and pool car",
    "Add hydration prompts to care plans flagged in the summer audit",
    "Complete supervision backlog for the South team",
    "Send the annual satisfaction survey to people we support",
    "Agree a new process for logging late calls with the council",
    "Refresh the whistleblowing poster and share the FTSU guardian's details",
    "Audit three staff files against Schedule 3",
)


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(
    db: Database, rng: random.Random, day: dt.date, team: Workforce, *, count: int, years: int
) -> int:
    """Raise ``count`` manual actions over ``years``; complete most that fell due."""
    owners = team.in_post[:30]
    with db.session() as s:
        _register = keep_loaded(s)
        for i in range(count):
            raised = day - dt.timedelta(days=rng.randint(1, 365 * years))
            due = add_months(raised, rng.choice([1, 1, 2, 3]))
            done = None
            if (due < day and rng.random() < 0.75) or rng.random() < 0.15:
                done = min(
                    day,
                    raised + dt.timedelta(days=rng.randint(1, max(1, (due - raised).days + 10))),
                )
            action = raise_action_in(
                s,
                ActionInput(ACTIONS[i % len(ACTIONS)], rng.choice(owners).id, due, raised),
                today=day,
            )
            if done is not None:
                complete_action_in(
                    s,
                    action.id,
                    done,
                    "Done: see the updated file.",
                    expected_version=action.version,
                    today=day,
                )
    return count
