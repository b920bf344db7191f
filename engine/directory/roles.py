"""Role keys: lanes and ``camunda:candidateGroups`` use these, memberships grant them."""
from __future__ import annotations

# Task role (in diagrams) → membership role that may take such tasks. ``last_executor`` is
# a per-case designation (Orenburg п. 14), not a job: any executor of that agency acts as it.
TASK_ROLES: dict[str, str] = {
    "curator": "curator",
    "executor": "executor",
    "last_executor": "executor",
    "supervisor": "supervisor",
    # Kaluga 2.4: the agency's responsible deputy head controls its executors' answers.
    "deputy_head": "deputy_head",
    # Kalmanka п. 5–6: the administration's reception registers critical messages.
    "reception": "reception",
}

# Who the acts order to be told (engine.bpmn.conventions RECIPIENTS; engine.notifications.resolution):
# held in the region (governor, his office, the deputy minister — Orenburg п. 20, held in the curator
# ministry) or in the agency concerned (its head, Orenburg п. 19; the deputy governor supervising it,
# Smolensk п. 13: a deputy_governor membership in an agency means "supervises this agency").
RECIPIENT_ROLES = ("governor", "governor_office", "deputy_governor", "agency_head", "deputy_minister")
MEMBERSHIP_ROLES = ("curator", "executor", "deputy_head", "reception", "supervisor", "regulator", "analyst", "admin",
                    *RECIPIENT_ROLES)

LANE_PREFIX = "lane_"


def lane_role(lane_id: str) -> str | None:
    """``lane_curator`` → ``curator``; lanes named otherwise carry no role."""
    return lane_id[len(LANE_PREFIX):] if lane_id.startswith(LANE_PREFIX) else None
