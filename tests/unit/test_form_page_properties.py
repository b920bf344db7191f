"""The task page's form properties (engine/forms/page_properties.py) are checked at deployment:
a wrong ``excludes`` or ``startsWith`` is refused naming the component, never ignored."""
from __future__ import annotations

from tests.unit.forms_support import form, problems

AGENCY = {"id": "field_agency", "type": "select", "key": "agency", "label": "Орган", "valuesKey": "agency_options"}
CO = {"id": "field_co", "type": "checklist", "key": "co_agencies", "label": "Соисполнители",
      "valuesKey": "agency_options"}


def test_the_orenburg_declarations_are_accepted() -> None:
    definition = form({**AGENCY, "properties": {"startsWith": "suggested_agency"}},
                      {**CO, "properties": {"excludes": "agency"}})
    assert [f.key for f in definition.fields] == ["agency", "co_agencies"]


def test_excludes_on_another_type_is_refused_naming_the_component() -> None:
    found = problems(AGENCY, {**AGENCY, "id": "field_main", "key": "main", "properties": {"excludes": "agency"}})
    assert len(found) == 1 and "excludes" in found[0] and "field_main" in found[0] and "'select'" in found[0]


def test_excludes_naming_no_choice_field_of_the_form_is_refused() -> None:
    found = problems(AGENCY, {**CO, "properties": {"excludes": "agencies"}})
    assert len(found) == 1 and "'agencies'" in found[0] and "field_co" in found[0]


def test_starts_with_must_name_variables() -> None:
    found = problems({**AGENCY, "properties": {"startsWith": "suggested agency!"}})
    assert len(found) == 1 and "startsWith" in found[0] and "field_agency" in found[0]
    assert problems({**AGENCY, "properties": {"startsWith": " "}})
