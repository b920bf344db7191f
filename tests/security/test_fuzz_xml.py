"""Fuzz: diagrams an analyst (or a stranger with an analyst's password) may upload.

Each case goes through ``engine.deployment.plan`` — the same checks as ``otklik deploy``, the
deploy page and its carried files — and must end within a bound with a plan or a
DeploymentError listing problems; never another exception (a 500 on /deploy/check, a traceback
in the CLI) and never a long parse. Cases: classic XML attacks, and mutations of a real
diagram (elements dropped or duplicated, attributes and expressions replaced by hostile values,
bytes flipped, the file cut short).
"""
from __future__ import annotations

import pytest
from lxml import etree

from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError
from tests.factories import ROOT
from tests.security.fuzz_support import HOSTILE_TEXT, bounded, rng

LIMIT = 3.0  # seconds per diagram (a clean Orenburg diagram takes ~0.1 s)
ORENBURG = (ROOT / "bpmn/orenburg.bpmn").read_bytes()
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"

ATTACKS: tuple[bytes, ...] = (
    b"",
    b"\x00" * 100,
    b"<",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
    b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd"><x/>',
    b'<?xml version="1.0" encoding="windows-1251"?><definitions/>',
    b'<?xml version="1.0" encoding="UTF-16"?><definitions/>',
    b"\xef\xbb\xbf" + ORENBURG,
    ORENBURG.replace(b"<bpmn:", b"<bpmn:" + b"x" * 10, 1),
    b"<a>" * 5_000 + b"</a>" * 5_000,
    b'<bpmn:definitions xmlns:bpmn="' + BPMN.encode() + b'" ' + b" ".join(b'a%d="x"' % i for i in range(20_000)) + b"/>",
    b'<bpmn:definitions xmlns:bpmn="' + BPMN.encode() + b'" id="' + b"x" * 1_500_000 + b'"/>',
    b"<?xml-stylesheet href='http://127.0.0.1:9/x.xsl'?>" + ORENBURG,
    ORENBURG.replace(b"</bpmn:definitions>", b"<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
                                              b"href='/etc/passwd'/></bpmn:definitions>"),
    ORENBURG * 2,
    ORENBURG + b"x" * (2 * 1024 * 1024),
)


def _mutants(count: int) -> list[tuple[str, bytes]]:
    source = rng("xml")
    tree = etree.fromstring(ORENBURG)
    elements = [e for e in tree.iter() if isinstance(e.tag, str)]
    expressions = [e for e in tree.iter(f"{{{BPMN}}}timeDuration", f"{{{BPMN}}}timeDate",
                                        f"{{{BPMN}}}conditionExpression", f"{{{BPMN}}}completionCondition")]
    found: list[tuple[str, bytes]] = []
    for number in range(count):
        copy = etree.fromstring(ORENBURG)
        nodes = [e for e in copy.iter() if isinstance(e.tag, str)]
        kind = source.choice(("drop", "duplicate", "attribute", "expression", "flip", "cut", "loop"))
        target = nodes[source.randrange(1, len(elements))]
        if kind == "drop" and target.getparent() is not None:
            target.getparent().remove(target)
        elif kind == "duplicate" and target.getparent() is not None:
            target.getparent().append(etree.fromstring(etree.tostring(target)))
        elif kind == "attribute":
            name = source.choice([*target.attrib, "id", f"{{{CAMUNDA}}}candidateGroups", f"{{{CAMUNDA}}}formRef"])
            target.set(name, source.choice(HOSTILE_TEXT).replace("\x00", "").replace("\r", "")[:2000])
        elif kind in ("expression", "loop") and expressions:
            index = source.randrange(len(expressions))
            node = [e for e in copy.iter(expressions[index].tag)][0]
            node.text = source.choice((
                "working_days(10**9)", "'9999-12-30T00:00:00+05:00'", "'0002-01-01T00:00:00+05:00'", "P9999Y",
                "working_hours(9, since='0002-01-01T00:00:00+05:00')", "(a+)+$", "${x}", "1/0", "x" * 3000,
                "working_hours(2920)", "working_days(366)", "PT1S", "not " * 500 + "True"))
            if kind == "loop":
                activity = copy.find(f".//{{{BPMN}}}userTask")
                loop = etree.SubElement(activity, f"{{{BPMN}}}multiInstanceLoopCharacteristics")
                cardinality = etree.SubElement(loop, f"{{{BPMN}}}loopCardinality")
                cardinality.text = source.choice(("3", "10**9", "unknown_name", "1/0", "'x'", "-1", "len(items)"))
        data = etree.tostring(copy, xml_declaration=True, encoding="UTF-8")
        if kind == "flip":
            position = source.randrange(len(data))
            data = data[:position] + bytes([source.randrange(256)]) + data[position + 1:]
        elif kind == "cut":
            data = data[:source.randrange(len(data))]
        found.append((f"mutant #{number} ({kind} {etree.QName(target).localname})", data))
    return found


@pytest.mark.parametrize("index", range(len(ATTACKS)))
def test_xml_attacks_are_refused_within_bounds(index: int) -> None:
    result = bounded(lambda: plan([Source("attack.bpmn", ATTACKS[index])], library_forms()), (DeploymentError,), LIMIT,
                     f"attack #{index}")
    assert isinstance(result, DeploymentError) or index == 8, f"attack #{index} was accepted"


def test_mutated_diagrams_are_refused_or_planned_within_bounds() -> None:
    for case, data in _mutants(300):
        bounded(lambda data=data: plan([Source("mutant.bpmn", data)], library_forms()), (DeploymentError,), LIMIT, case)
