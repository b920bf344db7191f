"""notifications that reach a person: per-person deliveries, e-mail addresses, the no-recipient status

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

An escalation the act orders (to the Governor, the agency head, the competent state bodies) used to
stop at a ``notification`` row addressed to a role nobody read. Now each notification is delivered to
the people holding the role (``notification_delivery``: one row per person and channel, in-app and
e-mail, with status, attempts and the last error); officials and organisations (a competent state
body's contact) get an e-mail address; a notification whose recipient resolves to nobody keeps
``status = 'no_recipient'`` for administrators to see. Rows written before keep ``routed``.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='routed', nullable=False))
        batch_op.create_index('ix_notification_status', ['status'], unique=False)
    op.create_table(
        'notification_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=True),
        sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['notification_id'], ['notification.id'],
                                name=op.f('fk_notification_delivery_notification_id_notification')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_notification_delivery_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_delivery_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_delivery')),
    )
    with op.batch_alter_table('notification_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_notification_delivery_notification_id', ['notification_id'], unique=False)
        batch_op.create_index('ix_delivery_user_unread', ['user_id', 'channel', 'read_at'], unique=False)
        batch_op.create_index('ix_delivery_due', ['channel', 'status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_table('notification_delivery')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_status')
        batch_op.drop_column('status')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email')
