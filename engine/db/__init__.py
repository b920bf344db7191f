"""The database: the engine and units of work (read-write and read-only), the per-unit-of-work memo,
and the Alembic migrations (`migrations/`).
"""
