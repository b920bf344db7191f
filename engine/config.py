"""Settings from the environment, with safe defaults for the embedded set-up."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """``OTKLIK_DATABASE_URL``; default: a SQLite file under ``instance/``."""
    url = os.environ.get("OTKLIK_DATABASE_URL")
    if url:
        return url
    path = Path(os.environ.get("OTKLIK_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / 'otklik.sqlite'}"


def forms_dir() -> Path:
    return Path(os.environ.get("OTKLIK_FORMS_DIR", PROJECT_ROOT / "forms"))


def bpmn_dir() -> Path:
    return Path(os.environ.get("OTKLIK_BPMN_DIR", PROJECT_ROOT / "bpmn"))
