"""a violation's basis: a deadline the act sets, or one the procedure sets as a parameter

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Some diagrams enforce deadlines the published act does not set (Kuzbass: approval, rework,
publication); a breach of such a deadline must not be reported as a breach of the act's clause.
The ``record_violation`` task declares ``basis`` = ``act`` (default) or ``parameter``; every
violation recorded so far keeps ``act``.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=16), server_default='act', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.drop_column('basis')
