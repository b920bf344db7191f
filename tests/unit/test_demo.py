"""The demo seed (idempotent, one official per role) and `otklik users / orgs / demo`."""
from __future__ import annotations

import functools
import stat
from datetime import UTC

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from engine import clock
from engine.calendar.regions import get_region
from engine.cli.main import main
from engine.demo import seed as demo
from engine.directory import access
from engine.directory import officials as directory
from engine.models import Membership, Organisation, Substitution, User

fast_hash = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")


def _counts(session) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Organisation, User, Membership, Substitution))


def test_seed_is_idempotent_and_yields_every_role(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    logins_file = tmp_path / "instance" / "demo-logins.txt"
    with db.session() as session:
        first = demo.seed(session, fast_hash, check_password_hash, logins_file)
    with db.session() as session:
        counts = _counts(session)
        second = demo.seed(session, fast_hash, check_password_hash, logins_file)
    with db.session() as session:
        assert _counts(session) == counts == (24, 52, 58, 1)  # + smo_dg_policy, kuz_dg in ЦУР (report.recipient)
        assert first == second and all(item.password for item in first)  # the same passwords printed again
        assert stat.S_IMODE(logins_file.stat().st_mode) == 0o600
        assert demo.read_logins(logins_file) == {item.login: item.password for item in first}
        for item in first:  # stored hashed, never in clear
            stored = directory.user(session, item.login).password_hash
            assert item.password not in stored and check_password_hash(stored, item.password)

        roles = {login: sorted((r.role, r.organisation_key) for r in directory.roles_of(session, login))
                 for login, *_ in demo.OFFICIALS}
        assert {login: found for login, found in roles.items() if not login.startswith(("smo_", "kuz_", "klg_", "kal_", "ber_"))} == {
            "admin": [("admin", "orb_minpolicy")], "curator": [("curator", "orb_minpolicy")],
            "analyst": [("analyst", "orb_minpolicy")],
            "supervisor": [("supervisor", "orb_minpolicy")],
            "exec_health": [("executor", "orb_health")], "exec_housing": [("executor", "orb_housing")],
            "exec_roads": [("executor", "orb_roads")], "deputy_health": [("executor", "orb_health")],  # only while standing in (п. 5)
            # Those the act orders to be told (issue 15): п. 21, п. 20, п. 19.
            "governor": [("governor", "orb_governor")], "governor_office": [("governor_office", "orb_governor")],
            "deputy_minister": [("deputy_minister", "orb_minpolicy")], "head_health": [("agency_head", "orb_health")],
            "head_housing": [("agency_head", "orb_housing")], "head_roads": [("agency_head", "orb_roads")],
            "regulator": sorted(("regulator", org) for org in ("orb_minpolicy", "smo_dip", "kuz_cur", "klg_admin", "kal_admin",
                                                                 "ber_admin"))}
        # Each region's procedure has someone for every lane it draws.
        assert roles["klg_deputy_roads"] == [("deputy_head", "klg_roads")]
        assert roles["kal_reception"] == [("reception", "kal_reception")]
        assert roles["smo_curator"] == [("curator", "smo_dip")]
        assert roles["kuz_dg"] == [("deputy_governor", "kuz_cur"), ("deputy_governor", "kuz_health"),
                                   ("deputy_governor", "kuz_roads")]
        assert directory.user(session, "head_roads").email == "head_roads@otklik.example"
        assert directory.organisation(session, "orb_umvd").email == "umvd@orenburg.otklik.example"
        # An analyst per region deploys its diagrams (issue 13): "analyst" for Orenburg, prefixed elsewhere.
        assert {login: found for login, found in roles.items() if login.endswith("analyst")} == {
            "analyst": [("analyst", "orb_minpolicy")], "smo_analyst": [("analyst", "smo_dip")],
            "kuz_analyst": [("analyst", "kuz_cur")], "klg_analyst": [("analyst", "klg_admin")],
            "kal_analyst": [("analyst", "kal_admin")], "ber_analyst": [("analyst", "ber_admin")]}
        assert directory.organisation(session, "orb_minpolicy").kind == "curator"
        assert {o.region for o in directory.organisations(session)} == {"orenburg", "smolensk", "kuzbass", "kaluga", "kalmanka",
                                                                        "berezovka"}
        # The village council is territory data, in Altai's zone (engine.demo.municipality); with no
        # template deployed yet it has people but no procedure.
        council = get_region("berezovka")
        assert (council.kind, council.parent, council.timezone) == ("municipality", "altai", "Asia/Barnaul")
        assert roles["ber_exec"] == [("executor", "ber_works")]
        # Orenburg п. 5: this month the deputy acts for the Minzdrav executor.
        grants = access.grants(session, "deputy_health", clock.now())
        assert [(g.role, g.organisation_key, g.on_behalf_of) for g in grants] == [
            ("executor", "orb_health", "exec_health")]


def test_a_password_changed_since_seeding_is_not_printed(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    logins_file = tmp_path / "demo-logins.txt"
    with db.session() as session:
        demo.seed(session, fast_hash, check_password_hash, logins_file)
        directory.set_password_hash(session, "curator", fast_hash("a secret of the curator"), "test")
    with db.session() as session:
        again = {item.login: item.password for item in demo.seed(session, fast_hash, check_password_hash, logins_file)}
    assert again["curator"] is None and again["admin"]


def test_month_bounds_are_local_midnights() -> None:
    from datetime import datetime

    start, end = demo.month_bounds(datetime(2025, 12, 31, 20, 0, tzinfo=UTC), "Asia/Yekaterinburg")
    assert (start.isoformat(), end.isoformat()) == ("2026-01-01T00:00:00+05:00", "2026-02-01T00:00:00+05:00")


@pytest.fixture
def cli(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    monkeypatch.setenv("OTKLIK_INSTANCE_DIR", str(tmp_path / "instance"))
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(main, list(args), input=stdin)

    return run


def test_cli_users_add_grant_list(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("orgs", "add", "orb_health", "--name", "Минздрав", "--kind", "agency", "--region", "orenburg").exit_code == 0
    assert "orb_health" in cli("orgs", "list", "--region", "orenburg").output
    result = cli("users", "add", "ivanova", "--name", "Иванова Ольга", "--password-stdin", stdin="long password 1\n")
    assert result.exit_code == 0, result.output
    result = cli("users", "grant", "ivanova", "orb_health", "executor", "--from", "2025-01-01", "--to", "2099-12-31")
    assert result.exit_code == 0, result.output
    listed = cli("users", "list").output
    assert "ivanova" in listed and "Иванова Ольга" in listed and "executor@orb_health" in listed
    assert cli("users", "add", "petrov", "--name", "Петров").exit_code == 0  # no password yet
    assert cli("users", "passwd", "petrov", "--password-stdin", stdin="another long one\n").exit_code == 0
    result = cli("users", "substitute", "ivanova", "petrov", "--from", "2025-11-03", "--to", "2025-11-14")
    assert result.exit_code == 0 and "2025-11-15T00:00+05:00" in result.output  # --to includes its day
    # The list shows current and future substitutions (the one above ended in 2025, on the real clock).
    assert cli("users", "substitute", "ivanova", "petrov", "--from", "2098-01-05", "--to", "2098-01-09").exit_code == 0
    listed = cli("users", "substitutions", "--login", "petrov")
    assert listed.exit_code == 0 and "petrov stands in for ivanova from 2098-01-05T00:00+05:00" in listed.output
    assert len(listed.output.splitlines()) == 1
    substitution_id = listed.output.split()[0]
    assert cli("users", "unsubstitute", substitution_id).output == f"substitution {substitution_id} removed\n"
    assert cli("users", "substitutions").output == ""
    assert cli("users", "revoke", "ivanova", "orb_health", "executor").exit_code == 0
    assert "executor@orb_health" not in cli("users", "list").output

    from engine.db.database import Database

    database = Database()
    with database.session() as session:
        assert check_password_hash(directory.user(session, "ivanova").password_hash, "long password 1")
        assert check_password_hash(directory.user(session, "petrov").password_hash, "another long one")
    database.engine.dispose()


@pytest.mark.parametrize("args, stdin, says", [
    (("users", "add", "ivanova", "--name", "X", "--password-stdin"), "short\n", "at least 10 characters"),
    (("users", "add", "Not A Login", "--name", "X"), None, "login 'Not A Login'"),
    (("users", "grant", "curator", "orb_minpolicy", "chief"), None, "unknown role 'chief'"),
    (("users", "grant", "curator", "orb_nowhere", "executor"), None, "organisation 'orb_nowhere' does not exist"),
    (("users", "grant", "nobody", "orb_minpolicy", "executor"), None, "official 'nobody' does not exist"),
    (("users", "grant", "curator", "orb_minpolicy", "executor", "--from", "2025-13-01"), None, "not a date"),
    (("users", "substitute", "curator", "curator", "--from", "2025-11-01", "--to", "2025-11-02"), None,
     "cannot substitute for themselves"),
    (("users", "substitute", "curator", "admin", "--from", "2025-11-05", "--to", "2025-11-01"), None,
     "must end after it starts"),
    (("users", "revoke", "curator", "orb_minpolicy", "executor"), None, "holds no role 'executor'"),
    (("users", "unsubstitute", "999"), None, "substitution 999 does not exist"),
    (("users", "add", "curator", "--name", "Again"), None, "login 'curator' is taken"),
    (("orgs", "add", "orb_x", "--name", "X", "--kind", "agency", "--region", "mars"), None, "unknown region 'mars'"),
    (("orgs", "add", "orb_x", "--name", "X", "--kind", "ministry", "--region", "orenburg"), None, "unknown kind"),
    (("orgs", "list", "--region", "mars"), None, "unknown region 'mars'"),
])
def test_cli_bad_input_exits_2(cli, args, stdin, says) -> None:  # type: ignore[no-untyped-def]
    from engine.db.database import Database, upgrade

    database = Database()
    upgrade(database.engine)
    with database.session() as session:
        directory.create_organisation(session, "orb_minpolicy", "Министерство", "curator", "orenburg", "test")
        for login in ("curator", "admin"):
            directory.create_user(session, login, login, None, "test")
            directory.grant_role(session, login, "orb_minpolicy", login, "test")
    database.engine.dispose()
    result = cli(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output


def test_cli_demo_prints_the_same_logins_twice(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = cli("demo"), cli("demo")
    assert first.exit_code == second.exit_code == 0
    assert "DEMO" in first.output and "exec_health" in first.output and "deputy_health" in first.output
    passwords = demo.read_logins(tmp_path / "instance" / "demo-logins.txt")
    assert passwords["admin"] in first.output and passwords["admin"] in second.output


def test_the_council_s_choices_and_the_next_template_version_follow_the_declarations() -> None:
    """engine.demo.municipality names no parameter: its choices and the template's next version
    follow from the declared types, so the demo shows the flow for whatever template is deployed."""
    from engine.bpmn.reader import read_diagram
    from engine.bpmn.template_parameters import declared_parameters
    from engine.demo import municipality
    from tests.factories import ROOT

    xml = (ROOT / "bpmn" / "templates" / "municipal.bpmn").read_text(encoding="utf-8")
    parameters, problems = declared_parameters(read_diagram(xml).properties)
    assert not problems
    chosen = municipality.council_values(parameters)
    by_name = {p.name: p for p in parameters}
    for name, value in chosen.items():
        parameter = by_name[name]
        assert value != parameter.default and parameter.type in ("hours", "boolean", "choice")
        if parameter.type == "hours":
            assert int(value) == 2 * int(parameter.default)
        if parameter.type == "choice":
            assert value in parameter.choices
    assert {p.type for p in parameters if p.name in chosen} == {"hours", "boolean", "choice"}

    following = read_diagram(municipality.next_version(xml, parameters))
    after, problems = declared_parameters(following.properties)
    assert not problems
    new_name, _attributes, new_default = municipality.NEW_PARAMETER
    assert [p.name for p in after] == [p.name for p in parameters] + [new_name]
    before_values, after_values = read_diagram(xml).variables, following.variables
    changed = {n: (before_values.get(n), v) for n, v in after_values.items() if before_values.get(n) != v}
    first_days = next(p for p in parameters if p.type == "days")
    assert changed == {first_days.name: (first_days.default, str(int(first_days.default) + 1)),
                       new_name: (None, new_default)}
