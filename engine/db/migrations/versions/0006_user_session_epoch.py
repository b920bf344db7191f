"""an official's session epoch: signing out, a new password or deactivation ends every session

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Sessions live in a signed cookie, so a copied cookie used to stay valid after the official
signed out, after an administrator reset the password and after a deactivated account was
activated again (up to 31 days). The session now carries the user's epoch from sign-in; the
web app accepts it only while it equals the row's, and signing out, setting a password and
(de)activating the account add one. Existing officials start at 0 (their current cookies carry
no epoch and end with this upgrade: everyone signs in once more).
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
