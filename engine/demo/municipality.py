"""The demo's village council that adopted the regional model procedure, and the model's next version.

Issue 14's flow, visible on the first ``make run``: the council (a municipality in Altai, Asia/Barnaul —
not the Kamchatka zone) is territory data made through engine.directory.territories, like any
territory an administrator adds; its people are in engine.demo.people. Once a template is deployed
(``make run`` deploys ``bpmn/templates/`` before ``otklik demo``), the demo adopts it for the council
with choices of the council's own, then deploys the template's next version, so the council's
procedure page offers an upgrade with its semantic diff, and the regulator's comparison shows the
council's column beside its template.

No parameter is named here: the choices and the next version follow from what the template declares
(engine.bpmn.template_parameters), so any template a deployment carries shows the same flow:

* the council's choices: every ``hours`` deadline doubled (one specialist routes the messages), every
  ``boolean`` the other way (a council has no reception), every ``choice`` its next allowed value;
* the next version: the first ``days`` deadline's default one day longer — the council left it at the
  default, so its upgrade panel offers the new default with a ticked box (engine.templates.upgrade,
  ``default_moved``) — and one new parameter, :data:`NEW_PARAMETER`, declared with its default (no
  step reads it yet: it shows how an added parameter reaches an adopter at its default on upgrade).

Idempotent: the council is adopted once; the next version is deployed only in the run that adopted,
so a council that upgraded is never offered a demo version again.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from sqlalchemy.orm import Session

from engine.bpmn.namespaces import bpmn, camunda
from engine.bpmn.reader import VARIABLE_PREFIX
from engine.bpmn.template_parameters import PARAM_PREFIX, Parameter
from engine.calendar.regions import REGIONS
from engine.deployment.deployer import Source, deploy
from engine.directory.territories import TerritoryInput, add_territory
from engine.templates import adopt, templates
from engine.templates.catalogue import template_row

__all__ = ["ANALYST", "COUNCIL", "NEW_PARAMETER", "PROCEDURE_NAME", "DemoAdoption", "council_values", "current", "ensure_council",
           "next_version", "seed_adoption"]

# The council's own name for its procedure, and the login that adopts it (its analyst, engine.demo.people).
PROCEDURE_NAME = "Берёзовский сельсовет: сообщения из открытых источников"
ANALYST = "ber_analyst"
COUNCIL = TerritoryInput(key="berezovka", name="Берёзовский сельсовет Алтайского края", timezone="Asia/Barnaul",
                         kind="municipality", parent="altai", name_en="Beryozovsky Village Council, Altai Krai")
# The parameter the demo's next template version adds: (name, {attribute: value}, default expression).
NEW_PARAMETER = ("reminder_hours", {
    "type": "hours",
    "label": "Напомнить исполнителю за (рабочих часов до срока)",
    "help": "Новый параметр версии шаблона из демо: пока ни один шаг его не читает.",
}, "2")


@dataclass(frozen=True)
class DemoAdoption:
    """What the demo did: the council's procedure and the template versions (adopted, newest)."""
    template: str
    process_id: str
    adopted_version: int
    newest_version: int


def ensure_council(session: Session, actor: str) -> None:
    """The council as territory data (added once, as an administrator would)."""
    if COUNCIL.key not in REGIONS:
        add_territory(session, COUNCIL, actor)


def council_values(parameters: tuple[Parameter, ...] | list[Parameter]) -> dict[str, str]:
    """The council's own choices, by the parameters' declared types (see the module's docstring)."""
    values: dict[str, str] = {}
    for parameter in parameters:
        if parameter.type == "hours" and parameter.default.isdigit():
            values[parameter.name] = str(int(parameter.default) * 2 or 1)
        elif parameter.type == "boolean":
            values[parameter.name] = "false" if parameter.default == "true" else "true"
        elif parameter.type == "choice" and len(parameter.choices) > 1:
            index = parameter.choices.index(parameter.default) if parameter.default in parameter.choices else -1
            values[parameter.name] = parameter.choices[(index + 1) % len(parameter.choices)]
    return values


def next_version(template_xml: str, parameters: tuple[Parameter, ...] | list[Parameter]) -> bytes:
    """The template's next version: the first ``days`` default a day longer, :data:`NEW_PARAMETER` added."""
    root = etree.fromstring(template_xml.encode("utf-8"))
    process = root.find(bpmn("process"))
    assert process is not None, "a deployed template has a process"
    properties = process.find(f"{bpmn('extensionElements')}/{camunda('properties')}")
    assert properties is not None, "a deployed template declares its parameters"
    longer = next((p for p in parameters if p.type == "days" and p.default.isdigit()), None)
    for element in properties.findall(camunda("property")):
        if longer is not None and element.get("name") == VARIABLE_PREFIX + longer.name:
            element.set("value", str(int(longer.default) + 1))
    name, attributes, default = NEW_PARAMETER
    for attribute, value in attributes.items():
        etree.SubElement(properties, camunda("property"), name=f"{PARAM_PREFIX}{name}.{attribute}", value=value)
    etree.SubElement(properties, camunda("property"), name=VARIABLE_PREFIX + name, value=default)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def current(session: Session) -> DemoAdoption | None:
    """The council's adoption as it stands (read only): None before the demo adopted a template."""
    for template in templates(session):
        for adopter in template.adopters:
            if adopter.territory == COUNCIL.key:
                return DemoAdoption(template.process_id, adopter.process_id, adopter.template_version, template.newest)
    return None


def seed_adoption(session: Session, actor: str = ANALYST) -> DemoAdoption | None:
    """Adopt the first deployed template for the council (as its analyst: the same check as the
    browser's), then deploy that template's next version; None when no template is deployed yet.
    Nothing is done twice (the module's docstring)."""
    deployed = templates(session)
    if not deployed:
        return None
    template = deployed[0]
    if (done := current(session)) is not None:
        return done
    adopted = adopt(session, template.process_id, COUNCIL.key, council_values(template.parameters), actor,
                    name=PROCEDURE_NAME)
    row = template_row(session, template.process_id)
    forms = [Source(f"{form_id}.form", text.encode("utf-8")) for form_id, text in (row.forms or {}).items()]
    source = Source(f"{template.process_id}-v{row.version + 1}.bpmn", next_version(row.bpmn_xml, template.parameters))
    newest = deploy(session, [source], actor, extra_forms=forms)[0]
    return DemoAdoption(template.process_id, adopted.process_id, template.newest, newest.version)
