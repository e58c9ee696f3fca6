"""complaints timeline letters compliments

Revision ID: 8b43df7bfc36
Revises: 81f2cea0a937
Create Date: 2026-11-23 03:41:07.004104
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '8b43df7bfc36'
down_revision = '81f2cea0a937'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('letter_template',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
    sa.UniqueConstraint('kind', name=op.f('uq_letter_template_kind'))
    )
    op.create_table('complaint',
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('complainant_name', sa.String(length=200), nullable=False),
    sa.Column('complainant_relation', sa.String(length=100), nullable=False),
    sa.Column('complainant_address', sa.Text(), nullable=False),
    sa.Column('person_concerned', sa.String(length=200), nullable=False),
    sa.Column('staff_concerned_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('safeguarding', sa.Boolean(), nullable=False),
    sa.Column('duty_of_candour', sa.Boolean(), nullable=False),
    sa.Column('investigator_id', sa.Integer(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('apology_given', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_on', sa.Date(), nullable=True),
    sa.Column('response_due_extended_to', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('complainant_satisfied', sa.String(length=10), nullable=False),
    sa.Column('ombudsman_referred_on', sa.Date(), nullable=True),
    sa.Column('council_referred_on', sa.Date(), nullable=True),
    sa.Column('lessons_learned', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['investigator_id'], ['staff_member.id'], name=op.f('fk_complaint_investigator_id_staff_member')),
    sa.ForeignKeyConstraint(['staff_concerned_id'], ['staff_member.id'], name=op.f('fk_complaint_staff_concerned_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('reference', name=op.f('uq_complaint_reference'))
    )
    op.create_table('compliment',
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('about_person', sa.String(length=200), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('what_was_said', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_compliment_staff_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliment'))
    )
    with op.batch_alter_table('compliment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliment_staff_id'), ['staff_id'], unique=False)

    op.create_table('complaint_event',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_event_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_event'))
    )
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_event_complaint_id'), ['complaint_id'], unique=False)

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_ack_working_days', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('complaint_response_working_days', sa.Integer(), server_default='20', nullable=False))




def downgrade() -> None:

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('complaint_response_working_days')
        batch_op.drop_column('complaint_ack_working_days')

    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_event_complaint_id'))

    op.drop_table('complaint_event')
    with op.batch_alter_table('compliment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compliment_staff_id'))

    op.drop_table('compliment')
    op.drop_table('complaint')
    op.drop_table('letter_template')

