"""supervision kinds role intervals records

Revision ID: 81f2cea0a937
Revises: 8e71359ed07e
Create Date: 2026-11-23 03:28:11.744590
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '81f2cea0a937'
down_revision = '8e71359ed07e'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('supervision_kind',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('interval_months', sa.Integer(), nullable=True),
    sa.Column('milestones_months', sa.String(length=50), nullable=False),
    sa.Column('has_outcome', sa.Boolean(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_kind')),
    sa.UniqueConstraint('kind', name=op.f('uq_supervision_kind_kind'))
    )
    op.create_table('supervision_role_interval',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('job_role_id', sa.Integer(), nullable=False),
    sa.Column('interval_months', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['job_role_id'], ['job_role.id'], name=op.f('fk_supervision_role_interval_job_role_id_job_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_role_interval')),
    sa.UniqueConstraint('kind', 'job_role_id', name=op.f('uq_supervision_role_interval_kind_job_role_id'))
    )
    with op.batch_alter_table('supervision_role_interval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_role_interval_job_role_id'), ['job_role_id'], unique=False)

    op.create_table('supervision_record',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('worker_ack_name', sa.String(length=200), nullable=False),
    sa.Column('worker_ack_on', sa.Date(), nullable=True),
    sa.Column('supervisor_signed_on', sa.Date(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_supervision_record_staff_id_staff_member')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['staff_member.id'], name=op.f('fk_supervision_record_supervisor_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_record'))
    )
    with op.batch_alter_table('supervision_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_record_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_record_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_record_supervisor_id'), ['supervisor_id'], unique=False)

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervision_due_soon_days', sa.Integer(), server_default='14', nullable=False))




def downgrade() -> None:

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('supervision_due_soon_days')

    with op.batch_alter_table('supervision_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_record_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_record_staff_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_record_kind'))

    op.drop_table('supervision_record')
    with op.batch_alter_table('supervision_role_interval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_role_interval_job_role_id'))

    op.drop_table('supervision_role_interval')
    op.drop_table('supervision_kind')

