"""territory.name_en: the name pages in English show (issue 16 item 7)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07

A territory's name is data, but a reader of the English pages should not meet "Оренбургская
область" in every heading: an administrator may give a territory an English name (/admin, or
``otklik regions set --name-en``); without one, English pages show the official Russian name. The
five regions and Kalmanka that migration 0007 brought in get theirs here, only where none was given
and the official name is still the one 0007 wrote (an administrator's rename is left alone).
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None

# key → (the name migration 0007 wrote, the English name)
ENGLISH = {
    "orenburg": ("Оренбургская область", "Orenburg Oblast"),
    "smolensk": ("Смоленская область", "Smolensk Oblast"),
    "kaluga": ("Калужская область", "Kaluga Oblast"),
    "kuzbass": ("Кемеровская область — Кузбасс", "Kemerovo Oblast — Kuzbass"),
    "altai": ("Алтайский край", "Altai Krai"),
    "kalmanka": ("Калманский район Алтайского края", "Kalmansky District, Altai Krai"),
}


def upgrade() -> None:
    with op.batch_alter_table('territory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=300), nullable=True))
    territory = sa.table('territory', sa.column('key', sa.String), sa.column('name', sa.String),
                         sa.column('name_en', sa.String))
    for key, (name, english) in ENGLISH.items():
        op.execute(territory.update()
                   .where(territory.c.key == key, territory.c.name == name, territory.c.name_en.is_(None))
                   .values(name_en=english))
    # Every process reads the territories again (engine.calendar.live compares this generation).
    op.execute(sa.text("UPDATE territory_generation SET generation = '0016' WHERE id = 1"))


def downgrade() -> None:
    # Not a batch (copy-and-move) on SQLite: other tables' foreign keys point at territory, so dropping
    # the old table fails; SQLite 3.35+ drops a plain column in place, as PostgreSQL does.
    op.drop_column('territory', 'name_en')
