"""One Settings object: every ``OTKLIK_*`` variable the engine and the web app read, resolved here.

Nothing else reads the environment for Otklik's settings (``OTKLIK_INSTANCE_DIR`` used to be
resolved in four places, each with its own default). :func:`settings` builds the object once
and keeps it while the ``OTKLIK_*`` variables stay the same — a process reads them at start; a
test that sets one (``monkeypatch.setenv``, a ``CliRunner`` ``env``) gets a new object — and
:func:`override` hands code a changed copy without touching the environment.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "OTKLIK_"
WORKFLOW_CACHE_SIZE = 256  # live workflows kept per process (engine.runtime.workflow_cache)


@dataclass(frozen=True)
class Settings:
    instance_dir: Path  # OTKLIK_INSTANCE_DIR: the SQLite file, the secret key, uploads, demo logins
    database_url: str  # OTKLIK_DATABASE_URL, else a SQLite file in instance_dir
    database_url_is_default: bool  # the SQLite file: its directory is created on first use
    upload_dir: Path  # OTKLIK_UPLOAD_DIR, else instance_dir/uploads
    forms_dir: Path  # OTKLIK_FORMS_DIR: the forms `otklik deploy` and the browser add to a deployment
    secret_key: str | None  # OTKLIK_SECRET_KEY; None: web.config generates one into instance_dir
    insecure_cookies: bool  # OTKLIK_INSECURE_COOKIES=1: the plain-HTTP demo only
    ratelimit_storage: str  # OTKLIK_RATELIMIT_STORAGE
    login_rate_limit: str  # OTKLIK_LOGIN_RATE_LIMIT
    session_idle_minutes: int  # OTKLIK_SESSION_IDLE_MINUTES
    session_max_hours: int  # OTKLIK_SESSION_MAX_HOURS
    workflow_cache_size: int  # OTKLIK_WORKFLOW_CACHE_SIZE
    language: str  # OTKLIK_LANG, else LANG ("en_US.UTF-8" → en): the console's language; default Russian
    # E-mail of notifications (engine.notifications.mail); no host: the e-mail channel is off, in-app only.
    smtp_host: str | None = None  # OTKLIK_SMTP_HOST
    smtp_port: int = 25  # OTKLIK_SMTP_PORT (default 25; 587 with starttls, 465 with ssl are usual)
    smtp_user: str | None = None  # OTKLIK_SMTP_USER (with OTKLIK_SMTP_PASSWORD: log in before sending)
    smtp_password: str | None = None  # OTKLIK_SMTP_PASSWORD
    smtp_tls: str = "none"  # OTKLIK_SMTP_TLS: none | starttls | ssl
    mail_from: str = "otklik@localhost"  # OTKLIK_MAIL_FROM
    base_url: str | None = None  # OTKLIK_BASE_URL: links to the case in e-mails (https://otklik.example.ru)
    # OTKLIK_TEST_STARTS=1: Camunda Modeler's "start instance" registers a test message (a test server only)
    test_starts: bool = False
    # The intake API (web/api_v1.py): requests per official's login (a batch is one) and the JSON body's size.
    api_rate_limit: str = "120 per minute"  # OTKLIK_API_RATE_LIMIT
    external_task_rate_limit: str = "600 per minute"  # OTKLIK_EXTERNAL_TASK_RATE_LIMIT (per login)
    api_max_body_bytes: int = 16_000_000  # OTKLIK_API_MAX_BODY_BYTES

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """Defaults are those of the embedded set-up (``make run``): SQLite under ``instance/``."""
        instance_dir = Path(environ.get("OTKLIK_INSTANCE_DIR") or PROJECT_ROOT / "instance")
        url = environ.get("OTKLIK_DATABASE_URL")
        return cls(
            instance_dir=instance_dir,
            database_url=url or f"sqlite:///{instance_dir / 'otklik.sqlite'}",
            database_url_is_default=not url,
            upload_dir=Path(environ.get("OTKLIK_UPLOAD_DIR") or instance_dir / "uploads"),
            forms_dir=Path(environ.get("OTKLIK_FORMS_DIR") or PROJECT_ROOT / "forms"),
            secret_key=environ.get("OTKLIK_SECRET_KEY") or None,
            insecure_cookies=environ.get("OTKLIK_INSECURE_COOKIES") == "1",
            ratelimit_storage=environ.get("OTKLIK_RATELIMIT_STORAGE", "memory://"),
            login_rate_limit=environ.get("OTKLIK_LOGIN_RATE_LIMIT", "10 per minute"),
            api_rate_limit=environ.get("OTKLIK_API_RATE_LIMIT", "120 per minute"),
            external_task_rate_limit=environ.get("OTKLIK_EXTERNAL_TASK_RATE_LIMIT", "600 per minute"),
            api_max_body_bytes=_int_or(environ.get("OTKLIK_API_MAX_BODY_BYTES"), 16_000_000),
            # A wrong number stops the web app at start (as before), not at the first sign-in.
            session_idle_minutes=int(environ.get("OTKLIK_SESSION_IDLE_MINUTES", "120")),
            session_max_hours=int(environ.get("OTKLIK_SESSION_MAX_HOURS", "12")),
            workflow_cache_size=_int_or(environ.get("OTKLIK_WORKFLOW_CACHE_SIZE"), WORKFLOW_CACHE_SIZE),
            language=_language(environ.get("OTKLIK_LANG") or environ.get("LANG") or ""),
            smtp_host=(environ.get("OTKLIK_SMTP_HOST") or "").strip() or None,
            smtp_port=_int_or(environ.get("OTKLIK_SMTP_PORT"), 25),
            smtp_user=environ.get("OTKLIK_SMTP_USER") or None,
            smtp_password=environ.get("OTKLIK_SMTP_PASSWORD") or None,
            smtp_tls=_tls(environ.get("OTKLIK_SMTP_TLS")),
            mail_from=(environ.get("OTKLIK_MAIL_FROM") or "").strip() or "otklik@localhost",
            base_url=(environ.get("OTKLIK_BASE_URL") or "").strip().rstrip("/") or None,
            test_starts=environ.get("OTKLIK_TEST_STARTS") == "1",
        )


def _language(value: str) -> str:
    """"en", "en_US.UTF-8" → "en"; anything else (Russian locales, "C", unset) → "ru"."""
    return "en" if value.split("_")[0].split(".")[0].lower() == "en" else "ru"


SMTP_TLS_MODES = ("none", "starttls", "ssl")


def _tls(value: str | None) -> str:
    """none | starttls | ssl; anything else is refused at start rather than sending in the clear."""
    mode = (value or "none").strip().lower()
    if mode not in SMTP_TLS_MODES:
        raise ValueError(f"OTKLIK_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, not '{value}'")
    return mode


def _int_or(text: str | None, default: int) -> int:
    # A cache size is a tuning knob: a typo keeps the default rather than stopping the worker.
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


_lock = threading.Lock()
_built: tuple[tuple[tuple[str, str], ...], Settings] | None = None
_overrides: list[Settings] = []


def settings() -> Settings:
    """The settings of this process: built once, again only when an ``OTKLIK_*`` variable changed."""
    global _built
    if _overrides:
        return _overrides[-1]
    # LANG too: the console writes in it when OTKLIK_LANG is not set.
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIX) or k == "LANG"))
    built = _built
    if built is not None and built[0] == key:
        return built[1]
    with _lock:
        _built = (key, Settings.from_environment(dict(key)))
        return _built[1]


@contextmanager
def override(**changes: Any) -> Iterator[Settings]:
    """``with override(forms_dir=tmp): ...`` — these settings for the block, whatever the environment."""
    changed = replace(settings(), **changes)
    _overrides.append(changed)
    try:
        yield changed
    finally:
        _overrides.remove(changed)
