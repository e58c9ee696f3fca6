"""training courses requirements records care certificate

Revision ID: 8e71359ed07e
Revises: 7e011060901f
Create Date: 2026-11-23 03:05:10.297462
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '8e71359ed07e'
down_revision = '7e011060901f'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('course',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category_code', sa.Integer(), nullable=True),
    sa.Column('refresher_months', sa.Integer(), nullable=True),
    sa.Column('competency', sa.Boolean(), nullable=False),
    sa.Column('interval_note', sa.Text(), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('name', name=op.f('uq_course_name'))
    )
    op.create_table('role_requirement',
    sa.Column('job_role_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_role_requirement_course_id_course')),
    sa.ForeignKeyConstraint(['job_role_id'], ['job_role.id'], name=op.f('fk_role_requirement_job_role_id_job_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_requirement')),
    sa.UniqueConstraint('job_role_id', 'course_id', name=op.f('uq_role_requirement_job_role_id_course_id'))
    )
    with op.batch_alter_table('role_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_requirement_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_requirement_job_role_id'), ['job_role_id'], unique=False)

    op.create_table('care_certificate_standard',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('standard', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('assessor', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_care_certificate_standard_staff_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_certificate_standard')),
    sa.UniqueConstraint('staff_id', 'standard', name=op.f('uq_care_certificate_standard_staff_id_standard'))
    )
    with op.batch_alter_table('care_certificate_standard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_certificate_standard_staff_id'), ['staff_id'], unique=False)

    op.create_table('training_record',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('accredited', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_training_record_attachment_id_attachment')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_training_record_course_id_course')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_training_record_staff_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_record')),
    sa.UniqueConstraint('staff_id', 'course_id', 'completed_on', name=op.f('uq_training_record_staff_id_course_id_completed_on'))
    )
    with op.batch_alter_table('training_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_record_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_record_staff_id'), ['staff_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('training_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_record_staff_id'))
        batch_op.drop_index(batch_op.f('ix_training_record_course_id'))

    op.drop_table('training_record')
    with op.batch_alter_table('care_certificate_standard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_certificate_standard_staff_id'))

    op.drop_table('care_certificate_standard')
    with op.batch_alter_table('role_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_requirement_job_role_id'))
        batch_op.drop_index(batch_op.f('ix_role_requirement_course_id'))

    op.drop_table('role_requirement')
    op.drop_table('course')

