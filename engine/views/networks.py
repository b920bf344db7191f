"""A network (the source a message came from) as people read it: «ВКонтакте», never ``vk``.

The words are engine texts (``network.<key>``, engine/texts/views.py), so the pages, the summary
reports and their XLSX say the same in the reader's language (issue 16).
"""
from __future__ import annotations

from engine.texts import LANGUAGES, Text, t

__all__ = ["network_label", "network_text"]


def network_text(network: str) -> Text | None:
    """The network's words as a Text (rendered when shown); None for a key the tables do not know."""
    code = f"network.{network}"
    return t(code) if code in LANGUAGES["ru"] else None


def network_label(network: str) -> str:
    """The network's name in the current language; an unknown key as it is (a network since removed)."""
    text = network_text(network)
    return str(text) if text is not None else network
