"""Test data: organisations, officials and deployed procedures."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from engine.deployment.deployer import Source, deploy, library_forms
from engine.models import Membership, Organisation, Substitution, User

ROOT = Path(__file__).resolve().parent.parent


def organisation(session, key: str, kind: str, region: str, name: str | None = None) -> Organisation:  # type: ignore[no-untyped-def]
    org = Organisation(key=key, name=name or key, kind=kind, region=region)
    session.add(org)
    session.flush()
    return org


def official(session, login: str, org: Organisation, role: str) -> User:  # type: ignore[no-untyped-def]
    user = User(login=login, full_name=login)
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
    session.flush()
    return user


def substitute(session, absent: User, substitute_user: User, start: datetime, end: datetime) -> None:  # type: ignore[no-untyped-def]
    session.add(Substitution(absent_id=absent.id, substitute_id=substitute_user.id, valid_from=start, valid_to=end))
    session.flush()


def orenburg_people(session) -> dict[str, User]:  # type: ignore[no-untyped-def]
    """A curator ministry, three agencies with an executor each, a supervisor."""
    ministry = organisation(session, "orb_minpolicy", "curator", "orenburg", "Министерство региональной и информационной политики")
    people = {"curator": official(session, "curator", ministry, "curator"),
              "supervisor": official(session, "supervisor", ministry, "supervisor")}
    for key in ("orb_health", "orb_roads", "orb_housing"):
        agency = organisation(session, key, "agency", "orenburg")
        people[key] = official(session, f"exec_{key}", agency, "executor")
    return people


def smolensk_people(session) -> None:  # type: ignore[no-untyped-def]
    """Smolensk's curator department (curator, supervisor) and three agencies with an executor each."""
    department = organisation(session, "smo_dip", "curator", "smolensk",
                              "Департамент Смоленской области по внутренней политике")
    official(session, "curator", department, "curator")
    official(session, "supervisor", department, "supervisor")
    for key in ("smo_roads", "smo_health", "smo_edu"):
        official(session, f"exec_{key}", organisation(session, key, "agency", "smolensk"), "executor")


def deploy_files(session, *names: str, actor: str = "analyst"):  # type: ignore[no-untyped-def]
    return deploy(session, [Source.read(ROOT / name) for name in names], actor, extra_forms=library_forms())


def seed_orenburg_app(database, password: str) -> None:  # type: ignore[no-untyped-def]
    """Orenburg officials, all with ``password``, and the deployed Orenburg procedure."""
    from werkzeug.security import generate_password_hash

    with database.session() as session:
        orenburg_people(session)
        for user in session.query(User):
            # A cheap hash keeps tests fast; production uses Werkzeug's default (scrypt).
            user.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")
        deploy_files(session, "bpmn/orenburg.bpmn")
