"""complaint funding: letters name the escalation body for who funds the care

Revision ID: 70e9e8870d48
Revises: 17c9a73e7cb9
Create Date: 2026-12-03 12:30:00

Adds ``complaint.funding`` (blank on existing complaints: their letters name both Ombudsmen
until it is set). In the two letter templates, the paragraph naming the Local Government and
Social Care Ombudsman is replaced by the ``{escalation}`` placeholder only where it is still the
exact shipped text; a paragraph the provider rewrote is left as they wrote it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "70e9e8870d48"
down_revision = "17c9a73e7cb9"
branch_labels = None
depends_on = None

SHIPPED = (
    "If you are not satisfied with our final response, you can ask the Local Government and "
    "Social Care Ombudsman to look at your complaint. The Ombudsman is free and independent. You "
    "can contact them on 0300 061 0614 or at www.lgo.org.uk. They will usually expect you to have "
    "given us the chance to respond first.",
    "If you are not satisfied with this response, you can ask the Local Government and Social "
    "Care Ombudsman to look at your complaint. The Ombudsman is free and independent. You can "
    "contact them on 0300 061 0614 or at www.lgo.org.uk.",
)


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(
            sa.Column("funding", sa.String(length=30), server_default="", nullable=False)
        )
    bind = op.get_bind()
    for paragraph in SHIPPED:
        bind.execute(
            sa.text("UPDATE letter_template SET body = replace(body, :old, '{escalation}')"),
            {"old": paragraph},
        )


def downgrade() -> None:
    bind = op.get_bind()
    for kind, paragraph in zip(("acknowledgement", "outcome"), SHIPPED, strict=True):
        bind.execute(
            sa.text(
                "UPDATE letter_template SET body = replace(body, '{escalation}', :new) "
                "WHERE kind = :kind"
            ),
            {"new": paragraph, "kind": kind},
        )
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("funding")
