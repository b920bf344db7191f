"""surges of social activity (Orenburg п. 21, Smolensk п. 15): what the worker found and escalated

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

The worker counts a territory's messages per topic and place in a window against its own usual level
(engine.surges.detect, the rule declared in the diagram: engine.surges.rule). A surge is kept once
(``surge``: topic, place, window, count, usual level, threshold, the rule as applied, the messages
behind it, when the recipients were notified). The detection reads a region's messages by
registration time: ``ix_message_region_registered`` (region, registered_at, topic, location) answers
it from the index alone, so its cost follows the baseline period's messages, not the table's.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'surge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=32), nullable=False),
        sa.Column('deployment_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=64), nullable=False),
        sa.Column('location', sa.String(length=200), nullable=True),
        sa.Column('location_key', sa.String(length=200), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
        sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('baseline', sa.Float(), nullable=False),
        sa.Column('threshold', sa.Float(), nullable=False),
        sa.Column('rule', sa.JSON(), nullable=False),
        sa.Column('message_ids', sa.JSON(), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'], name=op.f('fk_surge_deployment_id_deployment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_surge')),
    )
    op.create_index('ix_surge_region_topic_end', 'surge', ['region', 'topic', 'location_key', 'window_end'])
    op.create_index(op.f('ix_surge_detected_at'), 'surge', ['detected_at'])
    op.create_index('ix_message_region_registered', 'message', ['region', 'registered_at', 'topic', 'location'])


def downgrade() -> None:
    op.drop_index('ix_message_region_registered', table_name='message')
    op.drop_index(op.f('ix_surge_detected_at'), table_name='surge')
    op.drop_index('ix_surge_region_topic_end', table_name='surge')
    op.drop_table('surge')
