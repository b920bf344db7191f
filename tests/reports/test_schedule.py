"""Each act's addressees get their summary on schedule from the worker (issue 15), on the shipped
diagrams, a virtual clock and a real SMTP server on loopback:

* Orenburg п. 20 — «ежемесячно … представляет информацию заместителю министра»: on the first working
  day after November, at its opening, the deputy minister gets November's report in-app and by
  e-mail, once (a second pass sends nothing), frozen by the system;
* Kaluga п. 1.1 — «не реже одного раза в квартал … Губернатору»: the fourth quarter goes to the
  Governor on the first working day of January (after the New Year holidays), the third — over
  before the procedure served Kaluga — never;
* Kuzbass п. 25 — the Governor and the deputy governor supervising ЦУР, which compiles it;
  Smolensk п. 14 — the deputy governor supervising the curator's department;
* a council that adopted the municipal template — its supervisor, monthly (the municipal review);
* a mutant whose ``report.recipient`` names the Governor sends Orenburg's report to him instead, and
  one whose ``report.due`` is 2 working days sends it a day later.
"""
# ruff: noqa: F811 - the imported fixtures (smtp, kaluga) are the tests' parameters
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engine.calendar.workingtime import calendar_for_region
from engine.models import AuditEvent, Delivery, FrozenReport, Notification, User
from engine.reports import schedule
from engine.reports.frozen import report_view
from engine.runtime import timers
from tests.notifications.conftest import add_org, add_person, orenburg_recipients, smtp  # noqa: F401 - fixture
from tests.reports.support import answered_in_time, late_draft
from tests.scenario.mutants import deploy_mutant, prop
from tests.scenario.test_kaluga import kaluga  # noqa: F401 - the Kaluga fixture
from tests.scenario.test_kuzbass import kuzbass  # noqa: F401 - the Kuzbass fixture
from tests.scenario.test_municipal_template import install, people  # noqa: F401 - a council's fixture
from tests.scenario.test_smolensk import smolensk  # noqa: F401 - the Smolensk fixture


def _pass(case) -> None:  # type: ignore[no-untyped-def]
    """The worker's pass as ``otklik worker`` runs it: timers, then the console's jobs, then mail."""
    timers._pass(case.db, 5.0, timers.BATCH, {}, jobs=schedule.WORKER_JOBS)


def _told(case, key: str, period: str = "2025-11") -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Channel → who (login or address) the notifications of ``period``'s report for ``key`` reached."""
    found: dict[str, set[str]] = {}
    with case.db.session() as session:
        rows = session.execute(select(Delivery.channel, User.login, Delivery.address).join(Notification)
                               .outerjoin(User, User.id == Delivery.user_id)
                               .where(Notification.recipient == key, Notification.instance_id.is_(None),
                                      Notification.subject.contains(period)))
        for channel, login, address in rows:
            found.setdefault(channel, set()).add(login if channel == "in_app" else address)
    return found


def _reports(case, period: str = "2025-11") -> list[tuple[str, str, str, bool]]:  # type: ignore[no-untyped-def]
    with case.db.session() as session:
        return [(r.region, r.period, r.frozen_by, r.sent_at is not None)
                for r in session.scalars(select(FrozenReport).where(FrozenReport.period == period))]


def _mails(smtp, period: str = "2025-11", count: int = 1, seconds: float = 5.0) -> list:  # type: ignore[no-untyped-def]
    """The e-mails of ``period``'s report, once ``count`` of them arrived or ``seconds`` passed."""
    end = time.monotonic() + seconds
    while True:
        found = [m for m in smtp.handler.received if period in m.subject]
        if len(found) >= count or time.monotonic() > end:
            return found
        time.sleep(0.01)


@pytest.fixture
def orenburg_told(orenburg):  # type: ignore[no-untyped-def]
    with orenburg.db.session() as session:
        orenburg_recipients(session)
    return orenburg


