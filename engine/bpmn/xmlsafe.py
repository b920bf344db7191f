"""Hardened XML parsing for uploaded diagrams.

Diagrams come from people outside the server's trust boundary, so the parser resolves no
entities, loads no DTD, touches no network and refuses huge trees. A DOCTYPE is refused
outright: BPMN never needs one, and it is where XXE and "billion laughs" live.
"""
from __future__ import annotations

import re

from lxml import etree

from engine.texts import Text, t

MAX_BPMN_BYTES = 2 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXml(ValueError):
    """The document is malformed, too large or uses a forbidden XML feature. ``text`` says what
    to change as a :class:`~engine.texts.Text`: a caller puts it in a Problem as it is, so it is
    rendered in the reader's language when shown (``str(error)`` renders it now)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.text)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse(data: bytes, limit: int = MAX_BPMN_BYTES) -> etree._ElementTree:
    """Parse ``data`` or raise :class:`UnsafeXml` with a message saying what to change."""
    if len(data) > limit:
        raise UnsafeXml(t("deployment.xml_too_large", size=len(data), limit=limit))
    if _DOCTYPE.search(data):
        raise UnsafeXml(t("deployment.xml_doctype_entity"))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXml(t("deployment.xml_malformed", error=str(error))) from None
    tree = root.getroottree()
    if getattr(tree.docinfo, "doctype", None):  # lxml-stubs do not declare DocInfo.doctype
        raise UnsafeXml(t("deployment.xml_doctype"))
    return tree
