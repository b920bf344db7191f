"""Repeat messages (Orenburg п. 15, Kalmanka п. 9): the curator is shown an earlier message of the
same author or on the same issue WITH its answer, confirms «повтор сообщения № N», and the answer to
the repeat must then report the measures taken or the progress — a rule the diagram and the draft
form state (``var.repeat_measures``, the ``measures`` field's condition on ``repeat_of_id``), so a
mutant of either is caught here. SQLite and PostgreSQL (the ``db`` fixture)."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree
from sqlalchemy import select

from engine.bpmn.namespaces import NS
from engine.deployment.deployer import Source, deploy, library_forms
from engine.errors import Conflict, Forbidden, InvalidSubmission, NotFound
from engine.models import AuditEvent, Instance, Message, Task
from engine.runtime import repeats, store
from engine.runtime.cases import MessageInput, start_procedure
from engine.spiff.script_engine import case_variables
from engine.texts import language
from engine.views.message_card import message_card
from engine.views.repeats import repeat_panel
from engine.views.task import task_view
from tests.factories import official, organisation
from tests.scenario.driver import Case
from tests.scenario.mutants import mutant
from tests.scenario.test_kalmanka import (
    CLERK,
    OFFICIAL,
    REGISTER,
    kalmanka,  # noqa: F401 - the fixture
)
from tests.scenario.test_kalmanka import DRAFT as KAL_DRAFT
from tests.scenario.test_kalmanka import EXEC as KAL_EXEC
from tests.scenario.test_kalmanka import PUBLISH as KAL_PUBLISH
from tests.scenario.test_orenburg import DRAFT, EXEC, PUBLISH, ROUTE

FIRST = "Яма на дороге у школы №5 на улице Советской, машины ломают колёса, когда отремонтируют?"
AGAIN = "Опять яма на дороге у школы №5 на Советской, уже месяц никто не ремонтирует, колёса ломаем"
MEASURES = "Подрядчик выйдет на объект 12.11, яма будет заделана литым асфальтом."


def answered_earlier(case: Case) -> int:
    """An Orenburg message routed, answered and published on Monday 10.11.2025; its number."""
    case.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00", text=FIRST)
    case.at("2025-11-10T10:10")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-10T12:00")
    case.complete("draft_answer", EXEC, DRAFT)
    case.complete("approve_answer", "curator", {"decision": "approve"})
    case.complete("publish_answer", EXEC, PUBLISH)
    assert case.instance().status == "completed"
    return case.message().id


def again(case: Case, text: str = AGAIN, day: str = "2025-11-24") -> Case:
    """A later message of the same author (the driver's) in the same territory, not yet routed."""
    later = Case(case.db, case.clock, case.region, str(case.tz))
    later.start(posted=f"{day}T09:40", detected=f"{day}T10:00", text=text)
    return later


def panel(case: Case, login: str = "curator"):  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        return repeat_panel(session, session.get_one(Message, case.message().id), login)


def confirm(case: Case, earlier: int, login: str = "curator") -> None:
    with case.db.session() as session:
        repeats.confirm(session, case.message().id, earlier, login)


def variable(case: Case) -> object:
    with case.db.session() as session:
        return case_variables(store.load_for_reading(session, session.get_one(Instance, case.instance_id))) \
            .get("repeat_of_id")


def route_and_accept(case: Case) -> None:
    case.at("2025-11-24T10:10")
    case.complete("route_message", "curator", ROUTE)
    case.complete("accept_message", EXEC, {"competent": True})
    case.at("2025-11-24T12:00")


def scenario_clause_15(orenburg: Case) -> None:
    """The curator confirms the repeat; the draft without the measures is refused, with them it goes on."""
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    confirm(later, earlier)
    route_and_accept(later)
    with pytest.raises(InvalidSubmission) as error:
        later.complete("draft_answer", EXEC, DRAFT)
    assert "measures" in error.value.errors
    later.complete("draft_answer", EXEC, {**DRAFT, "measures": MEASURES})
    assert later.open_elements() == ["approve_answer"]


# ---- Orenburg п. 15 -------------------------------------------------------------------------------

def test_clause_15_the_curator_sees_the_earlier_message_with_its_answer(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    shown = panel(later)
    assert shown.handled and shown.clause == "15" and shown.window_days == 90 and shown.may_mark
    [suggested] = shown.suggestions
    assert suggested.message.id == earlier
    assert suggested.answer.text == DRAFT["answer_text"] and suggested.answer.is_published
    assert suggested.answer.url == PUBLISH["answer_url"]
    assert suggested.agency_name is not None and suggested.message.status == "closed"
    assert {r.render("ru") for r in suggested.reasons} >= {"тот же автор в той же сети"}
    assert shown.confirmed is None


def test_clause_15_confirming_sets_the_link_the_case_variable_and_the_history(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    confirm(later, earlier)
    assert later.message().repeat_of_id == earlier
    assert variable(later) == earlier
    assert "repeat_confirmed" in later.audit_kinds()
    with later.db.session() as session, language("ru"):
        card = message_card(session, later.message().id, "curator")
    entry = next(e for e in card.timeline if e.kind == "repeat_confirmed")
    assert entry.title == f"повтор сообщения № {earlier}" and entry.who
    assert card.repeats is not None and card.repeats.confirmed is not None
    assert card.repeats.confirmed.message.id == earlier and card.repeats.suggestions == ()
    confirm(later, earlier)  # a second click records nothing new
    assert later.audit_kinds().count("repeat_confirmed") == 1


def test_clause_15_the_answer_to_a_confirmed_repeat_reports_the_measures(orenburg) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_15(orenburg)


def test_clause_15_without_a_repeat_no_measures_are_asked(orenburg) -> None:  # type: ignore[no-untyped-def]
    answered_earlier(orenburg)
    later = again(orenburg)
    route_and_accept(later)
    later.complete("draft_answer", EXEC, DRAFT)
    assert later.open_elements() == ["approve_answer"]


def test_clause_15_the_executor_s_task_page_shows_the_earlier_message_and_answer(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    confirm(later, earlier)
    route_and_accept(later)
    with later.db.session() as session:
        view = task_view(session, later.task("draft_answer").id, EXEC)
    assert view.repeats is not None and view.repeats.confirmed is not None
    assert view.repeats.confirmed.answer.text == DRAFT["answer_text"]
    assert not view.repeats.may_mark and view.repeats.suggestions == ()  # an executor only reads it
    assert "field_measures" not in view.hidden and view.context["repeat_of_id"] == earlier


def test_clause_15_a_confirmation_after_routing_applies_to_the_drafts_to_come(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    route_and_accept(later)
    confirm(later, earlier)  # the curator notices it at the executor's draft step: still allowed
    with pytest.raises(InvalidSubmission):
        later.complete("draft_answer", EXEC, DRAFT)


def test_clause_15_dismissing_hides_the_suggestion_and_undoes_a_confirmation(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    confirm(later, earlier)
    with later.db.session() as session:
        repeats.dismiss(session, later.message().id, earlier, "curator")
    assert later.message().repeat_of_id is None and variable(later) is None
    assert panel(later).suggestions == ()  # dismissed: not suggested again
    route_and_accept(later)
    later.complete("draft_answer", EXEC, DRAFT)  # no longer a repeat: no measures asked


def test_clause_15_only_the_territory_s_curator_marks_and_only_while_the_answer_is_out(orenburg, db) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    with db.session() as session:
        other = organisation(session, "smo_dip", "curator", "smolensk", "Департамент (Смоленск)")
        official(session, "smo_curator", other, "curator")
    with pytest.raises(NotFound):  # the executor does not see a message not yet sent to the agency
        confirm(later, earlier, EXEC)
    route_and_accept(later)
    assert not panel(later, EXEC).may_mark and panel(later, EXEC).suggestions == ()
    with pytest.raises(Forbidden):  # sees it now, but only the curator marks repeats
        confirm(later, earlier, EXEC)
    with pytest.raises(NotFound):  # another territory's curator does not even see it
        confirm(later, earlier, "smo_curator")
    with pytest.raises(Conflict):
        confirm(orenburg, earlier)  # the earlier case itself has ended
    with pytest.raises(InvalidSubmission) as refused:
        confirm(later, later.message().id)  # not an earlier message
    assert "earlier" in refused.value.errors
    with pytest.raises(InvalidSubmission):
        confirm(later, 10**9)


# ---- candidates: bounded, by author, by text, by territory and window ------------------------------

def _message(db, clock, region: str, text: str, author: str, at: str,  # type: ignore[no-untyped-def]
             tz: str = "Asia/Yekaterinburg", network: str = "vk") -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo
    when = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo(tz))
    clock.set(when)
    with db.session() as session:
        return start_procedure(session, MessageInput(region=region, network=network, url="https://vk.com/wall-1_2",
                                                     author=author, text=text, posted_at=when, detected_at=when),
                               "curator").message_id


def test_candidates_same_author_similar_text_territory_and_window(orenburg, db, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import deploy_files
    with db.session() as session:
        deploy_files(session, "bpmn/smolensk.bpmn")
    too_old = _message(db, virtual_clock, "orenburg", FIRST, "Мария Ильина", "2025-07-01T10:00")
    by_author = _message(db, virtual_clock, "orenburg", "В поликлинике №3 очередь с утра", "Мария Ильина", "2025-11-03T10:00")
    same_issue = _message(db, virtual_clock, "orenburg", FIRST, "Пётр Соколов", "2025-11-03T10:05")
    unrelated = _message(db, virtual_clock, "orenburg", "Спасибо за новый сквер у библиотеки", "Анна Зайцева", "2025-11-03T10:10")
    elsewhere = _message(db, virtual_clock, "smolensk", FIRST, "Мария Ильина", "2025-11-03T10:15", tz="Europe/Moscow")
    other_network = _message(db, virtual_clock, "orenburg", "Про концерт в субботу", "Мария Ильина", "2025-11-03T10:20",
                             network="ok")
    latest = _message(db, virtual_clock, "orenburg", AGAIN, "Мария Ильина", "2025-11-24T10:00")
    with db.session() as session:
        message = session.get_one(Message, latest)
        rule = repeats.marking(session, message, "curator").rule
        assert rule is not None and rule.window_days == 90
        found = {c.message_id: c for c in repeats.candidates(session, message, rule)}
    assert set(found) == {by_author, same_issue}, found
    assert found[by_author].same_author and not found[same_issue].same_author
    assert found[same_issue].score >= repeats.SIMILAR
    assert {too_old, unrelated, elsewhere, other_network}.isdisjoint(found)


def test_candidates_are_bounded(orenburg, db, virtual_clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = _message(db, virtual_clock, "orenburg", FIRST, "Пётр Соколов", "2025-11-03T10:00")
    for n in range(4):
        _message(db, virtual_clock, "orenburg", f"Другое сообщение {n} про концерт", f"Автор {n}", f"2025-11-03T10:0{n + 1}")
    for n in range(7):
        _message(db, virtual_clock, "orenburg", FIRST + f" ({n})", f"Житель {n}", f"2025-11-03T10:1{n}")
    latest = _message(db, virtual_clock, "orenburg", AGAIN, "Мария Ильина", "2025-11-03T10:30")
    monkeypatch.setattr(repeats, "SCANNED", 4)  # only the 4 newest are compared by text
    with db.session() as session:
        message = session.get_one(Message, latest)
        rule = repeats.marking(session, message, "curator").rule
        assert rule is not None
        found = repeats.candidates(session, message, rule)
    assert len(found) == 4 and old not in {c.message_id for c in found}  # the 4 newest alike, not the oldest
    monkeypatch.setattr(repeats, "SCANNED", 500)
    with db.session() as session:
        found = repeats.candidates(session, session.get_one(Message, latest), rule)
    assert len(found) == repeats.SHOWN  # 8 alike, 5 shown


def test_a_message_from_the_intake_api_also_gets_suggestions(orenburg, db) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from engine.runtime import intake
    earlier = answered_earlier(orenburg)
    orenburg.at("2025-11-24T10:00")
    detected = datetime.fromisoformat("2025-11-24T10:00:00+05:00")
    incoming = intake.Incoming(MessageInput(
        region="orenburg", network="vk", url="https://vk.com/wall-1_9", author="Иван Петров", text=AGAIN,
        posted_at=detected, detected_at=detected, source="monitoring", source_id="post-9"))
    with db.session() as session:
        taken = intake.take(session, incoming, "curator")
    with db.session() as session:
        message = session.get_one(Message, taken.message_id)
        shown = repeat_panel(session, message, "curator")
        task = next(t for t in session.scalars(select(Task).where(Task.message_id == message.id)))
        view = task_view(session, task.id, "curator")  # the curator's routing task shows them too
    assert [e.message.id for e in shown.suggestions] == [earlier]
    assert view.repeats is not None and [e.message.id for e in view.repeats.suggestions] == [earlier]


# ---- the rule is the diagram's and the form's: mutants are caught -----------------------------------

def _without_process_property(name: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        process = root.find("bpmn:process", NS)
        assert process is not None
        for item in process.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS):
            if item.get("name") == name:
                item.getparent().remove(item)
                return
        raise LookupError(f"the process has no property {name!r}")
    return edit


def _form(name: str, change: Callable[[str], str]) -> Source:
    [shipped] = [f for f in library_forms() if f.name.endswith(f"{name}.form")]
    text = shipped.data.decode("utf-8")
    changed = change(text)
    assert changed != text, "the form mutant changed nothing"
    return Source(shipped.name, changed.encode("utf-8"))


MUTANTS = {
    "diagram without var.repeat_measures": (_without_process_property("var.repeat_measures"), None),
    "measures no longer required": (None, lambda s: s.replace('"required": true,\n        "maxLength": 4000\n      },\n'
                                                          '      "conditional": {\n        "hide": "=category != \\"repeat\\" and',
                                                          '"required": false,\n        "maxLength": 4000\n      },\n'
                                                          '      "conditional": {\n        "hide": "=category != \\"repeat\\" and')),
    "measures shown only for the routing category": (None, lambda s: s.replace(
        ' and (repeat_of_id = null or repeat_measures != true)', '')),
}


def test_scenario_holds_on_the_shipped_diagram_and_forms(orenburg) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_15(orenburg)


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_clause_15_mutant_is_caught(orenburg, name: str) -> None:  # type: ignore[no-untyped-def]
    edit, form_change = MUTANTS[name]
    diagram = mutant("bpmn/orenburg.bpmn", *([edit] if edit else []))
    forms = [f for f in library_forms() if not f.name.endswith("draft_answer.form")]
    forms.append(_form("draft_answer", form_change) if form_change else
                 next(f for f in library_forms() if f.name.endswith("draft_answer.form")))
    with orenburg.db.session() as session:
        [result] = deploy(session, [diagram], "analyst", extra_forms=forms)
    assert result.created
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        scenario_clause_15(orenburg)


# ---- Kalmanka п. 9 ----------------------------------------------------------------------------------

def test_clause_9_kalmanka_repeat_confirmed_then_the_answer_reports_measures(kalmanka) -> None:  # type: ignore[no-untyped-def] # noqa: F811
    kalmanka.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00", text=FIRST)
    kalmanka.at("2025-11-10T10:20")
    kalmanka.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})
    kalmanka.complete("register_at_reception", CLERK, REGISTER)
    kalmanka.complete("draft_answer", KAL_EXEC, KAL_DRAFT)
    kalmanka.complete("review_answer", OFFICIAL, KAL_PUBLISH)
    earlier = kalmanka.message().id
    later = again(kalmanka, day="2025-11-17")
    shown = panel(later, OFFICIAL)
    assert shown.clause == "9" and [e.message.id for e in shown.suggestions] == [earlier]
    assert shown.suggestions[0].answer.text == KAL_DRAFT["answer_text"]
    confirm(later, earlier, OFFICIAL)
    later.at("2025-11-17T10:20")
    later.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})
    later.complete("register_at_reception", CLERK, REGISTER)
    with pytest.raises(InvalidSubmission) as error:
        later.complete("draft_answer", KAL_EXEC, KAL_DRAFT)
    assert "measures" in error.value.errors
    later.complete("draft_answer", KAL_EXEC, {**KAL_DRAFT, "measures": MEASURES})
    later.complete("review_answer", OFFICIAL, KAL_PUBLISH)
    assert later.instance().status == "completed"
    with later.db.session() as session:
        assert session.scalars(select(AuditEvent.kind).where(AuditEvent.kind == "repeat_confirmed")).all()


def test_task_pages_suggest_on_the_first_step_only_the_card_always(orenburg) -> None:  # type: ignore[no-untyped-def]
    earlier = answered_earlier(orenburg)
    later = again(orenburg)
    routing_id = later.task("route_message").id
    with later.db.session() as session:
        routing = task_view(session, routing_id, "curator")
        assert [e.message.id for e in routing.repeats.suggestions] == [earlier]  # type: ignore[union-attr]
    route_and_accept(later)
    later.complete("draft_answer", EXEC, DRAFT)
    approval_id, message_id = later.task("approve_answer").id, later.message().id
    with later.db.session() as session:
        approval = task_view(session, approval_id, "curator")
        card = message_card(session, message_id, "curator")
        assert approval.repeats is not None and approval.repeats.is_empty  # the draft stays in view
        assert card.repeats is not None and [e.message.id for e in card.repeats.suggestions] == [earlier]
