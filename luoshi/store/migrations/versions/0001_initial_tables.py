"""Initial tables: regions, plans and their versions, sections, targets, assignments.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 20:14:51.541336
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('regions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_parent_code'), ['parent_code'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('region_name', sa.String(length=64), nullable=True),
    sa.Column('region_code', sa.String(length=12), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_plans_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('key', name=op.f('uq_plans_key'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_region_name'), ['region_name'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source_name', sa.String(length=500), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('issuer', sa.String(length=200), nullable=True),
    sa.Column('doc_number', sa.String(length=100), nullable=True),
    sa.Column('issued', sa.String(length=10), nullable=True),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('section_count', sa.Integer(), nullable=False),
    sa.Column('target_count', sa.Integer(), nullable=False),
    sa.Column('assignment_count', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_versions_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_versions_plan_id')),
    sa.UniqueConstraint('sha256', name=op.f('uq_plan_versions_sha256'))
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_plan_id'), ['plan_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('lead_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_assignments_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_version_id'), ['version_id'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_sections_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections'))
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_version_id'), ['version_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('indicator_key', sa.String(length=64), nullable=True),
    sa.Column('link_status', sa.String(length=16), nullable=False),
    sa.Column('link_score', sa.Float(), nullable=True),
    sa.Column('value', sa.Numeric(precision=28, scale=6), nullable=False),
    sa.Column('value_max', sa.Numeric(precision=28, scale=6), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('comparator', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Numeric(precision=28, scale=6), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_targets_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_indicator_key'), ['indicator_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_version_id'), ['version_id'], unique=False)

    op.create_table('assignment_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_units_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_units'))
    )
    with op.batch_alter_table('assignment_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_units_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_units_name'), ['name'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('assignment_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_units_name'))
        batch_op.drop_index(batch_op.f('ix_assignment_units_assignment_id'))

    op.drop_table('assignment_units')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_version_id'))
        batch_op.drop_index(batch_op.f('ix_targets_indicator_key'))

    op.drop_table('targets')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_version_id'))

    op.drop_table('sections')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_version_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_plan_id'))

    op.drop_table('plan_versions')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_region_name'))
        batch_op.drop_index(batch_op.f('ix_plans_region_code'))

    op.drop_table('plans')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_code'))
        batch_op.drop_index(batch_op.f('ix_regions_name'))

    op.drop_table('regions')
