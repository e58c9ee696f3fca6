"""Demo complaints and compliments: a year of complaints with every outcome, a few handled late,
two still late today (one not acknowledged, one not answered), and the thanks that came in."""

from __future__ import annotations

import datetime as dt
import random

from provider_desk.areas.complaints.rules import add_working_days
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    ComplimentInput,
    save_complaint_in,
    save_compliment_in,
)
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.demo.names import FAMILY
from provider_desk.demo.staff import Workforce, keep_loaded

COMPLAINTS = (
    ("missed or late visit", "The lunchtime carer arrived 90 minutes late and did not phone."),
    ("missed or late visit", "No one came for the evening call on Sunday."),
    ("staff conduct", "A carer was on her phone during the visit and seemed rushed."),
    ("communication", "Nobody told us the regular carer was on holiday."),
    ("medication", "Evening tablets were left out on the side and not given."),
    ("charges and invoices", "The invoice included two visits that did not happen."),
    ("care quality", "Mum was not helped to shower as her care plan says."),
    ("care quality", "The kitchen was left untidy after breakfast."),
)
PRAISE = (
    "Thank you for the kindness you showed Dad in his last weeks.",
    "The carers are always cheerful and Mum looks forward to their visits.",
    "Very grateful for how quickly you arranged extra calls after the hospital discharge.",
    "She always takes time to chat and never makes me feel rushed.",
    "Thank you for noticing Mum was unwell and calling the GP.",
)
RELATIONS = ("daughter", "son", "the person themselves", "wife", "social worker")


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(db: Database, rng: random.Random, day: dt.date, team: Workforce) -> tuple[int, int]:
    """Log the complaints and compliments in one transaction: (complaints, compliments)."""
    in_post = team.in_post
    n = 12
    with db.session() as s:
        _register = keep_loaded(s)
        for i in range(n):
            received = day - dt.timedelta(days=rng.randint(2, 360))
            category, summary = COMPLAINTS[i % len(COMPLAINTS)]
            late = rng.random() < 0.2
            ack = add_working_days(received, rng.randint(1, 2) if not late else 5)
            responded = add_working_days(received, rng.randint(8, 18) if not late else 26)
            done = responded <= day - dt.timedelta(days=3)
            outcome = (
                rng.choice(["upheld", "partly upheld", "not upheld", "not upheld"]) if done else ""
            )
            data = ComplaintInput(
                received_on=received,
                complainant_name=FAMILY[i % len(FAMILY)],
                complainant_relation=rng.choice(RELATIONS),
                summary=summary,
                category=category,
                channel=rng.choice(["phone", "email", "letter", "in person"]),
                person_concerned=f"Person {chr(65 + i)}.",
                severity=rng.choice(["low", "medium"]),
                staff_concerned_id=rng.choice(in_post).id if category == "staff conduct" else None,
                investigator_id=rng.choice(team.supervisors).id,
                acknowledged_on=ack if ack <= day else None,
                responded_on=responded if done else None,
                findings="Rota records and call logs checked; staff spoken to." if done else "",
                outcome=outcome,
                apology_given=outcome in ("upheld", "partly upheld"),
                lessons_learned="Shared at the team meeting; rota checks tightened."
                if done
                else "",
                complainant_satisfied=rng.choice(["yes", "yes", "no"]) if done else "",
                closed_on=min(day, responded + dt.timedelta(days=7))
                if done and rng.random() < 0.8
                else None,
            )
            save_complaint_in(s, data, today=day, who=db.user, expected_version=None)
        # Two late today whatever the dice say (no dice thrown: the rest of the demo is unchanged).
        for received, acknowledged, (category, summary) in (
            (day - dt.timedelta(days=9), None, COMPLAINTS[1]),
            (day - dt.timedelta(days=60), day - dt.timedelta(days=58), COMPLAINTS[4]),
        ):
            save_complaint_in(
                s,
                ComplaintInput(
                    received_on=received,
                    complainant_name=FAMILY[n % len(FAMILY)],
                    complainant_relation="daughter",
                    summary=summary,
                    category=category,
                    person_concerned=f"Person {chr(65 + n)}.",
                    investigator_id=team.supervisors[0].id,
                    acknowledged_on=acknowledged,
                ),
                today=day,
                who=db.user,
                expected_version=None,
            )
            n += 1
        count = 30
        for _ in range(count):
            m = rng.choice(in_post)
            save_compliment_in(
                s,
                ComplimentInput(
                    received_on=day - dt.timedelta(days=rng.randint(1, 360)),
                    from_name=rng.choice(FAMILY) + " (family)",
                    staff_id=m.id,
                    about_person=rng.choice(["", "Mrs B.", "Mr P."]),
                    what_was_said=rng.choice(PRAISE),
                    channel=rng.choice(["card", "phone", "email", "survey"]),
                ),
                today=day,
                expected_version=None,
            )
    return n, count
