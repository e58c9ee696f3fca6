"""user accounts and the change log's user id

Revision ID: c4a7e2b91d05
Revises: a0d1750a7c3e
Create Date: 2026-12-03 15:00:00

Adds ``user_account`` (user names in lower case, unique; role; Argon2 password hash; active flag;
failed attempts and lock; last sign-in), ``change_log.user_id`` (empty for every entry written
before, so their hashes still verify) and ``organisation_settings.lock_after_minutes`` (15).
A database upgraded to this revision has no users and works as before until the registered
manager's account is created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4a7e2b91d05"
down_revision = "a0d1750a7c3e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("change_log") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_change_log_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("organisation_settings") as batch:
        batch.add_column(
            sa.Column("lock_after_minutes", sa.Integer(), server_default="15", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation_settings") as batch:
        batch.drop_column("lock_after_minutes")
    with op.batch_alter_table("change_log") as batch:
        batch.drop_index(batch.f("ix_change_log_user_id"))
        batch.drop_column("user_id")
    op.drop_table("user_account")
