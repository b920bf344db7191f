"""A case on its diagram: where it is now, the path it took, the armed deadlines, the audit.

For regulators checking that a procedure is followed: the same facts as the message card,
placed on the diagram the case runs on (its own deployment version, not the newest).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bpmn.reader import read
from engine.errors import NotFound
from engine.models import Deployment, Instance
from engine.runtime import store
from engine.runtime.incidents import readable_workflow
from engine.spiff import inspect
from engine.views.message_card import message_card
from engine.views.timeline import TimelineEntry


@dataclass(frozen=True)
class ArmedTimer:
    element_id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class InstanceView:
    message_id: int
    instance_id: int
    status: str
    process_id: str
    version: int
    deployment_id: int
    current: tuple[str, ...]      # open user tasks
    taken: tuple[str, ...]        # elements passed, and the sequence flows between them
    timers: tuple[ArmedTimer, ...]
    timeline: tuple[TimelineEntry, ...]
    region: str
    bpmn_xml: str                 # the diagram of the case's own version
    name: str = ""                # the procedure's name, what people read (never its process id)

    def markers(self) -> dict[str, str]:
        """Element id → CSS class for the viewer: current beats armed beats taken."""
        marks = {element: "marker-taken" for element in self.taken}
        marks.update({t.element_id: "marker-armed" for t in self.timers})
        marks.update({element: "marker-current" for element in self.current})
        return marks


def instance_view(session: Session, message_id: int, login: str) -> InstanceView:
    """The newest case of a message the user may see (NotFound otherwise)."""
    card = message_card(session, message_id, login)  # checks visibility
    instance = session.scalars(select(Instance).where(Instance.message_id == message_id)
                               .order_by(Instance.id.desc())).first()
    if instance is None:
        raise NotFound(f"message {message_id} has no case")
    deployment = session.get_one(Deployment, instance.deployment_id)
    workflow = readable_workflow(session, instance)  # None: an incident whose state cannot be loaded
    passed = set(inspect.path_taken(workflow)) if workflow else set()
    current = tuple(sorted({t.element_id for t in inspect.ready_user_tasks(workflow, store.functions_for(instance.region))})) \
        if workflow else ()
    flows = _flows_between(deployment.bpmn_xml, passed | set(current))
    return InstanceView(
        message_id=message_id, instance_id=instance.id, status=instance.status, process_id=deployment.process_id,
        version=deployment.version, deployment_id=deployment.id, current=current,
        taken=tuple(sorted(passed - set(current)) + flows),
        timers=tuple(ArmedTimer(eid, name, due) for eid, name, due in inspect.waiting_timers(workflow)) if workflow else (),
        timeline=card.timeline, region=instance.region, bpmn_xml=deployment.bpmn_xml, name=deployment.name,
    )


def _flows_between(bpmn_xml: str, reached: set[str]) -> list[str]:
    """Sequence flows whose both ends were reached: the path drawn as taken."""
    return sorted(flow.id for flow in read(bpmn_xml).flows if flow.source in reached and flow.target in reached)
