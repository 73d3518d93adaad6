"""Monthly dispatch: units and their aliases, tasks (from assignments), versioned submissions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 21:06:57.025161
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_units_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_region_code'), ['region_code'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('submitted_by', sa.String(length=100), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_submissions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('unit_id', 'period', 'version', name=op.f('uq_submissions_unit_id'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_aliases_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_unit_aliases_alias'))
    )
    with op.batch_alter_table('unit_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_aliases_unit_id'), ['unit_id'], unique=False)

    op.create_table('report_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('month_value', sa.Numeric(precision=28, scale=6), nullable=True),
    sa.Column('cumulative', sa.Numeric(precision=28, scale=6), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=True),
    sa.Column('delay_reason', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_report_lines_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_report_lines_target_id_targets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_lines')),
    sa.UniqueConstraint('submission_id', 'target_id', name=op.f('uq_report_lines_submission_id'))
    )
    with op.batch_alter_table('report_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_lines_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_lines_target_id'), ['target_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('due', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_tasks_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_tasks_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_tasks_assignment_id'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_plan_id'), ['plan_id'], unique=False)

    op.create_table('task_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_task_targets_target_id_targets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_targets_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_targets')),
    sa.UniqueConstraint('task_id', 'target_id', name=op.f('uq_task_targets_task_id'))
    )
    with op.batch_alter_table('task_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_targets_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_targets_task_id'), ['task_id'], unique=False)

    op.create_table('task_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_units_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_units_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_units')),
    sa.UniqueConstraint('task_id', 'unit_id', name=op.f('uq_task_units_task_id'))
    )
    with op.batch_alter_table('task_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_units_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_units_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_units_task_id'))

    op.drop_table('task_units')
    with op.batch_alter_table('task_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_targets_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_targets_target_id'))

    op.drop_table('task_targets')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_plan_id'))

    op.drop_table('tasks')
    with op.batch_alter_table('report_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_lines_target_id'))
        batch_op.drop_index(batch_op.f('ix_report_lines_submission_id'))

    op.drop_table('report_lines')
    with op.batch_alter_table('unit_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_aliases_unit_id'))

    op.drop_table('unit_aliases')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_period'))

    op.drop_table('submissions')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_region_code'))

    op.drop_table('units')
