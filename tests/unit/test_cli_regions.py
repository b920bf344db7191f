"""`otklik regions`: list, add and change territories from the console; a mistake names its option
and exits 2; the change is in the database for every process (no restart)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from engine.cli.main import main


@pytest.fixture
def run(tmp_path):  # type: ignore[no-untyped-def]
    env = {"OTKLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args), env=env)

    return invoke


def test_a_region_added_and_changed_from_the_console(run) -> None:  # type: ignore[no-untyped-def]
    listed = run("regions", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert [line.split()[0] for line in lines] == ["altai", "kalmanka", "kaluga", "kuzbass", "orenburg", "smolensk"]
    assert "municipality" in lines[1] and "Asia/Barnaul" in lines[1] and "(altai)" in lines[1]

    added = run("regions", "add", "tyva", "--name", "Республика Тыва", "--timezone", "Asia/Krasnoyarsk",
                "--holidays", "2026-02-18, 2026-08-15")
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "territory tyva added: Республика Тыва, Asia/Krasnoyarsk"
    # Another command is another process: it reads the territory from the database.
    due = run("deadline", "--region", "tyva", "--from", "2026-02-17T09:00", "--working-hours", "9")
    assert due.exit_code == 0, due.output
    assert due.output.strip() == "2026-02-19T11:00+07:00"  # the 17th is the eve of a holiday: 7 h; the 18th off

    changed = run("regions", "set", "tyva", "--timezone", "Asia/Irkutsk", "--holidays", "",
                  "--schedule", '{"start": "08:00", "end": "17:00"}')
    assert changed.exit_code == 0, changed.output
    due = run("deadline", "--region", "tyva", "--from", "2026-02-17T08:00", "--working-hours", "9")
    assert due.output.strip() == "2026-02-18T09:00+08:00"  # 8–13, 14–17 = 8 h, then an hour on the 18th
    assert "schedule" in run("regions", "list").output

    municipality = run("regions", "add", "ust", "--name", "Усть-Калманский район", "--timezone", "Asia/Barnaul",
                       "--kind", "municipality", "--parent", "altai")
    assert municipality.exit_code == 0, municipality.output


@pytest.mark.parametrize(("args", "message"), [
    (("regions", "add", "tyva", "--name", "Тыва", "--timezone", "Asia/Foo"),
     "Error: --timezone: 'Asia/Foo' is not an IANA time zone; e.g. Asia/Yekaterinburg"),
    (("regions", "add", "Tyva", "--name", "Тыва", "--timezone", "Asia/Krasnoyarsk"), "Error: KEY: territory key 'Tyva'"),
    (("regions", "add", "orenburg", "--name", "Оренбург", "--timezone", "Asia/Yekaterinburg"),
     "Error: KEY: territory 'orenburg' already exists"),
    (("regions", "add", "ust", "--name", "Усть", "--timezone", "Asia/Barnaul", "--kind", "municipality"),
     "Error: --parent: a municipality needs its region"),
    (("regions", "add", "tyva", "--name", "Тыва", "--timezone", "Asia/Krasnoyarsk", "--holidays", "18.02.2026"),
     "Error: --holidays: '18.02.2026' is not a date"),
    (("regions", "set", "tyva", "--name", "Тыва"), "Error: KEY: territory 'tyva' does not exist"),
    (("regions", "set", "kalmanka", "--holidays", "2026-03-02", "--workdays", "2026-03-02"),
     "Error: --workdays: 2026-03-02: a date cannot be both"),
    (("regions", "set", "kalmanka", "--schedule", "[1]"), "Error: --schedule:"),
])
def test_a_mistake_names_its_option_and_exits_2(run, args, message) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 2 and message in result.output, result.output
