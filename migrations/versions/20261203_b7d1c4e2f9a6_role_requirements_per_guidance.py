"""role requirements per guidance: statutory courses for every role, Oliver McGowan for managers

Revision ID: b7d1c4e2f9a6
Revises: a3c5e1f0b7d2
Create Date: 2026-12-03 13:30:00

Data only, and only additions. The shipped role-to-course defaults changed (resources/
training.json, each with its reason): the courses Skills for Care requires of all adult social
care workers now apply to every role, administrative staff get safeguarding children, and
senior, middle and first-line management get the all-staff courses and Oliver McGowan Tier 1.
Each requirement below is added where the course and the role still have their shipped names
and the role does not already require it. Nothing is removed: a provider's own requirements,
renamed courses or roles, and the old "Medication competency assessment" course (now tracked as
a supervision kind in new databases) stay as they are. Tier 1 is not added to a role that
already requires Tier 2 (one tier per role).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7d1c4e2f9a6"
down_revision = "a3c5e1f0b7d2"
branch_labels = None
depends_on = None

MANAGERS = ("Senior management", "Middle management", "First-line manager")
ADDED: dict[str, tuple[str, ...]] = {
    "Moving and handling objects": (
        "Care worker",
        "Senior care worker",
        "Support worker",
        "Team leader",
        "Supervisor",
        "Care co-ordinator",
        "Deputy manager",
        "Registered manager",
        *MANAGERS,
    ),
    "Safeguarding adults": MANAGERS,
    "Safeguarding children": ("Administrative", *MANAGERS),
    "Fire safety": MANAGERS,
    "Infection prevention and control": MANAGERS,
    "Health and safety awareness": MANAGERS,
    "Equality and diversity": MANAGERS,
    "Information governance and data protection": MANAGERS,
    "Oliver McGowan Tier 1": MANAGERS,
}
WHO = "schema upgrade"


def upgrade() -> None:
    bind = op.get_bind()
    courses = dict(
        bind.execute(sa.text("SELECT name, id FROM course WHERE archived_at IS NULL")).all()
    )
    roles = dict(
        bind.execute(sa.text("SELECT name, id FROM job_role WHERE archived_at IS NULL")).all()
    )
    existing = set(bind.execute(sa.text("SELECT job_role_id, course_id FROM role_requirement")))
    tier2 = courses.get("Oliver McGowan Tier 2")
    for course_name, role_names in ADDED.items():
        course_id = courses.get(course_name)
        if course_id is None:
            continue
        for role_name in role_names:
            role_id = roles.get(role_name)
            if role_id is None or (role_id, course_id) in existing:
                continue
            if course_name == "Oliver McGowan Tier 1" and (role_id, tier2) in existing:
                continue
            bind.execute(
                sa.text(
                    "INSERT INTO role_requirement (job_role_id, course_id, created_at, "
                    "updated_at, created_by, updated_by, version) VALUES (:role, :course, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :who, :who, 1)"
                ),
                {"role": role_id, "course": course_id, "who": WHO},
            )
            existing.add((role_id, course_id))


def downgrade() -> None:
    """Removes only the requirements this revision added (created by the upgrade)."""
    op.get_bind().execute(
        sa.text("DELETE FROM role_requirement WHERE created_by = :who"), {"who": WHO}
    )
