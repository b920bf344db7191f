"""Working time: Russia's production calendar with shortened pre-holiday days, organisation
schedules, territories (regions and municipalities) and their time zones."""
# Imported for its session listener: every unit of work starts with its database's territories.
from engine.calendar import live as _live  # noqa: F401
