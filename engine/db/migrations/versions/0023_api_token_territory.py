"""api_token.territory: a token limited to one region or municipality

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-07

A monitoring system of one district should not be able to register or read another's messages
with its owner's token (issue 17 §2). The token keeps the territory it is limited to; NULL (every
token issued before) acts in all its owner's territories, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('territory', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_territory_territory'), 'territory',
                                    ['territory'], ['key'])


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_territory_territory'), type_='foreignkey')
        batch_op.drop_column('territory')
