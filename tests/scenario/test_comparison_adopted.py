"""The regulator's comparison of a procedure adopted from a template (issue 14): its column names the
template and version, marks each cell where the municipality set a parameter other than the
template's default (beside the template's own cell), and lists those parameters; the XLSX says the same.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook

from engine.bpmn.reader import read_diagram
from engine.reports.comparison_xlsx import write_comparison_xlsx
from engine.views.comparison import compare
from engine.views.comparison_adopted import parameter_names
from tests.factories import ROOT

TEMPLATE = (ROOT / "bpmn" / "templates" / "municipal.bpmn").read_text(encoding="utf-8")
TEMPLATE_ID = read_diagram(TEMPLATE).process_id


def _with(xml: str, **values: str) -> str:
    """The template with some var.* defaults replaced, as an adoption writes them."""
    for name, value in values.items():
        xml, count = re.subn(rf'(name="var\.{name}" value=")[^"]*(")', rf"\g<1>{value}\g<2>", xml)
        assert count == 1, name
    return xml


def _table(adopted_xml: str):  # type: ignore[no-untyped-def]
    return compare({"village": adopted_xml}, templates={"village": (TEMPLATE, TEMPLATE_ID, 3)})


def test_a_changed_deadline_and_performer_are_marked_beside_the_template_s_cells() -> None:
    table = _table(_with(TEMPLATE, answer_days="2", publisher="'executor'"))
    adopted = table.adopted["village"]
    assert (adopted.template, adopted.version) == (TEMPLATE_ID, 3)
    # A choice reads as the template's help explains it, never as its key (executor, official).
    assert {(d.label, d.value, d.default) for d in adopted.differs} == {
        ("Срок подготовки и размещения ответа", "2 working days", "1 working day"),  # with the unit
        ("Кто размещает ответ", "исполнитель, после согласования уполномоченным лицом", "уполномоченное должностное лицо")}
    marked = {key: cell for key, cell in table.cells["village"].items() if cell.template_text is not None}
    assert {key: cell.differs for key, cell in marked.items()} == {"whole_answer": ("answer_days",),
                                                                   "publication": ("publisher",)}
    assert {key: cell.differs_labels for key, cell in marked.items()} == {
        "whole_answer": ("Срок подготовки и размещения ответа",), "publication": ("Кто размещает ответ",)}
    # The parameter by its label, in the reader's language (these tests read English), never "publisher".
    assert marked["publication"].text == "Исполнитель (структурное подразделение) (parameter “Кто размещает ответ”)"
    whole = marked["whole_answer"]
    # The deadline's words are the reader's too (these tests read English; tests/scenario/test_comparison.py reads Russian).
    assert whole.text.startswith("2 working days") and whole.template_text.startswith("by the end of the next working day")
    # Cells the choices do not touch stay unmarked (the routing deadline is still the template's).
    assert table.cells["village"]["routing"].template_text is None


def test_values_as_in_the_template_mark_nothing() -> None:
    # The same values written differently ("1.0", double quotes) are the same values.
    table = _table(_with(TEMPLATE, answer_days="1.0", publisher="&quot;official&quot;"))
    assert table.adopted["village"].differs == ()
    assert all(cell.template_text is None and not cell.differs for cell in table.cells["village"].values())


def test_a_boolean_choice_is_listed_in_words_even_where_no_cell_shows_it() -> None:
    table = _table(_with(TEMPLATE, use_reception="False"))
    assert [(d.name, d.value, d.default) for d in table.adopted["village"].differs] == [("use_reception", "no", "yes")]


def test_a_procedure_drawn_on_its_own_is_not_adopted() -> None:
    table = compare({"village": TEMPLATE})
    assert table.adopted == {} and all(cell.template_text is None for cell in table.cells["village"].values())


def test_the_parameters_are_those_the_template_declares() -> None:
    declared = _with(TEMPLATE, answer_days="1")  # unchanged; now declare one parameter only
    declared = declared.replace('<camunda:property name="var.answer_days"',
                                '<camunda:property name="param.answer_days.type" value="days" />\n'
                                '        <camunda:property name="var.answer_days"', 1)
    diagram = read_diagram(declared)
    names = parameter_names(diagram)
    assert "answer_days" in names
    if not any(k.startswith("param.") for k in read_diagram(TEMPLATE).properties):
        assert names == ["answer_days"]  # only the declared one, not every var.* default


def test_the_xlsx_names_the_template_and_marks_the_departures(tmp_path: Path) -> None:
    table = _table(_with(TEMPLATE, answer_days="2"))
    buffer = io.BytesIO()
    write_comparison_xlsx(table, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    assert f"from the template “{read_diagram(TEMPLATE).name}”, version 3" in sheet.cell(1, 2).value
    assert TEMPLATE_ID not in sheet.cell(1, 2).value
    whole = next(cell for label, cell in rows.items() if label.startswith("Deadline for the whole answer"))
    assert whole.font.bold
    assert "not as in the template (Срок подготовки и размещения ответа); the template: by the end of the next" in whole.value
    routing = next(cell for label, cell in rows.items() if label.startswith("Deadline for routing"))
    assert not routing.font.bold and "not as in the template" not in routing.value
    differing = rows["Parameters that differ from the template"].value
    assert differing == "Срок подготовки и размещения ответа: 2 working days (template: 1 working day)"


def test_the_deployed_table_follows_an_adoption_and_its_upgrade(db) -> None:  # type: ignore[no-untyped-def]
    """From the database: the column names the template version the procedure's newest version was
    generated from, and compares with that version's defaults — after an upgrade to a version whose
    default moved, a value the council chose to keep (``keep_defaults``; by default an upgrade takes
    the moved default) now departs from the template."""
    from engine.deployment.deployer import Source, deploy, library_forms
    from engine.directory.territories import TerritoryInput, add_territory
    from engine.templates import adopt, parameters_of, upgrade
    from engine.views.comparison_deployed import comparison_for_deployments
    from tests.factories import deploy_files

    with db.session() as session:
        deploy_files(session, "bpmn/templates/municipal.bpmn")
        add_territory(session, TerritoryInput("village", "Сельсовет", "Asia/Barnaul", "municipality", "altai"), "test")
    with db.session() as session:
        pid = adopt(session, TEMPLATE_ID, "village", {"routing_hours": "16"}, "test", check_actor=False).process_id
    with db.session() as session:
        table = comparison_for_deployments(session, ["village"])
        assert (table.adopted["village"].template, table.adopted["village"].version) == (TEMPLATE_ID, 1)
        assert [d.name for d in table.adopted["village"].differs] == ["routing_hours"]
        assert table.cell("village", "whole_answer").template_text is None
        # The template's version 2: its answer deadline's default a day longer (as the demo draws it).
        from engine.demo.municipality import next_version

        parameters = parameters_of(session, TEMPLATE_ID, 1)
        deploy(session, [Source("v2.bpmn", next_version(TEMPLATE, parameters))], "test", extra_forms=library_forms())
    with db.session() as session:
        assert comparison_for_deployments(session, ["village"]).adopted["village"].version == 1  # not upgraded yet
        first_days = next(p for p in parameters if p.type == "days")
        upgrade(session, pid, "test", keep_defaults=[first_days.name], check_actor=False)
    with db.session() as session:
        table = comparison_for_deployments(session, ["village"])
        adopted = table.adopted["village"]
        assert adopted.version == 2 and table.versions["village"] == 2
        assert {d.name for d in adopted.differs} == {"routing_hours", first_days.name}  # kept 1, the default is now 2
        assert table.cell("village", "whole_answer").differs == (first_days.name,)
