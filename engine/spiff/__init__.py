"""The seam to SpiffWorkflow: only modules in this package import it (plus engine.clock).

parser.py reads Camunda Platform 7 diagrams into specs, script_engine.py evaluates diagram
expressions in the restricted language, serializer.py stores workflow state without its
spec, inspect.py answers questions about a running workflow (ready user tasks, due times).
"""
