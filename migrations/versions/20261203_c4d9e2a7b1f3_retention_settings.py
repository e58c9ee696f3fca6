"""retention settings: how long each kind of record is kept (regulation.md §9.3)

Revision ID: c4d9e2a7b1f3
Revises: c4a7e2b91d05
Create Date: 2026-12-03 14:45:00

Adds ``retention_setting`` (one row per record type, months kept after the record's event) and
writes the defaults from ``shared/reference/regulation.md`` §9.3, all marked UNCONFIRMED there, so
the manager can change each in Settings ▸ Data protection. The values are written here, not read
from the program, so this revision does the same thing whatever later versions change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4d9e2a7b1f3"
down_revision: str | None = "c4a7e2b91d05"
branch_labels = None
depends_on = None

WHO = "schema upgrade"
DEFAULTS = {
    "people": 96,  # 8 years after care ends
    "staff": 72,  # 6 years after leaving
    "training": 72,
    "supervision": 72,
    "complaints": 72,  # 6 years after closing
    "compliments": 36,  # 3 years after receipt
    "audits": 36,  # 3 years after finishing
}


def upgrade() -> None:
    op.create_table(
        "retention_setting",
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_setting")),
        sa.UniqueConstraint("record_type", name=op.f("uq_retention_setting_record_type")),
    )
    bind = op.get_bind()
    for record_type, months in DEFAULTS.items():
        bind.execute(
            sa.text(
                "INSERT INTO retention_setting (record_type, months, created_at, updated_at, "
                "created_by, updated_by, version) VALUES (:type, :months, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, :who, :who, 1)"
            ),
            {"type": record_type, "months": months, "who": WHO},
        )


def downgrade() -> None:
    op.drop_table("retention_setting")
