"""The message card reads the answer through the diagram's declarations (answer.*), whatever the
procedure calls its variables: a case closed by publishing shows «Размещён: да» in every region,
a case still waiting shows «нет»; the kind is labelled by the form that sets it; a joint answer
shows each agency's part (answer.part)."""
from __future__ import annotations

import pytest

from engine.views.message_card import message_card
from tests.scenario.driver import Case
from tests.scenario.test_kalmanka import CLERK, OFFICIAL, REGISTER, kalmanka  # noqa: F401 - fixture
from tests.scenario.test_orenburg import EXEC as ORB_EXEC
from tests.scenario.test_orenburg import ROUTE as ORB_ROUTE
from tests.scenario.test_smolensk import accept, begin, smolensk  # noqa: F401 - fixture

URL = "https://vk.com/wall-1_1?reply=2"


@pytest.fixture
def smo(db, request):  # type: ignore[no-untyped-def]
    """The Smolensk scenario driver (tests/scenario/test_smolensk.py's fixture), on each database."""
    return request.getfixturevalue("smolensk")


@pytest.fixture
def kal(db, request):  # type: ignore[no-untyped-def]
    """The Kalmanka scenario driver (tests/scenario/test_kalmanka.py's fixture), on each database."""
    return request.getfixturevalue("kalmanka")


def _card(case: Case, login: str):  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        return message_card(session, case.message().id, login)


def test_smolensk_published_by_the_curators_decision(smo) -> None:  # type: ignore[no-untyped-def]
    begin(smo)
    accept(smo)
    smo.complete("draft_answer", "exec_smo_roads", {"answer_kind": "answer", "answer_text": "Яму засыплют."})
    assert _card(smo, "curator").answer.is_published is False
    smo.complete("review_answer", "curator", {"decision": "rework", "comment": "Укажите срок."})
    assert _card(smo, "curator").answer.is_published is False
    smo.complete("rework_answer", "exec_smo_roads", {"answer_kind": "answer", "answer_text": "Засыплют 20.11."})
    smo.complete("review_answer", "curator", {"decision": "publish", "answer_url": URL})
    assert smo.instance().status == "completed"
    answer = _card(smo, "curator").answer
    assert (answer.is_published, answer.text, answer.url) == (True, "Засыплют 20.11.", URL)
    assert answer.kind == "answer" and answer.kind_label  # labelled by the draft form's options


def test_smolensk_joint_answer_is_published_and_shows_the_parts(smo) -> None:  # type: ignore[no-untyped-def]
    begin(smo, co_agencies=["smo_edu"])
    accept(smo)
    smo.complete("prepare_own_part", "exec_smo_roads", {"part_text": "Яма будет отремонтирована"})
    smo.complete("prepare_part", "exec_smo_edu", {"part_text": "Школа предупреждена"}, "smo_edu")
    smo.complete("compose_joint_answer", "curator", {"answer_text": "Общий ответ", "answer_url": URL})
    card = _card(smo, "curator")
    assert card.answer.is_published is True
    assert sorted((p.organisation_key, p.text) for p in card.parts) == [
        ("smo_edu", "Школа предупреждена"), ("smo_roads", "Яма будет отремонтирована")]


def test_kalmanka_published_by_the_authorized_official(kal) -> None:  # type: ignore[no-untyped-def]
    kal.start(posted="2025-11-10T09:30", detected="2025-11-10T10:00")
    kal.complete("send_to_reception", OFFICIAL, {"category": "ordinary"})
    kal.complete("register_at_reception", CLERK, REGISTER)
    kal.complete("draft_answer", "exec_kal_roads", {"answer_kind": "answer", "answer_text": "Засыплют."})
    assert _card(kal, OFFICIAL).answer.is_published is False
    kal.complete("review_answer", OFFICIAL, {"decision": "publish", "answer_url": URL})
    assert kal.instance().status == "completed"
    assert _card(kal, OFFICIAL).answer.is_published is True


def test_orenburg_published_by_the_executors_checkbox(orenburg) -> None:  # type: ignore[no-untyped-def]
    orenburg.start(posted="2025-11-10T09:40", detected="2025-11-10T10:00")
    orenburg.complete("route_message", "curator", ORB_ROUTE)
    orenburg.complete("accept_message", ORB_EXEC, {"competent": True})
    orenburg.complete("draft_answer", ORB_EXEC, {"answer_kind": "answer", "answer_text": "Засыплют."})
    orenburg.complete("approve_answer", "curator", {"decision": "approve"})
    assert _card(orenburg, "curator").answer.is_published is False
    orenburg.complete("publish_answer", ORB_EXEC, {"published": True, "answer_url": URL})
    answer = _card(orenburg, "curator").answer
    assert (answer.is_published, answer.text, answer.url) == (True, "Засыплют.", URL)
