"""Notifications that reach a person (issue 15): who a recipient key means (``resolution``), the one
call that notifies (``routing.notify``), e-mail over SMTP (``mail``), the worker's sending with
retries (``delivery``), a person's notification centre (``inbox``) and what administrators must see
(``admin_view``: recipients nobody holds, e-mails that failed)."""
from __future__ import annotations

from engine.notifications.routing import notify

__all__ = ["notify"]
