"""the registration form's one-time id on the message

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

A registration form sent twice (a double click, the browser retrying after a timeout or a server
restart) used to register the message twice. The form now carries a one-time id; the message
keeps it under a unique constraint, so the second sending finds the first message instead.
Existing messages have none (NULL; unique constraints allow any number of NULLs).
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_message_submission_id'), ['submission_id'])


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_message_submission_id'), type_='unique')
        batch_op.drop_column('submission_id')
