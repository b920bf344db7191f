"""indexes for the inbox and the registry at 100,000 open tasks and 1,000,000 messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Chosen with bench/inbox.py and EXPLAIN ANALYZE (docs/performance.md):
* ix_task_open replaces ix_task_inbox and ix_task_status: open tasks only (partial, status = 'open'),
  so an inbox reads the open work of its role however many closed task rows pile up; with
  message_id, "messages with an overdue open task" comes from the index alone. (With ix_task_status
  present PostgreSQL preferred it and filtered all 100,000 open tasks for every inbox.)
* ix_task_organisation: the messages an organisation worked on (an executor's registry, the agency
  filter) from the index alone;
* ix_task_message_id, ix_violation_message_id: a registry page's open steps and violation counts for
  its 50 messages, by message instead of a scan;
* ix_message_region_id replaces ix_message_region: a region's messages in id order and their count
  from the index alone.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_inbox')
        batch_op.drop_index(batch_op.f('ix_task_status'))
        batch_op.create_index('ix_task_open', ['role', 'organisation_key', 'region', 'due_at', 'message_id'],
                              unique=False, postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index('ix_task_organisation', ['organisation_key', 'role', 'message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_message_id'), ['message_id'], unique=False)
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_violation_message_id'), ['message_id'], unique=False)
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_region'))
        batch_op.create_index('ix_message_region_id', ['region', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_region_id')
        batch_op.create_index(batch_op.f('ix_message_region'), ['region'], unique=False)
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_violation_message_id'))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_message_id'))
        batch_op.drop_index('ix_task_organisation')
        batch_op.drop_index('ix_task_open')
        batch_op.create_index(batch_op.f('ix_task_status'), ['status'], unique=False)
        batch_op.create_index('ix_task_inbox', ['role', 'organisation_key', 'due_at'], unique=False)
