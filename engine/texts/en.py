"""English texts of the engine, by the same codes as ru.py."""
from __future__ import annotations

TEXTS: dict[str, str] = {
    "problem.where": "{file}: {element}: {message}",
}
