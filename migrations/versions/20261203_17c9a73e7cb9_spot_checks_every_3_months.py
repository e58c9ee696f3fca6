"""spot checks every 3 months (NICE QS123 statement 6) where the shipped 6 was never changed

Revision ID: 17c9a73e7cb9
Revises: 9d5aeae77f76
Create Date: 2026-12-03 12:00:00

Data only. A spot-check kind still at the old shipped default (6 months, ``version`` 1: never
saved by anyone since it was seeded) moves to 3 months with the new note. A provider who has
saved the kind (``version`` > 1), even back to 6 months, keeps what they set.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "17c9a73e7cb9"
down_revision = "9d5aeae77f76"
branch_labels = None
depends_on = None

OLD_NOTE = "No official frequency found (unconfirmed): 6-monthly default, change it to your policy."
NEW_NOTE = (
    "NICE QS123 statement 6: practice-based supervision, based on observation of practice, at "
    "least every 3 months. A more frequent spot-check policy is yours to set; a longer interval "
    "overstates compliance."
)


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE supervision_kind SET interval_months = 3, note = :new "
            "WHERE kind = 'spot check' AND interval_months = 6 AND version = 1"
        ),
        {"new": NEW_NOTE},
    )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE supervision_kind SET interval_months = 6, note = :old "
            "WHERE kind = 'spot check' AND interval_months = 3 AND version = 1 AND note = :new"
        ),
        {"old": OLD_NOTE, "new": NEW_NOTE},
    )
