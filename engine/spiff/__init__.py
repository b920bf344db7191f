"""The seam to SpiffWorkflow: only modules in this package import it.

parser.py reads Camunda Platform 7 diagrams into specs, script_engine.py evaluates diagram
expressions in the restricted language, serializer.py stores workflow state without its
spec, inspect.py answers questions about a running workflow (ready user tasks, due times),
runner.py creates workflows, pruning.py keeps a long case's task tree shallow.

Importing the package makes SpiffWorkflow's timers read the engine's clock (virtual in tests).
"""
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

from engine.clock import ClockedDatetime

# SpiffWorkflow 3.2.0 reads "now" only through this module-level name.
_spiff_timer.datetime = ClockedDatetime
