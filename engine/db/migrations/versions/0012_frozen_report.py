"""frozen reports: a summary as it was sent, so a closed period's report never changes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

A period's live figures can still move after it ends (a case of the period answered later). The
report its addressees received is frozen by an explicit action of the supervisor or regulator
(or by the scheduler): ``frozen_report`` keeps its snapshot with when and by whom, one per region
and period; the page shows the snapshot and the live figures beside it where they differ.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'frozen_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('frozen_by', sa.String(length=64), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_report')),
        sa.UniqueConstraint('region', 'period', name='uq_frozen_report_region_period'),
    )


def downgrade() -> None:
    op.drop_table('frozen_report')
