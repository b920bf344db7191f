"""The regions' comparison table, built from the deployed diagrams, against the regulations digest.

The expected cells are written by hand from /work/shared/regulations.md, table "How the procedures
differ" (Kuzbass, Smolensk, Orenburg, Kalmanka), in the words engine.expressions.deadline_words gives. Where a
diagram carries more than the published act (Kuzbass: resolution 65 is not published, so approval,
rework, publication and the final answer are parameters; Kaluga: every deadline), the cell says so
and is marked as a parameter. Kaluga is not in the digest's table; its row expectations come from
the digest's Kaluga section (deadlines are parameters, the deputy head approves, quarterly summary).
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.bpmn.reader import read_diagram
from engine.calendar.regions import get_region
from engine.deployment.deployer import Source, deploy, library_forms
from engine.reports.comparison_xlsx import parameter_mark, write_comparison_xlsx
from engine.texts import language
from engine.views.comparison import COMMON_STEPS, DASH, compare
from engine.views.comparison_deployed import comparison_for_deployments
from tests.factories import ROOT, deploy_files

DIAGRAMS = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "bpmn").glob("*.bpmn"))]
# region → the diagram deployed last for it (the one the comparison shows): every diagram in bpmn/
# counts, whatever its process id; the regions are those the diagrams declare.
NEWEST = {read_diagram((ROOT / d).read_bytes()).properties["region"]: d for d in DIAGRAMS}
DEPLOYED = [r for r in dict.fromkeys(read_diagram((ROOT / d).read_bytes()).properties["region"] for d in DIAGRAMS)]
CASE = " (по умолчанию; «Срок ответа, рабочих часов с момента выявления» задаётся в деле)"  # п. 6: the curator may shorten it
SURGE = "Всплеск: от 10 сообщений одной темы и места за 60 минут, в 3 раза выше обычного за 28 дней → Губернатору"
# п. 9: 4 hours before п. 8's term; the routing steps compute draft_hours from the term the curator
# chose (the whole term when it is 4 hours or less), so the card gives the default and says so.
DRAFT_ORENBURG = "5 рабочих часов с момента выявления (по умолчанию; задаётся в деле)"  # never a variable name

# step → region → the cell's text. Comments quote the digest's cell.
EXPECTED: dict[str, dict[str, str]] = {
    "routing": {
        "kuzbass": DASH,  # —
        "smolensk": DASH,  # —
        "orenburg": "30 рабочих минут с момента выявления",  # 30 min from detection
        # «в течение рабочего дня»: Kalmanka reads it as the end of the working day of detection (issue 15).
        "kalmanka": "до конца рабочего дня выявления",
        "kaluga": "1 рабочий час с момента выявления (параметр процедуры, по умолчанию)",
    },
    "return": {
        "kuzbass": DASH, "kalmanka": DASH, "kaluga": DASH,  # —
        "smolensk": "30 рабочих минут с момента получения от куратора",  # 30 min, checked when returned (п. 5)
        "orenburg": "30 рабочих минут с момента получения от куратора",  # 30 min
    },
    "draft": {
        "kuzbass": "1 рабочий час с начала шага",  # 1 working hour from receipt
        "smolensk": "8 рабочих часов с момента получения от куратора",  # 8 working hours from receipt
        "orenburg": DRAFT_ORENBURG,  # 4 h before the 9 h deadline
        "kalmanka": "до конца рабочего дня начала шага",  # same day as receipt
        "kaluga": "8 рабочих часов с начала шага (параметр процедуры, по умолчанию)",
    },
    "approval": {
        # curator (the 1 hour is a parameter: resolution 65 is not published)
        "kuzbass": "Куратор (ЦУР Кузбасса), 1 рабочий час с начала шага (параметр процедуры, по умолчанию)",
        "smolensk": "Куратор (Департамент по внутренней политике), 1 рабочий час с начала шага",  # curator, 1 working hour
        "orenburg": "Куратор (министерство), 30 рабочих минут с начала шага",  # curator, 30 min
        "kalmanka": "Уполномоченное должностное лицо",  # authorized official
        "kaluga": ("Заместитель руководителя органа (п. 2.4), 2 рабочих часа с начала шага "
                   "(параметр процедуры, по умолчанию)"),  # 2.4: the agency's deputy head
    },
    "rework": {
        "kuzbass": "1 рабочий час с начала шага (параметр процедуры, по умолчанию)",  # — in the published act
        "smolensk": "1 рабочий час с начала шага",  # 1 working hour
        "orenburg": "1 рабочий час с начала шага",  # 1 hour
        "kalmanka": DASH,  # —
        "kaluga": "1 рабочий час с начала шага (параметр процедуры, по умолчанию)",
    },
    "publication": {
        # — in the published act: who publishes is the parameter publisher (default: the executor)
        "kuzbass": ("Исполнитель органа власти (параметр процедуры), "
                    "1 рабочий час с начала шага (параметр процедуры, по умолчанию)"),
        "smolensk": "Куратор (Департамент по внутренней политике), вместе с согласованием",  # curator (п. 8)
        "orenburg": "Исполнитель органа власти, 30 рабочих минут с начала шага",  # executor, 30 min after approval
        "kalmanka": "Уполномоченное должностное лицо, вместе с согласованием",  # authorized official
        "kaluga": "Ответственный сотрудник органа власти, 1 рабочий час с начала шага (параметр процедуры, по умолчанию)",
    },
    "whole_answer": {
        "kuzbass": DASH, "smolensk": DASH, "kaluga": DASH,  # —
        "orenburg": "9 рабочих часов с момента выявления" + CASE,  # 9 working hours from detection
        "kalmanka": "до конца следующего рабочего дня после регистрации",  # next working day after registration
    },
    "interim_final": {
        "kuzbass": "7 рабочих дней с момента промежуточного ответа (параметр процедуры, по умолчанию)",  # — published
        "smolensk": DASH,  # —
        "orenburg": "7 рабочих дней с момента размещения сообщения",  # 7 working days from the post
        "kalmanka": "7 рабочих дней с момента промежуточного ответа",  # 7 working days from the interim answer
        "kaluga": "7 рабочих дней с момента промежуточного ответа (параметр процедуры, по умолчанию)",
    },
    "agencies": {
        "kuzbass": DASH, "kalmanka": DASH, "kaluga": DASH,  # —
        # parts to curator; curator composes
        "smolensk": "части: 8 рабочих часов с момента получения от куратора; "
                    "общий ответ: Куратор (Департамент по внутренней политике)",
        # parts in 2 h; last executor composes
        "orenburg": "части: 2 рабочих часа с начала шага; общий ответ: Последний исполнитель, " + DRAFT_ORENBURG,
    },
    "threats": {
        "kuzbass": DASH, "smolensk": DASH, "kaluga": DASH,  # —
        "orenburg": "ответ не даётся; угрозы направляются в госорганы",  # no answer; threats forwarded
        "kalmanka": "не обрабатываются",  # not processed
    },
    "summary": {
        "kuzbass": "ежемесячно, Губернатору и заместителю Губернатора (п. 25)",  # monthly
        "smolensk": "ежемесячно, заместителю Губернатора (п. 14)",  # monthly
        "orenburg": "ежемесячно, заместителю министра (п. 20)",  # monthly
        "kalmanka": DASH,  # —
        "kaluga": "ежеквартально, Губернатору (п. 1.1)",  # 1.1 quarterly
    },
    "escalation": {
        "kuzbass": DASH, "kalmanka": DASH, "kaluga": DASH,  # —
        "smolensk": "незамедлительно Губернатору",  # to the Governor
        "orenburg": "незамедлительно Губернатору",  # to the Governor
    },
    "surge": {  # the acts name no number: the procedure's parameters surge.* (engine.surges.rule)
        "kuzbass": DASH, "kalmanka": DASH, "kaluga": DASH,
        "smolensk": SURGE + " (п. 15)",  # «о повышенной социальной активности»
        "orenburg": SURGE + " (п. 21)",  # «о повышенной социальной активности»
    },
}
PARAMETER_CELLS = {
    ("kuzbass", "approval"), ("kuzbass", "rework"), ("kuzbass", "publication"), ("kuzbass", "interim_final"),
    ("kaluga", "routing"), ("kaluga", "draft"), ("kaluga", "approval"), ("kaluga", "rework"),
    ("kaluga", "publication"), ("kaluga", "interim_final"),
}
CLAUSES = {
    ("orenburg", "routing"): "6", ("orenburg", "return"): "7", ("orenburg", "draft"): "9",
    ("orenburg", "approval"): "10", ("orenburg", "rework"): "11", ("orenburg", "publication"): "12",
    ("orenburg", "whole_answer"): "8", ("orenburg", "interim_final"): "13", ("orenburg", "threats"): "17",
    ("orenburg", "escalation"): "21", ("orenburg", "summary"): "20",
    ("smolensk", "return"): "5", ("smolensk", "draft"): "6", ("smolensk", "approval"): "8",
    ("smolensk", "rework"): "9", ("smolensk", "escalation"): "15", ("smolensk", "summary"): "14",
    ("orenburg", "surge"): "21", ("smolensk", "surge"): "15",
    ("kuzbass", "draft"): "13", ("kuzbass", "summary"): "25",
    ("kalmanka", "routing"): "5", ("kalmanka", "whole_answer"): "6", ("kalmanka", "draft"): "7",
    ("kalmanka", "interim_final"): "8", ("kalmanka", "threats"): "11",
    ("kaluga", "summary"): "1.1", ("kaluga", "draft"): "1.3",
}


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    """The digest is written in Russian: the table's own words are read in Russian here (the suite
    pins English; test_the_table_reads_in_the_readers_language checks English)."""
    with language("ru"):
        yield


@pytest.fixture
def deployed(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        deploy_files(session, *DIAGRAMS)
    return db


def test_the_table_matches_the_regulations_digest(deployed) -> None:  # type: ignore[no-untyped-def]
    with deployed.session() as session:
        table = comparison_for_deployments(session)
    assert sorted(table.regions) == sorted(DEPLOYED) and not set(table.missing) & set(DEPLOYED)
    assert table.versions == dict.fromkeys(table.regions, 1)
    assert list(EXPECTED) == list(COMMON_STEPS)
    mismatches = [(step, region, table.cell(region, step).text, expected)
                  for step, row in EXPECTED.items() for region, expected in row.items()
                  if table.cell(region, step).text != expected]
    assert mismatches == []
    marked = {(r, s) for r in table.regions for s in COMMON_STEPS if table.cell(r, s).is_parameter}
    assert marked == PARAMETER_CELLS
    assert table.cell("kuzbass", "publication").parameters == ("publication_hours", "publisher")
    for (region, step), clause in CLAUSES.items():
        assert table.cell(region, step).clause == clause, (region, step)
    # Empty cells highlight nothing; filled ones point at elements of their own diagram.
    for region in table.regions:
        for step in COMMON_STEPS:
            cell = table.cell(region, step)
            assert bool(cell.element_ids) == (cell.text != DASH), (region, step)
    assert set(table.cell("orenburg", "routing").element_ids) == {"route_message", "routing_deadline", "record_routing_violation"}
    assert "publisher_gateway" in table.cell("kuzbass", "publication").element_ids
    assert table.cell("kalmanka", "publication").element_ids == ("review_answer",)


def test_the_pure_comparison_gives_the_same_table(deployed) -> None:  # type: ignore[no-untyped-def]
    forms = {path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "forms").glob("*.form")}
    with deployed.session() as session:
        from_db = comparison_for_deployments(session)
    table = compare({r: (ROOT / NEWEST[r]).read_text(encoding="utf-8") for r in from_db.regions},
                    dict.fromkeys(from_db.regions, forms))
    with deployed.session() as session:
        from_db = comparison_for_deployments(session)
    assert table.cells == from_db.cells and table.titles == from_db.titles
    # Without the forms, the curator's shortened deadline cannot be told from a parameter.
    bare = compare({"orenburg": (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")})
    assert bare.cell("orenburg", "whole_answer").is_parameter


def test_a_changed_diagram_changes_the_table(deployed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    orenburg = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    changed = orenburg.replace("working_minutes(30, since=detected_at)", "working_minutes(45, since=detected_at)")
    kaluga = (ROOT / "bpmn/kaluga.bpmn").read_text(encoding="utf-8")
    changed_kaluga = kaluga.replace('name="var.review_hours" value="2"', 'name="var.review_hours" value="3"')
    assert changed != orenburg and changed_kaluga != kaluga
    with deployed.session() as session:
        before = comparison_for_deployments(session)
        results = deploy(session, [Source("orenburg.bpmn", changed.encode("utf-8")),
                                   Source("kaluga.bpmn", changed_kaluga.encode("utf-8"))], "analyst", extra_forms=library_forms())
        assert [(d.process_id, d.version, d.created) for d in results] == [("orenburg", 2, True), ("kaluga", 2, True)]
    with deployed.session() as session:
        after = comparison_for_deployments(session)
    assert after.versions == {**dict.fromkeys(before.regions, 1), "orenburg": 2, "kaluga": 2}
    assert before.cell("orenburg", "routing").text == "30 рабочих минут с момента выявления"
    assert after.cell("orenburg", "routing").text == "45 рабочих минут с момента выявления"
    assert after.cell("kaluga", "approval").text.endswith("3 рабочих часа с начала шага (параметр процедуры, по умолчанию)")
    # What a reader sees (another diagram for the same region may have been the newest before).
    changed_cells = {(r, s) for r in before.regions for s in COMMON_STEPS
                     if before.cell(r, s).text != after.cell(r, s).text}
    assert changed_cells == {("orenburg", "routing"), ("kaluga", "approval")}


def test_a_region_without_a_procedure_is_listed_as_missing(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        deploy_files(session, "bpmn/orenburg.bpmn", "bpmn/kalmanka.bpmn")
        table = comparison_for_deployments(session)
    assert sorted(table.regions) == ["kalmanka", "orenburg"]
    assert {"smolensk", "kaluga", "kuzbass"} <= set(table.missing) and "orenburg" not in table.missing
    assert table.cell("smolensk", "routing").text == DASH


def test_the_xlsx_round_trips(deployed, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with deployed.session() as session:
        table = comparison_for_deployments(session)
        names = [get_region(r).name for r in table.regions]
    buffer = io.BytesIO()
    write_comparison_xlsx(table, buffer)
    path = tmp_path / "comparison.xlsx"
    write_comparison_xlsx(table, path)
    for source in (io.BytesIO(buffer.getvalue()), Path(path)):
        sheet = load_workbook(source)["Сравнение"]
        header = [c.value for c in sheet[1]]
        assert header[0] == "Шаг"
        assert header[1:] == [f"{name}\n(версия 1)" for name in names]
        labels = [sheet.cell(row, 1).value for row in range(2, 2 + len(COMMON_STEPS))]
        assert labels == [str(label) for label in COMMON_STEPS.values()]
        for row, step in enumerate(COMMON_STEPS, start=2):
            for column, region in enumerate(table.regions, start=2):
                value, cell = sheet.cell(row, column), table.cell(region, step)
                assert value.value.split("\n")[0] == cell.text  # "параметр" said once, by the cell's words
                assert value.font.i == cell.is_parameter, (region, step)
                assert (value.comment is not None) == cell.is_parameter
                if cell.is_parameter:
                    assert "параметр" in cell.text and not value.value.endswith(parameter_mark())
                    assert not any(n in value.comment.text for n in cell.parameters)  # no variable names
                    assert value.comment.text == "Задан параметром диаграммы. В опубликованном акте не установлен."
                if cell.clause:
                    assert value.value.endswith(f"\nп. {cell.clause}")
        orenburg_routing = sheet.cell(2, 2 + table.regions.index("orenburg")).value
        assert orenburg_routing == "30 рабочих минут с момента выявления\nп. 6"


def test_the_steps_come_from_the_declared_step_property_not_from_ids(tmp_path) -> None:
    """Approval, publication and the joint answer are read from each task's ``step`` property:
    dropping a declaration empties its cell; a task with other ids and forms that declares it fills it."""
    source = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    table = compare({"orenburg": source})
    assert "Куратор" in table.cell("orenburg", "approval").text
    assert "общий ответ" in table.cell("orenburg", "agencies").text
    assert table.cell("orenburg", "publication").text.startswith("Исполнитель органа власти")
    undeclared = source.replace('<camunda:property name="step" value="publication" />', "")
    assert not compare({"orenburg": undeclared}).cell("orenburg", "publication").text.startswith("Исполнитель")
    no_joint = source.replace('<camunda:property name="step" value="joint" />', "")
    assert "общий ответ" not in compare({"orenburg": no_joint}).cell("orenburg", "agencies").text
    renamed = source.replace('"approve_answer"', '"sign_off"').replace(">approve_answer<", ">sign_off<")
    assert "sign_off" in compare({"orenburg": renamed}).cell("orenburg", "approval").element_ids


def test_an_unknown_step_is_refused_at_deployment() -> None:
    from engine.deployment.deployer import plan
    from engine.errors import DeploymentError

    source = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    wrong = source.replace('name="step" value="approval"', 'name="step" value="aproval"')
    with pytest.raises(DeploymentError) as refused:
        plan([Source("orenburg.bpmn", wrong.encode())], extra_forms=library_forms())
    assert any(p.element == "approve_answer" and "aproval" in p.text for p in refused.value.problems)


def test_a_region_s_column_is_its_newest_procedure_whatever_the_process_id(db) -> None:  # type: ignore[no-untyped-def]
    """Process ids are free names: the diagram declares the region it serves (property region)."""
    source = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    renamed = source.replace('id="orenburg"', 'id="obl_messages"').replace('processRef="orenburg"', 'processRef="obl_messages"')
    renamed = renamed.replace("working_minutes(30, since=detected_at)", "working_minutes(45, since=detected_at)")
    assert 'id="obl_messages"' in renamed
    with db.session() as session:
        deploy_files(session, "bpmn/orenburg.bpmn")
        deploy(session, [Source("obl_messages.bpmn", renamed.encode("utf-8"))], "analyst", extra_forms=library_forms())
        table = comparison_for_deployments(session, ["orenburg"])
    assert table.regions == ["orenburg"] and table.process_ids == {"orenburg": "obl_messages"}
    assert table.cell("orenburg", "routing").text == "45 рабочих минут с момента выявления"


def test_the_heatmap_draws_the_procedure_serving_the_region_whatever_its_id(db) -> None:  # type: ignore[no-untyped-def]
    from engine.views.heatmap import heatmap

    source = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    renamed = source.replace('id="orenburg"', 'id="obl_messages"').replace('processRef="orenburg"', 'processRef="obl_messages"')
    with db.session() as session:
        deploy(session, [Source("obl_messages.bpmn", renamed.encode("utf-8"))], "analyst", extra_forms=library_forms())
        found = heatmap(session, "orenburg", "2025-11")
    assert (found.process_id, found.deployment.process_id) == ("obl_messages", "obl_messages")


def test_the_table_reads_in_the_readers_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Row labels and the comparison's own words follow the reader; the deadlines stay as
    engine.expressions.deadline_words writes them."""
    source = (ROOT / "bpmn/orenburg.bpmn").read_text(encoding="utf-8")
    with language("en"):
        table = compare({"orenburg": source})
        labels = [str(label) for _, label, _ in table.rows()]
        buffer = io.BytesIO()
        write_comparison_xlsx(table, buffer)
    assert labels[0] == "Deadline for routing the message to the executor" and "Several agencies" in labels
    assert table.cell("orenburg", "escalation").text == "to the Governor at once"
    assert table.cell("orenburg", "threats").text == "no answer; threats are forwarded to the authorities"
    assert table.cell("orenburg", "agencies").text.startswith("parts: ")
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Comparison"]
    assert sheet.cell(1, 1).value == "Step" and sheet.cell(2, 1).value == labels[0]
    with language("ru"):
        assert compare({"orenburg": source}).cell("orenburg", "escalation").text == "незамедлительно Губернатору"
