"""``otklik deploy`` (what ``make run`` runs on bpmn/*.bpmn) says which version is in force after
it: a file that is an older version leaves a browser-deployed newer one in force and says so, and
a new file names the version it replaces."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from engine.cli.main import main
from engine.db.database import Database
from engine.deployment.deployer import Source, deploy, latest, library_forms
from tests.factories import ROOT

DIAGRAM = ROOT / "bpmn" / "kuzbass.bpmn"  # Asia/Novokuznetsk, UTC+7


def otklik_deploy(url: str, path: Path, lang: str = "en") -> Result:
    return CliRunner().invoke(main, ["deploy", "--actor", "make-run", str(path)],
                              env={"OTKLIK_DATABASE_URL": url, "OTKLIK_LANG": lang})


def test_an_older_file_leaves_the_browser_version_in_force_and_says_so(tmp_path, virtual_clock) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'summary.sqlite'}"
    first = otklik_deploy(url, DIAGRAM)
    assert first.exit_code == 0 and first.stdout.strip() == f"{DIAGRAM}: kuzbass deployed as version 1", first.output
    # An analyst deploys a changed diagram from the browser (the page ends in the same deploy()).
    virtual_clock.set(datetime(2025, 10, 31, 20, 30, tzinfo=UTC))  # 01.11.2025 03:30 in Novokuznetsk
    changed = DIAGRAM.read_bytes().replace(b"</bpmn:definitions>", b"<!-- v2 --></bpmn:definitions>")
    database = Database(url)
    with database.session() as session:
        deploy(session, [Source("kuzbass.bpmn", changed)], "kuz_analyst", extra_forms=library_forms())

    again = otklik_deploy(url, DIAGRAM)
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == (f"{DIAGRAM}: kuzbass: the file is version 1; version 2 (deployed by kuz_analyst on "
                                    "01.11.2025 03:30 (Asia/Novokuznetsk)) stays in force")
    with database.session() as session:
        newest = latest(session, "kuzbass")
        assert newest is not None and (newest.version, newest.deployed_by) == (2, "kuz_analyst")  # not rolled back
    russian = otklik_deploy(url, DIAGRAM, lang="ru")
    assert "действует версия 2 (развёрнута 01.11.2025 03:30 (Asia/Novokuznetsk), kuz_analyst)" in russian.stdout

    # A file with new content becomes version 3 — replacing the browser's version 2, which the line names.
    virtual_clock.set(datetime(2025, 11, 3, 1, 0, tzinfo=UTC))
    newer = tmp_path / "kuzbass.bpmn"
    newer.write_bytes(DIAGRAM.read_bytes().replace(b"</bpmn:definitions>", b"<!-- v3 --></bpmn:definitions>"))
    third = otklik_deploy(url, newer)
    assert third.stdout.strip() == (f"{newer}: kuzbass deployed as version 3; it replaces version 2 (deployed by "
                                    "kuz_analyst on 01.11.2025 03:30 (Asia/Novokuznetsk))")
    # The same file again: nothing new, and it is the version in force.
    assert otklik_deploy(url, newer).stdout.strip() == f"{newer}: kuzbass unchanged, still version 3"
    database.engine.dispose()
