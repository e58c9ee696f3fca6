"""audits templates versions runs

Revision ID: df8722d7ce41
Revises: 8b43df7bfc36
Create Date: 2026-11-23 05:04:16.097272
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'df8722d7ce41'
down_revision = '8b43df7bfc36'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_template',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_template')),
    sa.UniqueConstraint('key', name=op.f('uq_audit_template_key'))
    )
    op.create_table('audit_template_version',
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('change_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['audit_template.id'], name=op.f('fk_audit_template_version_template_id_audit_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_template_version')),
    sa.UniqueConstraint('template_id', 'number', name=op.f('uq_audit_template_version_template_id_number'))
    )
    with op.batch_alter_table('audit_template_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_template_version_template_id'), ['template_id'], unique=False)

    op.create_table('audit_run',
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('audited_on', sa.Date(), nullable=False),
    sa.Column('auditor_id', sa.Integer(), nullable=False),
    sa.Column('scope_note', sa.Text(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('manager_signed_by', sa.String(length=200), nullable=False),
    sa.Column('manager_signed_on', sa.Date(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revision_of_id', sa.Integer(), nullable=True),
    sa.Column('revision_reason', sa.Text(), nullable=False),
    sa.Column('follow_up_of_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['auditor_id'], ['staff_member.id'], name=op.f('fk_audit_run_auditor_id_staff_member')),
    sa.ForeignKeyConstraint(['follow_up_of_id'], ['audit_run.id'], name=op.f('fk_audit_run_follow_up_of_id_audit_run')),
    sa.ForeignKeyConstraint(['revision_of_id'], ['audit_run.id'], name=op.f('fk_audit_run_revision_of_id_audit_run')),
    sa.ForeignKeyConstraint(['template_id'], ['audit_template.id'], name=op.f('fk_audit_run_template_id_audit_template')),
    sa.ForeignKeyConstraint(['template_version_id'], ['audit_template_version.id'], name=op.f('fk_audit_run_template_version_id_audit_template_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_run')),
    sa.UniqueConstraint('reference', 'revision', name=op.f('uq_audit_run_reference_revision'))
    )
    with op.batch_alter_table('audit_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_run_auditor_id'), ['auditor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_run_revision_of_id'), ['revision_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_run_template_id'), ['template_id'], unique=False)

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_run_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_item', sa.String(length=20), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_action_audit_run_id'), ['audit_run_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_audit_run_id_audit_run'), 'audit_run', ['audit_run_id'], ['id'])

    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_due_soon_days', sa.Integer(), server_default='14', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('organisation_settings', schema=None) as batch_op:
        batch_op.drop_column('audit_due_soon_days')

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_audit_run_id_audit_run'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_audit_run_id'))
        batch_op.drop_column('audit_item')
        batch_op.drop_column('audit_run_id')

    with op.batch_alter_table('audit_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_run_template_id'))
        batch_op.drop_index(batch_op.f('ix_audit_run_revision_of_id'))
        batch_op.drop_index(batch_op.f('ix_audit_run_auditor_id'))

    op.drop_table('audit_run')
    with op.batch_alter_table('audit_template_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_template_version_template_id'))

    op.drop_table('audit_template_version')
    op.drop_table('audit_template')
