"""A realistic, fictional homecare provider for demos, screenshots, tests and benchmarks.

Every record is entered through the same services as typed data, so the demo obeys the same
rules; one module per area, each writing in one transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict

from sqlalchemy import func, select

from provider_desk.areas.staff.models import StaffMember
from provider_desk.db.session import Database
from provider_desk.demo import actions, audits, complaints, people, staff, supervision, training
from provider_desk.demo.names import MANAGER
from provider_desk.errors import ValidationError
from provider_desk.settings.queries import get_settings
from provider_desk.settings.services import SettingsInput, update_settings

SIZES = {"small": (40, 2, 1), "large": (250, 5, 1), "huge": (1000, 5, 4)}
"""Staff in post, years of history, and how many times the large demo's actions and people."""


def generate(db: Database, *, today: dt.date, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Fill an empty database with a fictional provider. ``small``: ~40 staff now;
    ``large``: ~250 staff now and five years of starters and leavers; ``huge``: ~1,000 staff
    now and five years (several offices' worth, for measuring how figures grow).

    Raises:
        ValidationError: the database already holds staff (demo data never mixes with real data).
    """
    if size not in SIZES:
        raise ValidationError.single("size", "Size must be 'small', 'large' or 'huge'.")
    rng = random.Random(seed)
    day = today
    current, years, scale = SIZES[size]
    with db.reading() as s:
        if s.scalar(select(func.count()).select_from(StaffMember)):
            raise ValidationError.single(
                "database",
                "This database already has staff in it; demo data goes only into a "
                "new, empty database.",
            )
    _settings(db)
    team = staff.generate(db, rng, day, current=current, years=years)
    n_actions = actions.generate(
        db, rng, day, team, count=14 if size == "small" else 120 * scale, years=years
    )
    n_training = training.generate(db, rng, day, team)
    n_sessions = supervision.generate(db, rng, day, team)
    n_complaints, n_compliments = complaints.generate(db, rng, day, team)
    n_audits = audits.generate(db, rng, day, team)
    n_people = people.generate(
        db, rng, day, team, count=55 if size == "small" else 320 * scale, years=years
    )
    return {
        "staff": len(team.in_post),
        "leavers": len(team.staff) - len(team.in_post),
        "actions": n_actions,
        "training": n_training,
        "sessions": n_sessions,
        "complaints": n_complaints,
        "compliments": n_compliments,
        "audits": n_audits,
        "people": n_people,
    }


def _settings(db: Database) -> None:
    """The demo provider's details; every other setting stays as it was."""
    current = {
        k: v for k, v in asdict(get_settings(db)).items() if k in SettingsInput.__dataclass_fields__
    }
    update_settings(
        db,
        expected_version=get_settings(db).version,
        data=SettingsInput(
            **{
                **current,
                "provider_name": "Meadowbank Home Care Ltd (demo)",
                "cqc_provider_id": "1-000000001",
                "cqc_location_id": "1-000000002",
                "registered_manager": " ".join(MANAGER),
                "address": "Unit 4, Canal Wharf, Anytown AN1 2BC",
                "asc_wds_workplace_id": "MEADOWBANK01",
            }
        ),
    )
