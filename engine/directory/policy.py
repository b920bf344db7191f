"""The one access policy: which membership roles may do what, and in which regions.

Every role set the application checks lives here, under a name that says what it allows; the
pages' guards, the navigation and the engine's region rules all read these. A page asks a
named capability (``may_deploy``), never a list of role names, so a new role or a changed rule
is one edit in this file. Task-level rules (which task a grant may take) stay in
:mod:`engine.directory.access`, who sees a message at the end of this file (:func:`message_visibility`).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from engine.calendar.regions import REGIONS
from engine.directory.access import Grant, current_grants, in_scope, task_clause
from engine.directory.roles import TASK_ROLES
from engine.errors import Forbidden
from engine.models import Deployment, Message, Task

# Registering a message starts its region's procedure: the curator's job (a reception's critical
# messages, Kalmanka п. 5–6, arrive as a task of the diagram, not through this page).
REGISTRARS: tuple[str, ...] = ("curator",)
# Everyone who handles or oversees messages; the administrator keeps the directory, not cases.
MESSAGE_READERS: tuple[str, ...] = ("curator", "executor", "deputy_head", "reception", "supervisor", "regulator",
                                    "governor", "governor_office", "deputy_governor", "deputy_minister", "agency_head")
# Who sees every message of their region (registry, card, files): the curator who routes them,
# the supervisor and the regulator who oversee, and a municipality's reception, which registers
# every critical message of the district (Kalmanka п. 5). Executors see what their agency worked
# on, deputy heads their agency's answers (message_visibility, below).
# Those the acts order to be told (engine.notifications) open the case a notification links to: the
# Governor, his office, deputy governors and the deputy minister every case of their region.
MESSAGE_REGION_WIDE: tuple[str, ...] = ("curator", "supervisor", "regulator", "reception",
                                        "governor", "governor_office", "deputy_governor", "deputy_minister")
# Who sees every case their agency worked on (not only its own tasks): Kaluga 2.4's deputy head, and
# the agency head told of its violations (Orenburg п. 19).
AGENCY_WIDE: tuple[str, ...] = ("deputy_head", "agency_head")
# Who may take back a task someone else claimed: the curator, who routes the region's work (a
# substitute for an absent curator too, Orenburg п. 5).
UNCLAIMERS: tuple[str, ...] = ("curator",)
# Who sees procedures (catalogue, versions, comparison, diffs), read-only: regulators review,
# analysts edit elsewhere and check here, curators and supervisors look up what their procedure
# demands. In the regions where they hold the role, except the overseer, who sees every region.
PROCEDURE_REVIEWERS: tuple[str, ...] = ("regulator", "analyst", "curator", "supervisor")
OVERSEER = "regulator"
# Who compiles (curator), receives (supervisor) or checks (regulator) a region's summary; the
# heatmap is a summary drawn on the diagram.
REPORT_ROLES: tuple[str, ...] = ("curator", "supervisor", "regulator")
HEATMAP_ROLES: tuple[str, ...] = REPORT_ROLES
# Who reads a region's reports: those above, and those an act orders to be sent the summary
# (report.recipient, engine.reports.schedule: the Governor and his office, the deputy governor, the
# deputy minister), whose notification links to the report page and its XLSX.
REPORT_READERS: tuple[str, ...] = (*REPORT_ROLES, "governor", "governor_office", "deputy_governor", "deputy_minister")
# Who reads a territory's surges of social activity (engine.surges.listing): those who read its reports,
# and those a surge is told to (surge.recipient: the Governor and his office, the deputy minister), whose
# notification links to the surge's page.
SURGE_READERS: tuple[str, ...] = (*REPORT_ROLES, "governor", "governor_office", "deputy_minister")
# Who freezes a region's report as sent (engine.reports.frozen): the supervisor who receives it and
# the regulator who checks it; the curator who compiles it does not close it himself.
REPORT_FREEZERS: tuple[str, ...] = ("supervisor", "regulator")
# Who sees the cases the worker could not fire and puts them back to work: supervisors watch
# deadlines in their region; administrators keep the whole installation.
INCIDENT_ROLES: tuple[str, ...] = ("supervisor", "admin")
# Analysts deploy diagrams, in the regions where they hold the role.
DEPLOY_ROLE = "analyst"
ADMIN_ROLE = "admin"
TEMPLATE_KIND = "template"  # Deployment.kind of a template (engine.bpmn.template_parameters)


def regions_holding(granted: Iterable[Grant], roles: Collection[str]) -> list[str]:
    """Regions where a grant holds one of ``roles``, sorted."""
    return sorted({g.region for g in granted if g.role in roles})


def registration_regions(granted: Iterable[Grant]) -> list[str]:
    return regions_holding(granted, REGISTRARS)


def repeat_marking_regions(granted: Iterable[Grant]) -> list[str]:
    """Regions where a grant confirms or dismisses repeat messages: the curator who routes them
    (Orenburg п. 15 «куратор», Kalmanka п. 9 «уполномоченное должностное лицо»), own or substituted."""
    return regions_holding(granted, REGISTRARS)


def may_unclaim_in(granted: Iterable[Grant], region: str) -> bool:
    """May release any claimed task of ``region`` (not only one's own)."""
    return region in regions_holding(granted, UNCLAIMERS)


def procedure_regions(granted: Iterable[Grant]) -> list[str]:
    """Regions whose procedures the grants show: every region for the overseer."""
    granted = list(granted)
    if any(g.role == OVERSEER for g in granted):
        return sorted(key for key in REGIONS if in_scope(key))  # a scoped token: its territory only
    return regions_holding(granted, PROCEDURE_REVIEWERS)


def procedure_regions_for(session: Session, login: str) -> list[str]:
    """Regions whose procedures ``login`` may see — the one rule of the catalogue, a version's
    page, the diff and the comparison table: a regulator oversees every region; curators,
    supervisors and analysts see the regions where they hold the role."""
    return procedure_regions(current_grants(session, login))


def report_regions(granted: Iterable[Grant]) -> list[str]:
    return regions_holding(granted, REPORT_READERS)


def report_freeze_regions(granted: Iterable[Grant]) -> list[str]:
    return regions_holding(granted, REPORT_FREEZERS)


def surge_regions(granted: Iterable[Grant]) -> list[str]:
    return regions_holding(granted, SURGE_READERS)


def heatmap_regions(granted: Iterable[Grant]) -> list[str]:
    return regions_holding(granted, HEATMAP_ROLES)


def deploy_regions(granted: Iterable[Grant]) -> list[str]:
    """Territories whose procedures an analyst deploys (and adopts templates for): where the role is
    held, and every municipality of a region where it is held — a regional analyst keeps the
    procedures of the municipalities under it (issue 14), a municipality's analyst only its own."""
    held = regions_holding(granted, (DEPLOY_ROLE,))
    return sorted(set(held) | {key for key, region in REGIONS.items() if region.parent in held})


def template_authoring(granted: Iterable[Grant]) -> bool:
    """May deploy a template that declares no territory. Such a template is every municipality's
    model (each adopter declares its own territory), so it is kept by the analysts of a region
    that has municipalities — never by one municipality's analyst, whose change would reach its
    neighbours. A template declaring a territory is that territory's, like any diagram."""
    held = set(regions_holding(granted, (DEPLOY_ROLE,)))
    return any(region.parent in held for region in REGIONS.values())


def visible_deployments(regions: Collection[str]) -> ColumnElement[bool]:
    """The deployments a reviewer of ``regions`` sees, as a WHERE clause on Deployment: the
    procedures of those regions, and every template — a template is the model for every
    municipality, whichever territory (if any) maintains it."""
    return or_(Deployment.region.in_(list(regions)), Deployment.kind == TEMPLATE_KIND)


def incident_regions(granted: Iterable[Grant]) -> frozenset[str] | None:
    """None means every region (an administrator); an empty set means none."""
    granted = list(granted)
    if any(g.role == ADMIN_ROLE for g in granted):
        return None
    return frozenset(regions_holding(granted, [r for r in INCIDENT_ROLES if r != ADMIN_ROLE]))


def worker_regions(granted: Iterable[Grant]) -> frozenset[str] | None:
    """Regions whose external tasks a worker signed in as this official may fetch and complete
    (issue 17): the analyst's, who deploys the diagrams that declare the topics (with the
    municipalities under a region); every region for an administrator (None); none otherwise."""
    granted = list(granted)
    if any(g.role == ADMIN_ROLE for g in granted):
        return None
    return frozenset(deploy_regions(granted))


@dataclass(frozen=True)
class Capabilities:
    """What a user's current roles let them open: computed once per request, read by the pages'
    guards and the navigation. Which *regions* (or messages, tasks) is decided by the engine
    function the page calls; these say only whether the page is theirs at all."""

    may_register: bool = False
    may_read_messages: bool = False
    may_review_procedures: bool = False
    may_view_reports: bool = False
    may_view_heatmap: bool = False
    may_deploy: bool = False
    may_see_incidents: bool = False
    may_administer: bool = False

    @classmethod
    def of(cls, roles: Iterable[str]) -> Capabilities:
        """From role names (own and substituted, valid now)."""
        held = frozenset(roles)

        def any_of(allowed: Iterable[str]) -> bool:
            return not held.isdisjoint(allowed)

        return cls(may_register=any_of(REGISTRARS), may_read_messages=any_of(MESSAGE_READERS),
                   may_review_procedures=any_of(PROCEDURE_REVIEWERS), may_view_reports=any_of(REPORT_READERS),
                   may_view_heatmap=any_of(HEATMAP_ROLES), may_deploy=DEPLOY_ROLE in held,
                   may_see_incidents=any_of(INCIDENT_ROLES), may_administer=ADMIN_ROLE in held)

    def allows(self, name: str) -> bool:
        """The named capability; an unknown name is a programming error, not a refusal."""
        if name not in CAPABILITIES:
            raise KeyError(f"no capability '{name}'; use one of: {', '.join(CAPABILITIES)}")
        return bool(getattr(self, name))


CAPABILITIES: tuple[str, ...] = tuple(f.name for f in fields(Capabilities))
NOTHING = Capabilities()


def heatmap_region(session: Session, login: str, asked: str | None) -> tuple[list[str], str]:
    """The regions whose heatmap ``login`` may see, and the one to show: ``asked``, or the first of
    theirs. Forbidden for a region not theirs, and for someone with none."""
    regions = heatmap_regions(current_grants(session, login))
    region = asked or (regions[0] if regions else "")
    if region not in regions:
        raise Forbidden(f"{login} may not see the heatmap of '{region}'")
    return regions, region


# ---- who sees a message -----------------------------------------------------------------------

def message_visibility(granted: list[Grant], session: Session | None = None) -> ColumnElement[bool]:
    """The messages ``granted`` shows, as a WHERE clause on Message. Curators, supervisors and
    regulators see every message of their regions. Executors see only messages on which their
    organisation (or that of someone they substitute for) has or had a task — the same grants that
    fill their inbox (engine.directory.access). Given the session, the executors' part is narrowed
    to what the index can answer (:func:`_worked_on`)."""
    regions = sorted({g.region for g in granted if g.role in MESSAGE_REGION_WIDE})
    executors = [g for g in granted if g.role == "executor"]
    clauses = []
    if regions:
        clauses.append(Message.region.in_(regions))
    if executors:
        # Any status: an agency keeps seeing a message it worked on after it moved on.
        worked_on = _worked_on(session, executors) if session is not None else task_clause(executors)
        clauses.append(Message.id.in_(select(Task.message_id).where(worked_on)))
    deputies = sorted({g.organisation_key for g in granted if g.role in AGENCY_WIDE})
    if deputies:
        # Kaluga 2.4: the deputy head controls every answer of the agency's executors.
        clauses.append(Message.id.in_(select(Task.message_id).where(Task.organisation_key.in_(deputies))))
    return or_(*clauses) if clauses else false()


def _worked_on(session: Session, executors: list[Grant]) -> ColumnElement[bool]:
    """``task_clause(executors)`` without its region-wide part (executor tasks of no organisation)
    when no such task exists. The part is then never true, but PostgreSQL cannot know that
    region-wide tasks are curators': it guesses the part matches a twentieth of all task rows and
    scans the whole table instead of reading the agency's entries of ix_task_organisation."""
    roles = [role for role, holder in TASK_ROLES.items() if holder == "executor"]
    regions = sorted({g.region for g in executors})
    clause = and_(Task.role.in_(roles), Task.organisation_key.in_(sorted({g.organisation_key for g in executors})))
    if any(session.scalar(
            # One role at a time and in the index's order: PostgreSQL then walks ix_task_organisation
            # and stops, instead of expecting an early hit in a table scan.
            select(Task.message_id).where(Task.organisation_key.is_(None), Task.role == role, Task.region.in_(regions))
            .order_by(Task.organisation_key, Task.role, Task.message_id).limit(1)) is not None for role in roles):
        clause = or_(clause, and_(Task.role.in_(roles), Task.organisation_key.is_(None), Task.region.in_(regions)))
    return clause


def can_see_message(session: Session, message_id: int, login: str) -> bool:
    """Whether ``login`` may see the message: its card, its files (the registry and the attachments ask)."""
    granted = current_grants(session, login)
    return session.scalar(select(Message.id).where(Message.id == message_id, message_visibility(granted))) is not None
