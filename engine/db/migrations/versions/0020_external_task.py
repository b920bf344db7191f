"""external_task: service tasks whose topic is served by an external worker (issue 17 §1)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

A service task whose topic the diagram declares external (``camunda:property external = true``)
waits in the workflow; its row here is what ``/engine-rest/external-task/fetchAndLock`` hands out
and locks (worker, lock expiry), and what a failure counts down (retries, retry time, error).
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'external_task',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('deployment_id', sa.Integer(), nullable=False),
        sa.Column('process_key', sa.String(length=64), nullable=False),
        sa.Column('region', sa.String(length=32), nullable=False),
        sa.Column('element_id', sa.String(length=128), nullable=False),
        sa.Column('topic', sa.String(length=128), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('variables', sa.JSON(), nullable=False),
        sa.Column('worker_id', sa.String(length=255), nullable=True),
        sa.Column('lock_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('retries', sa.Integer(), nullable=True),
        sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error_message', sa.String(length=666), nullable=True),
        sa.Column('error_details', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('completed_by', sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(['instance_id'], ['instance.id'], name=op.f('fk_external_task_instance_id_instance')),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_external_task_message_id_message')),
        sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'],
                                name=op.f('fk_external_task_deployment_id_deployment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_external_task')),
    )
    op.create_index(op.f('ix_external_task_instance_id'), 'external_task', ['instance_id'], unique=False)
    op.create_index('ix_external_task_open', 'external_task', ['topic', 'region', 'priority', 'created_at'],
                    unique=False, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_index('ix_external_task_open', table_name='external_task')
    op.drop_index(op.f('ix_external_task_instance_id'), table_name='external_task')
    op.drop_table('external_task')
