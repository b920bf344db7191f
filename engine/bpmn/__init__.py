"""Reading diagrams: the namespaces (once), the one diagram reader every read model uses (parsed
once per content hash, with the one clause parser), hardened XML parsing, every deployment check
(one problem per line, naming the element), the timer window and working-time bounds, deadline
templates, and the diff of two versions.
"""
