"""The database: the engine and units of work (read-write and read-only), the per-unit-of-work memo,
the append-only audit log (`audit.py`: every layer above records into it), and the Alembic
migrations (`migrations/`).
"""