def scenario_clause_20(case, smtp, addressee: str = "deputy_minister") -> None:  # type: ignore[no-untyped-def]
    """November's cases; on Monday 1 December at 09:00 (the first working day's opening, Orenburg
    time) November's report reaches ``addressee`` and only then, once. (October's went out on
    3 November: the procedure, deployed on 31 October, served its last day.)"""
    answered_in_time(case, 10)
    late_draft(case, 12)
    case.at("2025-11-30T23:00")
    _pass(case)
    case.at("2025-12-01T08:59")  # the month is over, its report not due yet (report.due = 1 working_days)
    _pass(case)
    assert _reports(case) == [] and _told(case, addressee) == {}
    case.at("2025-12-01T09:00")
    _pass(case)
    assert _reports(case) == [("orenburg", "2025-11", "system", True)]
    told = _told(case, addressee)
    assert told.get("in_app") == {addressee}
    [mail] = _mails(smtp)
    assert told.get("email") == set(mail.to)
    assert "2025-11" in mail.subject and "(п. 20)" in mail.subject
    assert "Сообщений: 2" in mail.body and "нарушений сроков акта: 1" in mail.body
    assert "https://otklik.example/reports?region=orenburg&period=2025-11" in mail.body
    assert "https://otklik.example/reports/export?region=orenburg&period=2025-11" in mail.body
    # Two more passes, a day apart: nothing is sent twice.
    case.at("2025-12-01T09:05")
    _pass(case)
    case.at("2025-12-02T09:05")
    _pass(case)
    assert len(_mails(smtp, count=2, seconds=0.3)) == 1
    with case.db.session() as session:
        assert len(session.scalars(select(Notification).where(Notification.subject.contains("2025-11"))).all()) == 1
        [sent] = [e for e in session.scalars(select(AuditEvent).where(AuditEvent.kind == "report_sent"))
                  if e.details["period"] == "2025-11"]
        assert sent.details["period"] == "2025-11" and sent.details["recipients"] == [addressee]


