"""reference counter: one generator of reference numbers, safe across PCs

Revision ID: c4f2a9d1e6b3
Revises: c4d9e2a7b1f3
Create Date: 2026-12-03 15:00:00

Adds ``reference_counter`` (series name -> last number given out) and seeds it from the
references already held: ``complaint-YYYY`` from CMP-YYYY-NNN, ``audit-YYYY`` from AUD-YYYY-NNN
and ``person`` from P-NNNN, so the next record continues where the old scheme left off.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "c4f2a9d1e6b3"
down_revision = "c4d9e2a7b1f3"
branch_labels = None
depends_on = None

_SERIES = (
    ("complaint", re.compile(r"^CMP-(\d{4})-(\d+)$"), "complaint-{year}"),
    ("audit_run", re.compile(r"^AUD-(\d{4})-(\d+)$"), "audit-{year}"),
    ("person", re.compile(r"^P-()(\d+)$"), "person"),
)


def upgrade() -> None:
    counter = op.create_table(
        "reference_counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_counter")),
    )
    bind = op.get_bind()
    highest: dict[str, int] = {}
    for table, pattern, series in _SERIES:
        for (reference,) in bind.execute(sa.text(f"SELECT reference FROM {table}")):
            match = pattern.match(reference or "")
            if match is None:
                continue
            name = series.format(year=match.group(1))
            highest[name] = max(highest.get(name, 0), int(match.group(2)))
    if highest:
        op.bulk_insert(counter, [{"name": k, "value": v} for k, v in sorted(highest.items())])


def downgrade() -> None:
    op.drop_table("reference_counter")
