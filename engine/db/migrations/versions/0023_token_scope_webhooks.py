"""api_token.territory: a token limited to one region or municipality; webhook, webhook_delivery

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-07

A monitoring system of one district should not be able to register or read another's messages
with its owner's token (issue 17 §2). The token keeps the territory it is limited to; NULL (every
token issued before) acts in all its owner's territories, as before.

``webhook`` is a territory's address told when an answer is published; ``webhook_delivery`` the
outbox the worker sends from, with retries (engine.notifications.webhooks).
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('territory', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_territory_territory'), 'territory',
                                    ['territory'], ['key'])
    op.create_table(
        'webhook',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('territory', sa.String(length=32), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=False),
        sa.Column('allow_private', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['territory'], ['territory.key'], name=op.f('fk_webhook_territory_territory')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook')),
        sa.UniqueConstraint('territory', name=op.f('uq_webhook_territory')),
    )
    op.create_table(
        'webhook_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('webhook_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=32), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_webhook_delivery_message_id_message')),
        sa.ForeignKeyConstraint(['webhook_id'], ['webhook.id'], name=op.f('fk_webhook_delivery_webhook_id_webhook')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_delivery')),
        sa.UniqueConstraint('webhook_id', 'message_id', 'event', name='uq_webhook_delivery_event'),
    )
    op.create_index('ix_webhook_delivery_due', 'webhook_delivery', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_webhook_delivery_webhook_id'), 'webhook_delivery', ['webhook_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_webhook_delivery_webhook_id'), table_name='webhook_delivery')
    op.drop_index('ix_webhook_delivery_due', table_name='webhook_delivery')
    op.drop_table('webhook_delivery')
    op.drop_table('webhook')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_territory_territory'), type_='foreignkey')
        batch_op.drop_column('territory')
