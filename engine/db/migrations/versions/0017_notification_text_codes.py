"""notification.subject_text, body_text: what a notification says as text codes (issue 16 item 7)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

A notification was stored rendered in Russian, so English pages showed it in Russian. It now also
keeps its text codes and parameters (engine.notifications.wording), rendered when read in the
reader's language. Rows written before have none and read as stored, as they did.
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_text', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('body_text', sa.JSON(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+ and PostgreSQL drop a plain column): delivery's foreign key points at
    # notification, so a batch copy-and-move of the table is best avoided, as 0016 does for territory.
    op.drop_column('notification', 'body_text')
    op.drop_column('notification', 'subject_text')
