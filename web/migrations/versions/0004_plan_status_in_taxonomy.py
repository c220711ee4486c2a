"""plan status moves to the taxonomy: officers' overrides written to plans.yaml, table dropped

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:40:00

Before, an officer's plan status was a row of `planstatus` that only the web saw. Now plans.yaml
is the one truth (web, CLI and batch). Each override that differs from the taxonomy is written
there through the taxonomy library (validated and recorded as a new version); one that cannot be
written (a read-only install, an invalid change) is printed so an administrator can set it again
on /taxonomy/plans, and the table is dropped either way.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT plan_id, status, note FROM planstatus")).fetchall()
    if rows:
        _write_to_taxonomy(rows)
    op.drop_table('planstatus')


def _write_to_taxonomy(rows) -> None:
    from taxonomy import TaxonomyError, get_taxonomy
    from taxonomy.plans import set_plan_status

    plans = get_taxonomy().plan_by_id
    for plan_id, status, note in rows:
        plan = plans.get(plan_id)
        if plan is None or plan.status == status:
            continue
        try:
            set_plan_status(plan_id=plan_id, status=status, who="migration 0004",
                            note=f"plan status set by an officer before 0004: {note or status}")
        except (TaxonomyError, OSError) as exc:
            print(f"warning: plan {plan_id} was marked {status} in the database but this could "
                  f"not be written to the taxonomy ({exc}); set it again on /taxonomy/plans")


def downgrade() -> None:
    op.create_table('planstatus',
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('plan_id')
    )
