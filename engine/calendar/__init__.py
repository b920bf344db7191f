"""Working time: Russia's production calendar with shortened pre-holiday days, organisation schedules, regions and their time zones."""
