"""E-mail over SMTP (the standard library's smtplib): settings, one connection per batch, bounded waits.

A bad server must never hold the worker: every connection and command waits at most
:data:`TIMEOUT` seconds, and any failure is raised as :class:`MailError` with one short line the
delivery keeps as its last error. TLS: ``none``, ``starttls`` (upgrade after connecting, port 587)
or ``ssl`` (TLS from the start, port 465), with the system's certificate checks.
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from engine.settings import Settings, settings

TIMEOUT = 10.0  # seconds for the connection and each SMTP command
SUBJECT_CHARS = 200  # one header line, readable in any mail client
ERROR_CHARS = 500  # delivery.last_error is String(500)


class MailError(Exception):
    """Sending failed (connection, TLS, login, refusal, timeout)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    tls: str = "none"
    user: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT

    @classmethod
    def current(cls, source: Settings | None = None) -> MailSettings | None:
        """From OTKLIK_SMTP_* (engine.settings); None when no host is set: the e-mail channel is off."""
        found = source or settings()
        if found.smtp_host is None:
            return None
        return cls(host=found.smtp_host, port=found.smtp_port, sender=found.mail_from, tls=found.smtp_tls,
                   user=found.smtp_user, password=found.smtp_password)


def one_line(error: BaseException) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS - 1] + "…"


def build(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message; the subject is one bounded line (no header can be injected)."""
    message = EmailMessage()
    line = " ".join(subject.split())
    message["Subject"] = line if len(line) <= SUBJECT_CHARS else line[:SUBJECT_CHARS - 1] + "…"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


class Connection:
    """An open SMTP session: :meth:`send` one message at a time."""

    def __init__(self, client: smtplib.SMTP, sender: str) -> None:
        self._client, self._sender = client, sender

    def send(self, to: str, subject: str, body: str) -> None:
        try:
            refused = self._client.send_message(build(self._sender, to, subject, body))
        except (smtplib.SMTPException, OSError, ValueError) as error:
            raise MailError(one_line(error)) from error
        if refused:
            raise MailError(f"refused: {refused}")


@contextmanager
def connect(config: MailSettings) -> Iterator[Connection]:
    """An SMTP session for a batch of messages; MailError when it cannot be opened."""
    try:
        if config.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
        if config.user:
            client.login(config.user, config.password or "")
    except (smtplib.SMTPException, OSError, ValueError) as error:
        raise MailError(one_line(error)) from error
    try:
        yield Connection(client, config.sender)
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
