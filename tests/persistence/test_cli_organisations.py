"""`otklik orgs rename | remove | restore`: the organisation page's actions from the console."""
from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from engine import clock
from engine.cli.main import main
from engine.db.database import Database, upgrade
from engine.directory import officials as directory


@pytest.fixture
def database_url(tmp_path, monkeypatch, virtual_clock):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        directory.create_organisation(session, "orb_helth", "Минздрав (опечатка)", "agency", "orenburg", "t")
        directory.create_organisation(session, "orb_old", "Упразднённое ведомство", "agency", "orenburg", "t")
        directory.create_user(session, "ivanova", "Иванова", None, "t")
        now = clock.now()
        directory.grant_role(session, "ivanova", "orb_old", "executor", "t", valid_from=now - timedelta(days=60),
                             valid_to=now - timedelta(days=30))
    database.engine.dispose()
    monkeypatch.setenv("OTKLIK_DATABASE_URL", url)
    return url


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["orgs", *args])


def test_rename_remove_restore_from_the_console(database_url) -> None:  # type: ignore[no-untyped-def]
    result = run("rename", "orb_helth", "--name", "Министерство здравоохранения")
    assert result.exit_code == 0, result.output
    assert "orb_helth is now called Министерство здравоохранения" in result.output
    assert "Министерство здравоохранения" in run("list").output

    result = run("remove", "orb_old")  # a past role: history, so deactivated
    assert result.exit_code == 0, result.output
    assert "orb_old deactivated" in result.output
    assert "Упразднённое ведомство [deactivated]" in run("list").output
    assert run("restore", "orb_old").exit_code == 0
    assert "[deactivated]" not in run("list").output

    result = run("remove", "orb_helth")  # nothing refers to it
    assert result.exit_code == 0 and "orb_helth deleted" in result.output
    assert "orb_helth" not in run("list").output


def test_refusals_are_one_error_line_and_exit_2(database_url) -> None:  # type: ignore[no-untyped-def]
    database = Database(database_url)
    with database.session() as session:
        directory.grant_role(session, "ivanova", "orb_old", "executor", "t")
    database.engine.dispose()
    result = run("remove", "orb_old")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: organisation 'orb_old' cannot be removed while it is in use: "
                                     "current or future roles of ivanova")
    result = run("rename", "orb_old", "--name", " ")
    assert result.exit_code == 2 and "needs a name" in result.output
    assert run("remove", "nowhere").exit_code == 2
