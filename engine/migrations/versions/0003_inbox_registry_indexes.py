"""indexes for the inbox and the registry at 100,000 open tasks and 1,000,000 messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Measured with bench/inbox.py (docs/performance.md):
* ix_task_open replaces ix_task_inbox: open tasks only (partial, status = 'open'), so the inbox
  reads the size of the open work however many closed task rows pile up;
* ix_task_organisation: the messages an organisation worked on (an executor's registry, the
  agency filter) read from the index alone;
* ix_task_message_id, ix_violation_message_id: a registry page's open steps and violation counts
  for its 50 messages, and the overdue filter, by message instead of a scan.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_inbox')
        batch_op.create_index('ix_task_open', ['role', 'organisation_key', 'region', 'due_at'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index('ix_task_organisation', ['organisation_key', 'role', 'message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_message_id'), ['message_id'], unique=False)
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_violation_message_id'), ['message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_violation_message_id'))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_message_id'))
        batch_op.drop_index('ix_task_organisation')
        batch_op.drop_index('ix_task_open')
        batch_op.create_index('ix_task_inbox', ['role', 'organisation_key', 'due_at'], unique=False)
