"""Surges of social activity (Orenburg п. 21, Smolensk п. 15): the rule a procedure declares in its
diagram (``rule``), the worker's detection and escalation (``detect``), what supervisors and the
regulator read (``listing``)."""
