"""territories: regions and municipalities are data (key, name, IANA zone, parent, extra holidays
and workdays, schedule), with a generation every process checks at the start of a unit of work

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Until now the regions were a Python table (engine/calendar/regions.py): a new region needed a code
change and a restart. The five regions come in as data, with the Altai krai as Kalmanka's region
(Kalmanka is a municipality). Their keys stay, so every organisation, message, deployment and task
keeps naming its territory as before.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# (key, name, kind, timezone, parent) — the regions engine/calendar/regions.py listed, plus Altai.
TERRITORIES = (
    ("orenburg", "Оренбургская область", "region", "Asia/Yekaterinburg", None),
    ("smolensk", "Смоленская область", "region", "Europe/Moscow", None),
    ("kaluga", "Калужская область", "region", "Europe/Moscow", None),
    ("kuzbass", "Кемеровская область — Кузбасс", "region", "Asia/Novokuznetsk", None),
    ("altai", "Алтайский край", "region", "Asia/Barnaul", None),
    ("kalmanka", "Калманский район Алтайского края", "municipality", "Asia/Barnaul", "altai"),
)
FIRST_GENERATION = "0007"


def upgrade() -> None:
    territory = op.create_table('territory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('parent_key', sa.String(length=32), nullable=True),
    sa.Column('extra_holidays', sa.JSON(), nullable=False),
    sa.Column('extra_workdays', sa.JSON(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['parent_key'], ['territory.key'], name=op.f('fk_territory_parent_key_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territory')),
    sa.UniqueConstraint('key', name=op.f('uq_territory_key'))
    )
    generation = op.create_table('territory_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territory_generation'))
    )
    op.bulk_insert(territory, [
        {"key": key, "name": name, "kind": kind, "timezone": timezone, "parent_key": parent,
         "extra_holidays": [], "extra_workdays": [], "schedule": None}
        for key, name, kind, timezone, parent in TERRITORIES
    ])
    op.bulk_insert(generation, [{"id": 1, "generation": FIRST_GENERATION}])


def downgrade() -> None:
    op.drop_table('territory_generation')
    op.drop_table('territory')
