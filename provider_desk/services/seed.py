"""Reference data every database needs: the settings row and the job roles."""

from __future__ import annotations

from sqlalchemy import func, select

from provider_desk.db.session import Database
from provider_desk.models import JobRole, OrganisationSettings
from provider_desk.resources import load_json


def ensure_reference_data(db: Database) -> bool:
    """Create the settings row and seed job roles if missing. Returns True if anything was added."""
    added = False
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(OrganisationSettings)) == 0:
            s.add(OrganisationSettings())
            added = True
        if s.scalar(select(func.count()).select_from(JobRole)) == 0:
            for role in load_json("job_roles.json")["roles"]:
                s.add(JobRole(name=role["name"], asc_wds_code=role["asc_wds_code"]))
            added = True
    return added
