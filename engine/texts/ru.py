"""Russian, the default language of every text the engine writes. Codes: engine.texts."""
from __future__ import annotations

TEXTS: dict[str, str] = {
    "problem.where": "{file}: {element}: {message}",
}
