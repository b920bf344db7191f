"""templates deploy as templates: a deployment's kind, the template a procedure was adopted from, parameters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A diagram declaring template = true is stored like a procedure, versioned, but never runs (kind
'template'); a procedure generated from one (engine.templates) records the template's process id
and version and its parameters. Every existing deployment is a procedure with no parameters.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='procedure', nullable=False))
        batch_op.add_column(sa.Column('template_process_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('template_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('parameters', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.create_index('ix_deployment_template_process_id', ['template_process_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.drop_index('ix_deployment_template_process_id')
        batch_op.drop_column('parameters')
        batch_op.drop_column('template_version')
        batch_op.drop_column('template_process_id')
        batch_op.drop_column('kind')
