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

MEMBERSHIP_ROLES = ("curator", "executor", "deputy_head", "reception", "supervisor", "regulator", "analyst", "admin")

LANE_PREFIX = "lane_"


def lane_role(lane_id: str) -> str | None:
    """``lane_curator`` → ``curator``; lanes named otherwise carry no role."""
    return lane_id[len(LANE_PREFIX):] if lane_id.startswith(LANE_PREFIX) else None
