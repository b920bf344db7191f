"""Deploying procedures: the versioned deployment of diagrams and forms (CLI and browser share it), and
the browser's own rules (who may deploy where, limits, carried files).
"""
