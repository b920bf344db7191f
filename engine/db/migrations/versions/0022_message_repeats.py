"""indexes for repeat detection (Orenburg п. 15, Kalmanka п. 9): a message's repeats, an author's messages

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-07

``message.repeat_of_id`` (since 0001) is set when the curator confirms that a message repeats an
earlier one (engine.runtime.repeats) or registers it as such. Two indexes keep the look-ups bounded:

* ``ix_message_repeat_of_id`` — the messages that repeat a given one (the earlier message's card
  lists them; the foreign key alone is not indexed on PostgreSQL);
* ``ix_message_region_author`` (region, author, registered_at) — an author's earlier messages in a
  territory within the window, newest first, without scanning the territory's messages.

The text candidates are read through ``ix_message_region_registered`` (0013), newest first and at
most ``engine.runtime.repeats.SCANNED`` of them.
"""
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_message_repeat_of_id', 'message', ['repeat_of_id'])
    op.create_index('ix_message_region_author', 'message', ['region', 'author', 'registered_at'])


def downgrade() -> None:
    op.drop_index('ix_message_region_author', table_name='message')
    op.drop_index('ix_message_repeat_of_id', table_name='message')
