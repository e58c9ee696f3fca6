"""job role regulated activity: the adults' barred list follows the role

Revision ID: a3c5e1f0b7d2
Revises: 70e9e8870d48
Create Date: 2026-12-03 13:00:00

Adds ``job_role.regulated_activity`` (true by default). Existing administrative roles (ASC-WDS
MAINJOBROLE 25, or named as the shipped administrative role or one of its aliases) are set
false: an enhanced DBS for them no longer needs the barred-list tick. Every other role stays
true, as before, and can be changed in Job roles.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a3c5e1f0b7d2"
down_revision = "70e9e8870d48"
branch_labels = None
depends_on = None

ADMINISTRATIVE_NAMES = (
    "administrative",
    "administrator",
    "admin",
    "office administrator",
    "receptionist",
)


def upgrade() -> None:
    with op.batch_alter_table("job_role") as batch:
        batch.add_column(
            sa.Column("regulated_activity", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    bind = op.get_bind()
    job_role = sa.table(
        "job_role",
        sa.column("name", sa.String),
        sa.column("asc_wds_code", sa.Integer),
        sa.column("regulated_activity", sa.Boolean),
    )
    bind.execute(
        job_role.update()
        .where(
            sa.or_(
                job_role.c.asc_wds_code == 25,
                sa.func.lower(job_role.c.name).in_(ADMINISTRATIVE_NAMES),
            )
        )
        .values(regulated_activity=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("job_role") as batch:
        batch.drop_column("regulated_activity")
