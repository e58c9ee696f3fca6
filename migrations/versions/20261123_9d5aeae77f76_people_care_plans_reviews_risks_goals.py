"""people care plans reviews risks goals

Revision ID: 9d5aeae77f76
Revises: df8722d7ce41
Create Date: 2026-11-23 05:23:00.191297
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '9d5aeae77f76'
down_revision = 'df8722d7ce41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('preferred_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('nhs_number', sa.String(length=10), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('funding', sa.String(length=30), nullable=False),
    sa.Column('service_type', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('key_worker_id', sa.Integer(), nullable=True),
    sa.Column('next_of_kin', sa.Text(), nullable=False),
    sa.Column('power_of_attorney', sa.Text(), nullable=False),
    sa.Column('reablement_start_hours', sa.Double(), nullable=True),
    sa.Column('reablement_end_hours', sa.Double(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['key_worker_id'], ['staff_member.id'], name=op.f('fk_person_key_worker_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('nhs_number', name=op.f('uq_person_nhs_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_person_reference'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_key_worker_id'), ['key_worker_id'], unique=False)

    op.create_table('care_plan',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('change_reason', sa.Text(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('visits', sa.Text(), nullable=False),
    sa.Column('consent_by', sa.String(length=20), nullable=False),
    sa.Column('consent_name', sa.String(length=200), nullable=False),
    sa.Column('consent_capacity', sa.String(length=200), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('mca_needed', sa.Boolean(), nullable=False),
    sa.Column('mca_outcome', sa.String(length=30), nullable=False),
    sa.Column('best_interests', sa.Text(), nullable=False),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_care_plan_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan')),
    sa.UniqueConstraint('person_id', 'number', name=op.f('uq_care_plan_person_id_number'))
    )
    with op.batch_alter_table('care_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plan_person_id'), ['person_id'], unique=False)

    op.create_table('goal',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('starting_point', sa.Text(), nullable=False),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_goal_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_person_id'), ['person_id'], unique=False)

    op.create_table('risk_assessment',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('hazard', sa.Text(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('controls', sa.Text(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['staff_member.id'], name=op.f('fk_risk_assessment_assessed_by_id_staff_member')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_risk_assessment_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessment'))
    )
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_assessment_person_id'), ['person_id'], unique=False)

    op.create_table('care_review',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('care_plan_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('changes_made', sa.Text(), nullable=False),
    sa.Column('needs_changed', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['care_plan_id'], ['care_plan.id'], name=op.f('fk_care_review_care_plan_id_care_plan')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_care_review_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_review'))
    )
    with op.batch_alter_table('care_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_review_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('care_plan_review_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.add_column(sa.Column('risk_review_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.add_column(sa.Column('care_review_due_soon_days', sa.Integer(), server_default='28', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('care_review_due_soon_days')
        batch_op.drop_column('risk_review_months')
        batch_op.drop_column('care_plan_review_months')

    with op.batch_alter_table('care_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_review_person_id'))

    op.drop_table('care_review')
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessment_person_id'))

    op.drop_table('risk_assessment')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_person_id'))

    op.drop_table('goal')
    with op.batch_alter_table('care_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_plan_person_id'))

    op.drop_table('care_plan')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_key_worker_id'))

    op.drop_table('person')
