"""Summaries for a region and a period, and every XLSX the project writes (text stays text)."""
