"""lead outcomes: where a closed lead signed or landed (district, park, real industry), or why
and where it was lost, with the scoring it carried when it closed

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-04 18:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('leadoutcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('district_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('zone_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('industry_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('lost_to', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('lost_city', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('taxonomy_version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], ),
    sa.ForeignKeyConstraint(['match_id'], ['leadmatch.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('leadoutcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leadoutcome_lead_id'), ['lead_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_leadoutcome_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_leadoutcome_closed_on'), ['closed_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('leadoutcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leadoutcome_closed_on'))
        batch_op.drop_index(batch_op.f('ix_leadoutcome_outcome'))
        batch_op.drop_index(batch_op.f('ix_leadoutcome_lead_id'))
    op.drop_table('leadoutcome')
