"""A real SMTP server on loopback (aiosmtpd) for the notification tests: it keeps what it received,
and can be told to refuse the next messages (a temporary failure, 451) to exercise the retries."""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: int = 0  # refuse this many messages (451) before accepting again

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 10.0) -> list[Received]:
        """The messages once ``count`` have arrived (a real socket: bounded polling, not a sleep to pass)."""
        end = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < end:
            time.sleep(0.01)
        return list(self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()
