"""trigram indexes for the registry's text search (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

The registry finds messages whose author, text or URL contains a phrase, case-insensitively
(``lower(column) LIKE '%…%'``, engine/views/registry.py). Without an index that is a scan of every
visible message: 0.5–1.1 s at 1,100,000 messages (bench/inbox.py). GIN trigram indexes on the
same expressions let PostgreSQL read only the rows holding the phrase's trigrams
(docs/performance.md).

They need the ``pg_trgm`` extension. It ships with PostgreSQL and is "trusted" since version
13, so the database's owner may create it. Where it cannot be created (an older server, a user
without CREATE on the database) the upgrade goes on without the indexes — search still works,
only slower — and says what to run (docs/admin-guide.md). SQLite has no such index; a
municipality's embedded database is small enough to scan.
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
COLUMNS = ("author", "text", "url")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    try:
        with connection.begin_nested():  # a failure must not abort the upgrade's transaction
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning("pg_trgm is not available (%s); the registry's text search works without its "
                    "indexes but scans every message. See docs/admin-guide.md, 'Text search'.",
                    str(error.orig).strip().splitlines()[0])
        return
    for column in COLUMNS:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_message_{column}_trgm ON message "
                   f"USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_message_{column}_trgm")
