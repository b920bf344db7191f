"""import_job, import_row_error: a curator's bulk import of a monitoring system's export

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07

A curator uploads a CSV or XLSX export in the browser (issue 17 §2, «Bulk import»); the worker
takes its rows in chunks through the intake API's one path (engine.runtime.intake). The job keeps
the uploaded file (bounded: 10 MiB), its progress counters and its state; each refused row is one
``import_row_error`` (row number, column, code, the message's arguments), shown in words on the
job's page and in its downloadable report.
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=32), nullable=False),
        sa.Column('uploaded_by', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('file_kind', sa.String(length=8), nullable=False),
        sa.Column('file_hash', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=64), nullable=True),
        sa.Column('reason_args', sa.JSON(), nullable=True),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('duplicates', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
    )
    op.create_index(op.f('ix_import_job_status'), 'import_job', ['status'], unique=False)
    op.create_index(op.f('ix_import_job_region'), 'import_job', ['region'], unique=False)
    op.create_table(
        'import_row_error',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('row', sa.Integer(), nullable=False),
        sa.Column('column', sa.String(length=64), nullable=True),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['import_job.id'], name=op.f('fk_import_row_error_job_id_import_job')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_row_error')),
    )
    op.create_index(op.f('ix_import_row_error_job_id'), 'import_row_error', ['job_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_row_error_job_id'), table_name='import_row_error')
    op.drop_table('import_row_error')
    op.drop_index(op.f('ix_import_job_region'), table_name='import_job')
    op.drop_index(op.f('ix_import_job_status'), table_name='import_job')
    op.drop_table('import_job')
