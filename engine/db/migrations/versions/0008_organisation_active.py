"""an organisation can be deactivated: removed from dropdowns and routing, kept in history

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Removing an organisation that only history refers to (past roles, closed tasks, missed deadlines)
deactivates it (engine.directory.organisations); every existing organisation stays active.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('active')
