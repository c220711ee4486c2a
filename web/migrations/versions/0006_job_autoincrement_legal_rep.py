"""job ids never reused (SQLite AUTOINCREMENT); a lead's legal representative

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-04 18:45:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0007'
branch_labels = None
depends_on = None


def _rebuild_job(autoincrement: bool) -> None:
    """SQLite only: rebuild the job table (its chunks held aside meanwhile, so that dropping the
    old table, with foreign keys on, finds no rows that refer to it)."""
    op.execute("CREATE TEMP TABLE _jobchunk_keep AS SELECT * FROM jobchunk")
    op.execute("DELETE FROM jobchunk")
    with op.batch_alter_table('job', schema=None, recreate='always',
                              table_kwargs={'sqlite_autoincrement': autoincrement}) as batch_op:
        batch_op.alter_column('id', existing_type=sa.Integer(), nullable=False)
    op.execute("INSERT INTO jobchunk SELECT * FROM _jobchunk_keep")
    op.execute("DROP TABLE _jobchunk_keep")


def upgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_representative',
                                      sqlmodel.sql.sqltypes.AutoString(length=128),
                                      nullable=False, server_default=''))
    if op.get_bind().dialect.name == 'sqlite':  # PostgreSQL's sequences never reuse an id
        _rebuild_job(True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_job(False)
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_column('legal_representative')
