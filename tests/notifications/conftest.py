"""Fixtures of the notification tests: a local SMTP server with the e-mail channel pointed at it, and
the directory of those the acts order to be told (Orenburg and Smolensk)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notifications.smtp import SmtpServer


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback; OTKLIK_SMTP_HOST/PORT point at it (engine.settings rereads them)."""
    with SmtpServer() as server:
        monkeypatch.setenv("OTKLIK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OTKLIK_SMTP_PORT", str(server.port))
        monkeypatch.setenv("OTKLIK_MAIL_FROM", "otklik@orenburg.example")
        monkeypatch.setenv("OTKLIK_BASE_URL", "https://otklik.example")
        yield server


@pytest.fixture
def mail_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTKLIK_SMTP_HOST", raising=False)


def add_person(session, login: str, org_key: str, role: str, email: str | None = None):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from engine.models import Membership, Organisation, User

    org = session.scalar(select(Organisation).where(Organisation.key == org_key))
    user = User(login=login, full_name=login, email=email)
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
    session.flush()
    return user


def add_org(session, key: str, kind: str, region: str, name: str | None = None, email: str | None = None):  # type: ignore[no-untyped-def]
    from engine.models import Organisation

    org = Organisation(key=key, name=name or key, kind=kind, region=region, email=email)
    session.add(org)
    session.flush()
    return org


def orenburg_recipients(session, governor: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Heads of two agencies (п. 19), the deputy minister (п. 20), the Governor and his office (п. 21),
    two competent state bodies (п. 17); every one with an address."""
    add_person(session, "head_roads", "orb_roads", "agency_head", "head.roads@orb.example")
    add_person(session, "head_health", "orb_health", "agency_head", "head.health@orb.example")
    add_person(session, "deputy_minister", "orb_minpolicy", "deputy_minister", "dep.min@orb.example")
    if governor:
        add_org(session, "orb_governor", "administration", "orenburg", "Аппарат Губернатора")
        add_person(session, "governor", "orb_governor", "governor", "governor@orb.example")
        add_person(session, "governor_office", "orb_governor", "governor_office", "office@orb.example")
    add_org(session, "orb_umvd", "state_body", "orenburg", "УМВД России по Оренбургской области", "umvd@orb.example")
    add_org(session, "orb_prosecutor", "state_body", "orenburg", "Прокуратура Оренбургской области",
            "prokuratura@orb.example")
