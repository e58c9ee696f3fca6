"""Demo training: completions from each person's start to today, refreshers mostly on time,
some late, some lapsed, a few never done; new starters part-way through the Care Certificate."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from provider_desk.areas.training.models import Course, RoleRequirement
from provider_desk.areas.training.services import (
    TrainingInput,
    add_records_in,
    save_care_certificate_in,
)
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.demo.names import MANAGER
from provider_desk.demo.staff import Workforce, keep_loaded
from provider_desk.rules.dates import add_months

PROVIDERS = (
    ("In-house (Joanna Whitfield)", "face to face", "no"),
    ("Acme Care Training Ltd", "face to face", "yes"),
    ("Skills Academy e-learning", "e-learning", "yes"),
    ("County council workforce team", "blended", "yes"),
)


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(db: Database, rng: random.Random, day: dt.date, team: Workforce) -> int:
    """Record everyone's training in one transaction. Returns the number of completions."""
    completions: list[tuple[int, TrainingInput]] = []
    with db.session() as s:
        _register = keep_loaded(s)
        courses = {c.id: c for c in s.scalars(select(Course))}
        required: dict[int, list[Course]] = {}
        for req in s.scalars(select(RoleRequirement)):
            required.setdefault(req.job_role_id, []).append(courses[req.course_id])
        for m in team.staff:
            end = m.leaving_date or day
            for course in required.get(m.job_role_id, []):
                if course.name == "Care Certificate" and (day - m.start_date).days < 200:
                    done = rng.randint(0, 16)
                    standards: dict[int, dt.date | None] = {}
                    for n in range(1, done + 1):
                        when = m.start_date + dt.timedelta(days=4 * n + rng.randint(0, 3))
                        if when <= day:
                            standards[n] = when
                    if standards:
                        save_care_certificate_in(
                            s,
                            m.id,
                            standards,
                            " ".join(MANAGER),
                            expected_versions={},  # a new starter: none recorded before
                            today=day,
                        )
                    continue
                if rng.random() < 0.04:
                    continue  # never done: shows as missing
                when = m.start_date + dt.timedelta(days=rng.randint(-20, 40))
                lapsed = rng.random() < 0.08
                while when <= end and when <= day:
                    provider, delivery, accredited = rng.choice(PROVIDERS)
                    completions.append(
                        (m.id, TrainingInput(course.id, when, None, provider, delivery, accredited))
                    )
                    if course.refresher_months is None:
                        break
                    nxt = add_months(when, course.refresher_months) - dt.timedelta(
                        days=rng.randint(-25, 45)
                    )
                    if lapsed and add_months(nxt, course.refresher_months) > day:
                        break  # the last refresher was never booked: expired
                    when = nxt
        return add_records_in(s, completions, today=day)
