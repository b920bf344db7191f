"""message.source, message.source_id: a monitoring system's id for a message; message_link

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Monitoring systems push messages through the intake API (issue 17 §2) and retry after a timeout
or replay a day's export. The message keeps the sending system and its id under one unique
constraint, so the same message sent twice yields one case: the second sending finds the first.
Messages registered otherwise have neither (NULL; a unique constraint allows any number of rows
with a NULL in it, on SQLite and PostgreSQL alike). ``message_link`` keeps the attachments a
system sends by URL as links: the server never fetches them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_message_source', ['source', 'source_id'])
    op.create_table(
        'message_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_message_link_message_id_message')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_link')),
    )
    op.create_index(op.f('ix_message_link_message_id'), 'message_link', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_message_link_message_id'), table_name='message_link')
    op.drop_table('message_link')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('uq_message_source', type_='unique')
        batch_op.drop_column('source_id')
        batch_op.drop_column('source')
