"""The demo: who it creates in the five regions (people as data) and the idempotent seed."""
