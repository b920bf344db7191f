"""a frozen report's sending: when the worker sent it to the procedure's report addressees

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Each act's addressees get the summary on schedule (Orenburg п. 20, Smolensk п. 14, Kuzbass п. 25,
Kaluga п. 1.1; engine.reports.schedule): the report sent is the frozen one, so ``frozen_report`` —
already one per territory and period — records ``sent_at``. The worker sets it with a conditional
UPDATE (``sent_at IS NULL``) in the transaction that creates the notifications, so a period's report
is sent exactly once however many workers run. Reports frozen before keep NULL (never sent by it).
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('frozen_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('frozen_report', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
