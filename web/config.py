"""Web settings from the environment, with safe defaults (config in one place, as Flask does)."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from engine import config as engine_config


def _secret_key(instance_dir: Path) -> str:
    """OTKLIK_SECRET_KEY, or one generated once and kept in instance/ (so sessions survive restarts)."""
    key = os.environ.get("OTKLIK_SECRET_KEY")
    if key:
        return key
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment() -> dict[str, object]:
    instance_dir = Path(os.environ.get("OTKLIK_INSTANCE_DIR", engine_config.PROJECT_ROOT / "instance"))
    insecure = os.environ.get("OTKLIK_INSECURE_COOKIES") == "1"  # plain-HTTP demo (make run) only
    return {
        "SECRET_KEY": _secret_key(instance_dir),
        "DATABASE_URL": engine_config.database_url(),
        "UPLOAD_DIR": str(Path(os.environ.get("OTKLIK_UPLOAD_DIR", instance_dir / "uploads"))),
        # A request body: 500 KB for a form without files (the longest text field, 20,000
        # Cyrillic characters, is 120 KB urlencoded), 25 MiB where files go (web.limits lists
        # those views); one file 20 MiB; 500 KB per multipart field, 1,000 parts.
        "MAX_CONTENT_LENGTH": 500_000,
        "MAX_UPLOAD_REQUEST_BYTES": 25 * 1024 * 1024,
        "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 500_000,
        "MAX_FORM_PARTS": 1_000,
        "SESSION_COOKIE_SECURE": not insecure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not insecure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        # Behind HTTPS (secure cookies) browsers are told to stay on HTTPS for a year; never in
        # the plain-HTTP demo, where it would lock the browser out of http://127.0.0.1:5000.
        "STRICT_TRANSPORT_SECURITY": None if insecure else "max-age=31536000",
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Moscow",
        "LANGUAGES": ("ru", "en"),
        "RATELIMIT_STORAGE_URI": os.environ.get("OTKLIK_RATELIMIT_STORAGE", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("OTKLIK_LOGIN_RATE_LIMIT", "10 per minute"),
        "WTF_CSRF_TIME_LIMIT": None,  # a token lives as long as the session
        # An official's session ends after this long without a request, and this long after
        # sign-in whatever happens (web.auth); the cookie itself expires with the latter.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("OTKLIK_SESSION_IDLE_MINUTES", "120"))),
        "SESSION_MAX_AGE": timedelta(hours=int(os.environ.get("OTKLIK_SESSION_MAX_HOURS", "12"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("OTKLIK_SESSION_MAX_HOURS", "12"))),
    }
