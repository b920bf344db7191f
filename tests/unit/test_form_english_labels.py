"""An option's English label (engine/forms/english_labels.py): the custom property label.en.<value> on a
Select, Radio or Checklist, refused at deployment when it names no option, is empty or sits on
another kind of field; shown to readers of English where the option appears outside its form
(the registry's topics, the card, the reports: engine.views.option_labels)."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from engine.forms import parse_form
from engine.forms.english_labels import option_label
from engine.texts import language
from engine.views.option_labels import option_labels
from tests.unit.forms_support import form_text, options, problems

FORMS = Path(__file__).resolve().parents[2] / "forms"


def _topic(**properties: Any) -> dict[str, Any]:
    return {"id": "F_topic", "type": "select", "key": "topic", "values": options("roads", "healthcare"),
            "properties": properties}


def test_a_declared_english_label_is_accepted() -> None:
    parse_form(form_text(_topic(**{"label.en.roads": "Roads", "startsWith": "topic"})))


@pytest.mark.parametrize(("component", "problem"), [
    (_topic(**{"label.en.schools": "Schools"}),
     "the property label.en.schools names an option the field does not have (component 'F_topic'): "
     "label.en.<option value> goes on a Select, Radio or Checklist, e.g. label.en.healthcare = Healthcare"),
    (_topic(**{"label.en.roads": "  "}),
     "the English label of option 'roads' is empty or longer than 300 characters (component 'F_topic'): "
     "label.en.<option value> goes on a Select, Radio or Checklist, e.g. label.en.healthcare = Healthcare"),
    ({"id": "F_note", "type": "textfield", "key": "note", "properties": {"label.en.x": "X"}},
     "an option's English label (label.en.…) on a component of type 'textfield' (component 'F_note'): "
     "label.en.<option value> goes on a Select, Radio or Checklist, e.g. label.en.healthcare = Healthcare"),
])
def test_a_wrong_english_label_is_refused_naming_the_field(component: dict[str, Any], problem: str) -> None:
    assert problems(component) == [problem]


def test_english_readers_get_the_english_label_others_the_drawn_one() -> None:
    component = _topic(**{"label.en.roads": "Roads"})
    roads, health = component["values"]
    with language("en"):
        assert option_label(component, roads) == "Roads"
        assert option_label(component, health) == health["label"]  # none declared: as drawn
    with language("ru"):
        assert option_label(component, roads) == roads["label"]


def test_the_shipped_routing_forms_name_topics_and_importance_in_english() -> None:
    deployment = SimpleNamespace(forms={path.stem: path.read_text(encoding="utf-8") for path in FORMS.glob("*.form")})
    with language("en"):
        labels = option_labels(deployment, ("topic", "importance"))  # type: ignore[arg-type]  # only .forms is read
    assert labels["topic"]["roads_transport"] == "Roads and transport"
    assert labels["importance"]["normal"] == "Ordinary"
    with language("ru"):
        assert option_labels(deployment, ("topic",))["topic"]["roads_transport"] == "Дороги и транспорт"  # type: ignore[arg-type]
    for name in ("orenburg_routing", "smolensk_routing", "kuzbass_routing"):
        schema = json.loads((FORMS / f"{name}.form").read_text(encoding="utf-8"))
        topic = next(c for c in schema["components"] if c.get("key") == "topic")
        assert {f"label.en.{o['value']}" for o in topic["values"]} <= set(topic["properties"]), name
