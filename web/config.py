"""Web settings from engine.settings (the one Settings object), in the shape Flask reads them."""
from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from engine.db.database import default_url
from engine.settings import Settings, settings


def _secret_key(given: str | None, instance_dir: Path) -> str:
    """OTKLIK_SECRET_KEY, or one generated once and kept in instance/ (so sessions survive restarts)."""
    if given:
        return given
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(current: Settings | None = None) -> dict[str, object]:
    current = current or settings()
    insecure = current.insecure_cookies  # plain-HTTP demo (make run) only
    return {
        "SECRET_KEY": _secret_key(current.secret_key, current.instance_dir),
        "DATABASE_URL": default_url(),
        "UPLOAD_DIR": str(current.upload_dir),
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
        "RATELIMIT_STORAGE_URI": current.ratelimit_storage,
        "LOGIN_RATE_LIMIT": current.login_rate_limit,
        "API_RATE_LIMIT": current.api_rate_limit,  # the intake API (web/api_v1.py)
        "EXTERNAL_TASK_RATE_LIMIT": current.external_task_rate_limit,  # web/engine_rest_external.py
        "API_MAX_BODY_BYTES": current.api_max_body_bytes,
        "WTF_CSRF_TIME_LIMIT": None,  # a token lives as long as the session
        # An official's session ends after this long without a request, and this long after
        # sign-in whatever happens (web.auth); the cookie itself expires with the latter.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=current.session_idle_minutes),
        "SESSION_MAX_AGE": timedelta(hours=current.session_max_hours),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=current.session_max_hours),
    }
