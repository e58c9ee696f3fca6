"""audit programme start: a new database asks when its audit programme starts

Revision ID: a0d1750a7c3e
Revises: b7d1c4e2f9a6
Create Date: 2026-12-03 13:10:00

Adds ``organisation_settings.audit_programme_start`` (empty). Until it is set, an audit never
done is due only once some audit has been finished (the programme started with the first one),
so a fresh database no longer opens with every audit overdue.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a0d1750a7c3e"
down_revision = "b7d1c4e2f9a6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation_settings") as batch:
        batch.add_column(sa.Column("audit_programme_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation_settings") as batch:
        batch.drop_column("audit_programme_start")
