"""A territory's English name (issue 16 item 7): optional, given on the admin form or with
``otklik regions … --name-en``; pages in English show it, Russian pages the official name, and a
territory without one reads the same in both. The five regions and Kalmanka come with theirs
(migration 0016)."""
from __future__ import annotations

from click.testing import CliRunner

from engine.calendar.regions import get_region
from engine.cli.main import main
from engine.texts import language
from tests.web import test_admin
from tests.web.test_admin import _session, _text

app, admin = test_admin.app, test_admin.admin


def _form(**values: str) -> dict[str, str]:
    return {"key": "kamchatka", "name": "Камчатский край", "kind": "region", "timezone": "Asia/Kamchatka",
            "parent": "", "extra_holidays": "", "extra_workdays": "", **values}


def test_the_migrated_regions_have_english_names(app) -> None:  # type: ignore[no-untyped-def]
    with _session(app):
        orenburg, kalmanka = get_region("orenburg"), get_region("kalmanka")
    assert (orenburg.name, orenburg.name_en) == ("Оренбургская область", "Orenburg Oblast")
    assert kalmanka.name_in("en") == "Kalmansky District, Altai Krai"
    assert kalmanka.name_in("ru") == "Калманский район Алтайского края"
    with language("en"):
        assert orenburg.display_name == "Orenburg Oblast"
    with language("ru"):
        assert orenburg.display_name == "Оренбургская область"


def test_an_admin_gives_a_territory_an_english_name_that_english_pages_show(app, admin) -> None:  # type: ignore[no-untyped-def]
    form = _text(admin.get("/admin/territories"))
    assert 'name="name_en"' in form and "Название по-английски" in form
    response = admin.post("/admin/territories", data=_form(name_en="  Kamchatka Krai "))
    assert response.status_code == 302, _text(response)
    with _session(app):
        assert get_region("kamchatka").name_en == "Kamchatka Krai"  # trimmed
    listed = _text(admin.get("/admin/territories"))
    assert 'Камчатский край</a> <span lang="en">/ Kamchatka Krai</span>' in listed
    assert 'value="Kamchatka Krai"' in _text(admin.get("/admin/territories/kamchatka"))

    admin.post("/locale/en", data={"next": "/admin/"})
    english = _text(admin.get("/admin/territories/kamchatka"))
    assert "Name in English" in english and "Optional: pages in English show it" in english

    # Cleared: English pages fall back to the official name.
    response = admin.post("/admin/territories/kamchatka", data=_form(name_en=""))
    assert response.status_code == 302, _text(response)
    with _session(app):
        region = get_region("kamchatka")
    assert region.name_en is None and region.name_in("en") == "Камчатский край"


def test_an_english_name_too_long_is_refused_beside_its_field(admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/admin/territories", data=_form(name_en="K" * 301))
    assert response.status_code == 400
    page = _text(response)
    assert 'id="e-name_en"' in page or "e-name_en" in page


def test_the_console_sets_and_clears_an_english_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"OTKLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    orenburg = next(line for line in run("regions", "list").splitlines() if line.startswith("orenburg"))
    assert orenburg.endswith("Оренбургская область / Orenburg Oblast")
    run("regions", "add", "tyva", "--name", "Республика Тыва", "--name-en", "Tuva Republic", "--timezone", "Asia/Krasnoyarsk")
    assert "Республика Тыва / Tuva Republic" in run("regions", "list")
    run("regions", "set", "tyva", "--name-en", "")
    tyva = next(line for line in run("regions", "list").splitlines() if line.startswith("tyva"))
    assert tyva.endswith("Республика Тыва")
