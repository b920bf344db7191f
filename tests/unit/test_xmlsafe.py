"""Hardened XML parsing: no DTD, no entities, no network, a size limit."""
import pytest

from engine.bpmn.xmlsafe import UnsafeXml, parse

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<d>&x;</d>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""

NETWORK_DTD = b"""<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd"><d/>"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS, NETWORK_DTD], ids=["xxe", "billion-laughs", "external-dtd"])
def test_doctype_and_entities_are_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeXml, match="DOCTYPE"):
        parse(payload)


def test_xxe_reads_no_file_even_if_it_got_past_the_prefilter() -> None:
    # The parser itself must not resolve entities: feed it through lxml directly with our options.
    from lxml import etree

    from engine.bpmn.xmlsafe import _parser

    root = etree.fromstring(XXE, _parser())
    assert "root:" not in (etree.tostring(root).decode())


def test_size_limit() -> None:
    with pytest.raises(UnsafeXml, match="limit"):
        parse(b"<d>" + b"x" * 100 + b"</d>", limit=50)


def test_broken_xml_says_so() -> None:
    with pytest.raises(UnsafeXml, match="not well-formed"):
        parse(b"<d><e></d>")


def test_plain_document_parses() -> None:
    assert parse(b"<d><e/></d>").getroot().tag == "d"
