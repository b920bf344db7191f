"""Reading diagrams: hardened XML parsing, every deployment check (one problem per line, naming the
element), the timer window and working-time bounds, deadline templates, and the diff of two
versions.
"""
