"""Kuzbass: every clause scenario fails when its rule is broken in the diagram (issue 15, finding 8).

Each scenario below passes on bpmn/kuzbass.bpmn. Each mutant breaks one rule — a timer's amount, its
start (``since=``), working vs calendar time, a task's role, a condition, a violation's label (clause,
deadline, basis) — and is deployed as the procedure's newest version (tests/scenario/mutants.py); the
scenario run on it must fail. ``test_every_rule_of_the_diagram_has_a_mutant`` keeps the list complete:
a timer, user task, condition or violation task added to the diagram without its mutants fails it.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from engine.bpmn.namespaces import NS, bpmn, camunda
from engine.errors import Forbidden
from tests.scenario.driver import Case
from tests.scenario.mutants import Edit, condition, deploy_mutant, groups, mutant, prop, rules_to_break, timer
from tests.scenario.test_kuzbass import CURATOR, EXEC, PUBLISH, ROUTE, begin, draft, kuzbass, recorded  # noqa: F401

# The sweep checks the diagram, not the storage: SQLite only (tests/conftest.py).
pytestmark = pytest.mark.sqlite_only

SHIPPED = "bpmn/kuzbass.bpmn"
DAY = "2025-11-10"  # Monday; lunch 13:00–14:00, the day ends at 18:00 (Asia/Novokuznetsk)


@pytest.fixture
def kuz(db, request):  # type: ignore[no-untyped-def]
    """The Kuzbass scenario driver (tests/scenario/test_kuzbass.py's fixture)."""
    return request.getfixturevalue("kuzbass")


def role(task_id: str, new_role: str) -> Edit:
    """Give a user task to another role, lane and candidateGroups together (deployment refuses a
    candidateGroups that disagrees with its lane, which is the first guard of a task's role)."""
    moved_groups = groups(task_id, new_role)

    def edit(root: etree._Element) -> None:
        moved_groups(root)
        task = next(e for e in root.iter() if e.get("id") == task_id)
        if new_role == "executor" and not any(p.get("name") == "organisation" for p in task.iterfind(".//camunda:property", NS)):
            # an executor's task names the agency whose executors may do it (else deployment refuses)
            extensions = task.find("bpmn:extensionElements", NS)
            if extensions is None:
                extensions = etree.Element(bpmn("extensionElements"))
                task.insert(1 if task.find("bpmn:documentation", NS) is not None else 0, extensions)
            properties = extensions.find("camunda:properties", NS)
            if properties is None:
                properties = etree.SubElement(extensions, camunda("properties"))
            etree.SubElement(properties, camunda("property"), name="organisation", value="agency")
        for ref in root.iterfind(".//bpmn:flowNodeRef", NS):
            if ref.text == task_id:
                ref.getparent().remove(ref)
        lane = next(e for e in root.iter() if e.get("id") == f"lane_{new_role}")
        etree.SubElement(lane, ref.tag).text = task_id
    return edit


def add_prop(element_id: str, name: str, value: str) -> Edit:
    """Give a violation task a property it does not have (e.g. an act's clause on a parameter's breach)."""
    def edit(root: etree._Element) -> None:
        element = next(e for e in root.iter() if e.get("id") == element_id)
        properties = element.find(".//camunda:properties", NS)
        assert properties is not None, element_id
        etree.SubElement(properties, camunda("property"), name=name, value=value)
    return edit


# ---- scenarios (each passes on the shipped diagram) ------------------------------------------------

def draft_late(case: Case) -> None:
    """п. 13: received 12:30 (detected 09:50) → 1 working hour across lunch → 14:30; the act's own clause."""
    begin(case, routed="12:30")
    assert case.task("draft_answer").role == "executor"
    assert case.due("draft_answer") == case.local(f"{DAY}T14:30")
    case.at(f"{DAY}T14:29")
    assert case.violations() == []
    case.at(f"{DAY}T14:31")
    assert case.violations() == [("13", "draft", case.local(f"{DAY}T14:30"))]
    assert recorded(case) == [("draft", "act", "kuz_roads")]


def approval_late(case: Case) -> None:
    """Parameter approval_hours (1): draft 12:40 → 14:40 across lunch; no clause, basis parameter."""
    begin(case, routed="12:00")
    draft(case, f"{DAY}T12:40")
    assert case.task("approve_answer").role == "curator"
    assert case.due("approve_answer") == case.local(f"{DAY}T14:40")
    case.at(f"{DAY}T14:39")
    assert case.violations() == []
    case.at(f"{DAY}T14:41")
    assert case.violations() == [("", "approval", case.local(f"{DAY}T14:40"))]
    assert recorded(case) == [("approval", "parameter", None)]


def rework_late(case: Case) -> None:
    """Parameter rework_hours (1): returned 12:20 → 14:20 across lunch, the agency's."""
    begin(case, routed="11:00")
    draft(case, f"{DAY}T11:30")
    case.at(f"{DAY}T12:20")
    case.complete("approve_answer", CURATOR, {"decision": "rework", "comment": "Уточнить сроки"})
    assert case.task("rework_answer").role == "executor"
    assert case.due("rework_answer") == case.local(f"{DAY}T14:20")
    case.at(f"{DAY}T14:19")
    assert case.violations() == []
    case.at(f"{DAY}T14:21")
    assert case.violations() == [("", "rework", case.local(f"{DAY}T14:20"))]
    assert recorded(case) == [("rework", "parameter", "kuz_roads")]


def publication_late(case: Case) -> None:
    """Parameters publisher ('executor') and publication_hours (1): approved 12:30 → 14:30 across lunch."""
    begin(case, routed="11:50")
    draft(case, f"{DAY}T12:10")
    case.at(f"{DAY}T12:30")
    case.complete("approve_answer", CURATOR, {"decision": "approve"})
    assert case.open_elements() == ["publish_by_executor"]
    assert case.due("publish_by_executor") == case.local(f"{DAY}T14:30")
    case.at(f"{DAY}T17:20")
    assert [v[:2] for v in case.violations()] == [("", "publication")]
    assert case.task("publish_by_executor").role == "executor"
    case.complete("publish_by_executor", EXEC, PUBLISH)
    assert case.instance().status == "completed"
    assert recorded(case) == [("publication", "parameter", "kuz_roads")]


def curator_publication_late(case: Case) -> None:
    """publisher = 'curator' (in the mutant too): approved 17:20 → the curator publishes by 09:20."""
    begin(case)
    draft(case, f"{DAY}T10:30")
    case.at(f"{DAY}T17:20")
    case.complete("approve_answer", CURATOR, {"decision": "approve"})
    assert case.open_elements() == ["publish_by_curator"]
    assert case.task("publish_by_curator").role == "curator"
    assert case.due("publish_by_curator") == case.local("2025-11-11T09:20")
    case.at("2025-11-11T09:21")
    assert case.violations()[-1] == ("", "curator_publication", case.local("2025-11-11T09:20"))
    assert recorded(case)[-1] == ("curator_publication", "parameter", None)


def final_late(case: Case) -> None:
    """Parameter final_days (7): detected Thu 30.10, the clarification published Fri 31.10 → 12.11 18:00."""
    case.start(posted="2025-10-30T09:30", detected="2025-10-30T09:50")
    case.at("2025-10-31T10:00")
    case.complete("route_message", CURATOR, ROUTE)
    draft(case, "2025-10-31T10:40", kind="clarification")
    case.complete("approve_answer", CURATOR, {"decision": "approve"})
    case.at("2025-10-31T11:00")
    case.complete("publish_by_executor", EXEC, PUBLISH)
    assert case.open_elements() == ["draft_final_answer"]
    assert case.task("draft_final_answer").role == "executor"
    assert case.due("draft_final_answer") == case.local("2025-11-12T18:00")
    case.at("2025-11-12T17:59")
    assert [v for v in case.violations() if v[1] == "final"] == []
    case.at("2025-11-12T18:01")
    assert [v for v in case.violations() if v[1] == "final"] == [("", "final", case.local("2025-11-12T18:00"))]
    assert recorded(case)[-1] == ("final", "parameter", "kuz_roads")


def answered_at_once(case: Case) -> None:
    """An answer on the merits, approved and published in time: the case ends, nothing is charged."""
    case.start(posted=f"{DAY}T09:30", detected=f"{DAY}T09:50")
    assert case.task("route_message").role == "curator"
    begin(case)  # a second message, routed by the curator (Forbidden if the role moved)
    draft(case, f"{DAY}T10:30")
    case.complete("approve_answer", CURATOR, {"decision": "approve"})
    case.complete("publish_by_executor", EXEC, PUBLISH)
    assert case.instance().status == "completed" and case.violations() == []


CURATOR_PUBLISHES = prop("kuzbass", "var.publisher", "'curator'")
Scenario = Callable[[Case], None]
# (element id, what is broken, scenario that must fail, edits)
MUTANTS: list[tuple[str, str, Scenario, tuple[Edit, ...]]] = [
    ("draft_deadline", "amount", draft_late, (timer("draft_deadline", "working_hours(2)"),)),
    ("draft_deadline", "since", draft_late, (timer("draft_deadline", "working_hours(1, since=detected_at)"),)),
    ("draft_deadline", "calendar", draft_late, (timer("draft_deadline", "PT1H"),)),
    ("approval_deadline", "amount", approval_late, (timer("approval_deadline", "working_hours(approval_hours + 1)"),)),
    ("approval_deadline", "since", approval_late,
     (timer("approval_deadline", "working_hours(approval_hours, since=detected_at)"),)),
    ("approval_deadline", "calendar", approval_late, (timer("approval_deadline", "PT1H"),)),
    ("rework_deadline", "amount", rework_late, (timer("rework_deadline", "working_hours(rework_hours + 1)"),)),
    ("rework_deadline", "since", rework_late, (timer("rework_deadline", "working_hours(rework_hours, since=detected_at)"),)),
    ("rework_deadline", "calendar", rework_late, (timer("rework_deadline", "PT1H"),)),
    ("publication_deadline", "amount", publication_late,
     (timer("publication_deadline", "working_hours(publication_hours + 1)"),)),
    ("publication_deadline", "since", publication_late,
     (timer("publication_deadline", "working_hours(publication_hours, since=detected_at)"),)),
    ("publication_deadline", "calendar", publication_late, (timer("publication_deadline", "PT1H"),)),
    ("curator_publication_deadline", "amount", curator_publication_late,
     (CURATOR_PUBLISHES, timer("curator_publication_deadline", "working_hours(publication_hours + 1)"))),
    ("curator_publication_deadline", "since", curator_publication_late,
     (CURATOR_PUBLISHES, timer("curator_publication_deadline", "working_hours(publication_hours, since=detected_at)"))),
    ("curator_publication_deadline", "calendar", curator_publication_late,
     (CURATOR_PUBLISHES, timer("curator_publication_deadline", "PT1H"))),
    ("final_deadline", "amount", final_late, (timer("final_deadline", "working_days(final_days + 1)"),)),
    ("final_deadline", "since", final_late, (timer("final_deadline", "working_days(final_days, since=detected_at)"),)),
    ("final_deadline", "calendar", final_late, (timer("final_deadline", "P7D"),)),
    ("route_message", "role", answered_at_once, (role("route_message", "executor"),)),
    ("draft_answer", "role", draft_late, (role("draft_answer", "curator"),)),
    ("approve_answer", "role", approval_late, (role("approve_answer", "executor"),)),
    ("rework_answer", "role", rework_late, (role("rework_answer", "curator"),)),
    ("publish_by_executor", "role", publication_late, (role("publish_by_executor", "curator"),)),
    ("publish_by_curator", "role", curator_publication_late, (CURATOR_PUBLISHES, role("publish_by_curator", "executor"))),
    ("draft_final_answer", "role", final_late, (role("draft_final_answer", "curator"),)),
    ("rework_requested", "condition", rework_late, (condition("rework_requested", "decision == 'approve'"),)),
    ("published_by_curator_flow", "condition", publication_late,
     (condition("published_by_curator_flow", "publisher != 'curator'"),)),
    ("interim_published", "condition", final_late, (condition("interim_published", "answer_kind == 'interim'"),)),
    ("record_draft_violation", "clause", draft_late, (prop("record_draft_violation", "clause", "6"),)),
    ("record_draft_violation", "deadline", draft_late, (prop("record_draft_violation", "deadline", "answer"),)),
    ("record_draft_violation", "basis", draft_late, (prop("record_draft_violation", "basis", "parameter"),)),
    ("record_approval_violation", "clause", approval_late, (add_prop("record_approval_violation", "clause", "6"),)),
    ("record_approval_violation", "deadline", approval_late, (prop("record_approval_violation", "deadline", "review"),)),
    ("record_approval_violation", "basis", approval_late, (prop("record_approval_violation", "basis", "act"),)),
    ("record_rework_violation", "clause", rework_late, (add_prop("record_rework_violation", "clause", "6"),)),
    ("record_rework_violation", "deadline", rework_late, (prop("record_rework_violation", "deadline", "draft"),)),
    ("record_rework_violation", "basis", rework_late, (prop("record_rework_violation", "basis", "act"),)),
    ("record_publication_violation", "clause", publication_late, (add_prop("record_publication_violation", "clause", "25"),)),
    ("record_publication_violation", "deadline", publication_late,
     (prop("record_publication_violation", "deadline", "curator_publication"),)),
    ("record_publication_violation", "basis", publication_late, (prop("record_publication_violation", "basis", "act"),)),
    ("record_curator_publication_violation", "clause", curator_publication_late,
     (CURATOR_PUBLISHES, add_prop("record_curator_publication_violation", "clause", "25"))),
    ("record_curator_publication_violation", "deadline", curator_publication_late,
     (CURATOR_PUBLISHES, prop("record_curator_publication_violation", "deadline", "publication"))),
    ("record_curator_publication_violation", "basis", curator_publication_late,
     (CURATOR_PUBLISHES, prop("record_curator_publication_violation", "basis", "act"))),
    ("record_final_violation", "clause", final_late, (add_prop("record_final_violation", "clause", "13"),)),
    ("record_final_violation", "deadline", final_late, (prop("record_final_violation", "deadline", "draft"),)),
    ("record_final_violation", "basis", final_late, (prop("record_final_violation", "basis", "act"),)),
]
SCENARIOS = [draft_late, approval_late, rework_late, publication_late, final_late, answered_at_once]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_each_scenario_passes_on_the_shipped_diagram(kuz, scenario: Scenario) -> None:  # type: ignore[no-untyped-def]
    scenario(kuz)


def test_the_curator_publication_scenario_passes_when_the_parameter_says_curator(kuz) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(kuz.db, SHIPPED, CURATOR_PUBLISHES)
    curator_publication_late(kuz)


@pytest.mark.parametrize("element, broken, scenario, edits", MUTANTS, ids=[f"{m[0]}-{m[1]}" for m in MUTANTS])
def test_a_mutant_of_the_rule_is_caught(kuz, element: str, broken: str, scenario: Scenario,  # type: ignore[no-untyped-def]
                                        edits: tuple[Edit, ...]) -> None:
    deploy_mutant(kuz.db, SHIPPED, *edits)
    with pytest.raises((AssertionError, Forbidden)):
        scenario(kuz)


def test_a_role_changed_without_its_lane_is_refused_at_deployment(kuz) -> None:  # type: ignore[no-untyped-def]
    from engine.deployment.deployer import deploy, library_forms
    from engine.errors import DeploymentError

    with kuz.db.session() as session, pytest.raises(DeploymentError, match="draft_answer"):
        deploy(session, [mutant(SHIPPED, groups("draft_answer", "curator"))], "analyst", extra_forms=library_forms())


def test_every_rule_of_the_diagram_has_a_mutant() -> None:
    assert rules_to_break(SHIPPED) - {(m[0], m[1]) for m in MUTANTS} == set()
