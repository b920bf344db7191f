"""Who may work external tasks, and how a refusal of the external-task API is said (issue 17)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.directory import policy
from engine.directory.access import current_grants
from engine.texts import Text, t


class Refused(Exception):
    """An external-task call refused: HTTP status, Camunda's exception type, the message (a Text,
    rendered in the caller's language)."""

    def __init__(self, status: int, kind: str, text: Text) -> None:
        super().__init__(text.code)
        self.status, self.kind, self.text = status, kind, text


def worker_regions(session: Session, login: str) -> frozenset[str] | None:
    """Regions ``login`` may work external tasks in (None: all); Refused (403) if none."""
    regions = policy.worker_regions(current_grants(session, login))
    if regions is not None and not regions:
        raise Refused(403, "AuthorizationException", t("external.not_a_worker", login=login))
    return regions