def test_clause_20_orenburg_deputy_minister_gets_the_monthly_report_once_on_the_first_working_day(
        orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    scenario_clause_20(orenburg_told, smtp)
    with orenburg_told.db.session() as session:  # the link opens for him: the report as it was sent
        view = report_view(session, "deputy_minister", "orenburg", "2025-11")
    assert view.frozen is not None and view.frozen.frozen_by == "system" and view.summary.messages == 2


def test_clause_20_a_mutant_addressee_changes_who_gets_it(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(orenburg_told.db, "bpmn/orenburg.bpmn", prop("orenburg", "report.recipient", "governor"))
    with pytest.raises(AssertionError):
        scenario_clause_20(orenburg_told, smtp)
    assert set(_told(orenburg_told, "governor")["in_app"]) == {"governor", "governor_office"}
    assert _told(orenburg_told, "deputy_minister") == {}


def test_clause_20_a_mutant_due_moment_changes_when(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    deploy_mutant(orenburg_told.db, "bpmn/orenburg.bpmn", prop("orenburg", "report.due", "2 working_days"))
    with pytest.raises(AssertionError):
        scenario_clause_20(orenburg_told, smtp)
    orenburg_told.at("2025-12-02T09:00")  # the second working day
    _pass(orenburg_told)
    assert _reports(orenburg_told) == [("orenburg", "2025-11", "system", True)]


def test_a_report_frozen_by_hand_is_the_one_sent(orenburg_told, smtp) -> None:  # type: ignore[no-untyped-def]
    from engine.reports.frozen import freeze_for

    answered_in_time(orenburg_told, 10)
    orenburg_told.at("2025-12-01T00:30")
    with orenburg_told.db.session() as session:
        freeze_for(session, "supervisor", "orenburg", "2025-11")
    orenburg_told.at("2025-12-01T09:00")
    _pass(orenburg_told)
    assert _reports(orenburg_told) == [("orenburg", "2025-11", "supervisor", True)]
    assert _told(orenburg_told, "deputy_minister")["in_app"] == {"deputy_minister"}


def test_a_failing_report_never_stops_the_timers(orenburg_told, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(_session, *_args):  # type: ignore[no-untyped-def]
        raise RuntimeError("summary broke")

    monkeypatch.setattr(schedule, "freeze", broken)
    orenburg_told.start(posted="2025-11-28T09:40", detected="2025-11-28T10:00")  # Friday: п. 6 routing 30 min
    orenburg_told.at("2025-12-01T09:00")
    _pass(orenburg_told)
    assert [v[0] for v in orenburg_told.violations()] == ["6"]  # the deadline fired, the report did not go
    assert _reports(orenburg_told) == []
    monkeypatch.undo()
    orenburg_told.at("2025-12-01T09:02")
    _pass(orenburg_told)  # the next check sends it
    assert _reports(orenburg_told) == [("orenburg", "2025-11", "system", True)]


def test_clause_1_1_kaluga_governor_gets_the_quarterly_report_after_the_new_year_holidays(kaluga, smtp) -> None:  # type: ignore[no-untyped-def]
    with kaluga.db.session() as session:
        add_org(session, "klg_governor", "administration", "kaluga", "Администрация Губернатора")
        add_person(session, "klg_governor", "klg_governor", "governor", "governor@klg.example")
    kaluga.at("2025-11-05T10:00")
    _pass(kaluga)
    assert _reports(kaluga, "2025-Q3") == []  # Q3 ended before the procedure served Kaluga (deployed 31 October)
    calendar = calendar_for_region("kaluga")
    first = next(datetime(2026, 1, 1) + timedelta(days=n) for n in range(31)
                 if calendar.working_periods((datetime(2026, 1, 1) + timedelta(days=n)).date()))
    assert first.date().day > 1  # 1 January is a holiday: the quarter's report waits for the first working day
    kaluga.clock.set(calendar.working_periods(first.date())[0][0] - timedelta(minutes=1))
    _pass(kaluga)
    assert _reports(kaluga, "2025-Q4") == []
    kaluga.clock.set(calendar.working_periods(first.date())[0][0])
    _pass(kaluga)
    assert _reports(kaluga, "2025-Q4") == [("kaluga", "2025-Q4", "system", True)]
    [mail] = _mails(smtp, "2025-Q4")
    assert mail.to == ["governor@klg.example"] and "2025-Q4" in mail.subject and "(п. 1.1)" in mail.subject
    assert _told(kaluga, "governor", "2025-Q4")["in_app"] == {"klg_governor"}


def test_clause_25_kuzbass_governor_and_the_deputy_governor_over_the_centre_get_it(kuzbass) -> None:  # type: ignore[no-untyped-def]
    """«докладывает информацию Губернатору» and «информирует заместителя Губернатора … (по внутренней
    политике)»: deputy_governor is the one supervising ЦУР, which compiles the report — not the deputy
    governor supervising an agency."""
    with kuzbass.db.session() as session:
        add_org(session, "kuz_governor", "administration", "kuzbass")
        add_person(session, "kuz_governor", "kuz_governor", "governor")
        add_person(session, "kuz_dg_policy", "kuz_cur", "deputy_governor")
        add_person(session, "kuz_dg_roads", "kuz_roads", "deputy_governor")
    kuzbass.at("2025-12-01T09:00")
    _pass(kuzbass)
    assert _reports(kuzbass) == [("kuzbass", "2025-11", "system", True)]
    assert _told(kuzbass, "governor") == {"in_app": {"kuz_governor"}}
    assert _told(kuzbass, "deputy_governor") == {"in_app": {"kuz_dg_policy"}}


def test_clause_14_smolensk_the_deputy_governor_over_the_department_gets_it(smolensk) -> None:  # type: ignore[no-untyped-def]
    """«Куратор ежемесячно … докладывает … заместителю Губернатора …, курирующему вопросы информационной
    политики»: the deputy governor supervising the curator's department, not one supervising an agency."""
    with smolensk.db.session() as session:
        add_person(session, "smo_dg_policy", "smo_dip", "deputy_governor")
        add_person(session, "smo_dg_roads", "smo_roads", "deputy_governor")
    smolensk.at("2025-12-01T08:59")
    _pass(smolensk)
    assert _reports(smolensk) == []
    smolensk.at("2025-12-01T09:00")
    _pass(smolensk)
    assert _reports(smolensk) == [("smolensk", "2025-11", "system", True)]
    assert _told(smolensk, "deputy_governor") == {"in_app": {"smo_dg_policy"}}


def test_the_municipal_review_goes_to_the_council_s_supervisor_monthly(people) -> None:  # type: ignore[no-untyped-def]
    """A council that adopted the municipal template gets the month's summary for its monthly review
    (Kaluga п. 3.4 «не реже одного раза в месяц рассмотрение на рабочих совещаниях»): to the
    supervisor of its administration, on the first working day of the next month."""
    install(people)
    people.at("2025-12-01T09:00")
    _pass(people)
    assert _reports(people) == [("kalmanka", "2025-11", "system", True)]
    assert _told(people, "supervisor") == {"in_app": {"kal_supervisor"}}


def test_a_report_that_reached_nobody_is_sent_again_from_the_console(orenburg, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No deputy minister granted on 1 December: the notification is kept as «no recipient» for the
    administrators; once the role is granted, ``otklik report --send`` sends the frozen report again."""
    from click.testing import CliRunner

    from engine.cli.main import main
    from engine.models.notification import NO_RECIPIENT

    orenburg.at("2025-12-01T09:00")
    _pass(orenburg)
    with orenburg.db.session() as session:
        [note] = session.scalars(select(Notification).where(Notification.subject.contains("2025-11")))
        assert note.recipient == "deputy_minister" and note.status == NO_RECIPIENT
        add_person(session, "deputy_minister", "orb_minpolicy", "deputy_minister")
    monkeypatch.setenv("OTKLIK_DATABASE_URL", orenburg.db.engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(main, ["report", "--region", "orenburg", "--period", "2025-11", "--send"])
    assert result.exit_code == 0, result.output
    assert "sent to: deputy_minister" in result.output
    assert _told(orenburg, "deputy_minister") == {"in_app": {"deputy_minister"}}
    assert _reports(orenburg) == [("orenburg", "2025-11", "system", True)]  # the same frozen report
    refused = CliRunner().invoke(main, ["report", "--region", "orenburg", "--period", "2025-12", "--send"])
    assert refused.exit_code == 2 and "2025-12" in refused.output  # not over yet
