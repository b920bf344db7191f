"""Deploying from the browser: who may, what a check shows, and the deployment itself.

The same validation as ``otklik deploy`` (engine.deployment.plan), so an upload is refused
with the same ``file: element: message`` lines as the CLI. On top of it the web needs three
things the CLI does not: a permission (an analyst deploys only into the regions where the
role is held — a regulator reviews, never deploys), limits on what one request may carry, and
a picture: the uploaded diagram with every problem's element marked.
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bpmn.diagramdiff import DiagramDiff, diff_versions
from engine.bpmn.reader import read
from engine.bpmn.xmlsafe import MAX_BPMN_BYTES, UnsafeXml
from engine.deployment import template_rules
from engine.deployment.deployer import Deployed, Source, deploy, library_forms, plan, territory_problems
from engine.deployment.versions import Version, deployer_names, deployment_for
from engine.directory import policy
from engine.directory.access import current_grants
from engine.directory.policy import procedure_regions_for
from engine.errors import DeploymentError, Forbidden, NotFound, Problem
from engine.models import Deployment
from engine.texts import t

MAX_FILES = 20
MAX_FILE_BYTES = MAX_BPMN_BYTES  # the CLI's limit for a diagram; forms have the smaller MAX_FORM_BYTES
MAX_NAME_CHARS = 200  # Deployment.filename holds 300; a longer upload name is a mistake, not a file
# All files of one upload together: eight full-size diagrams. Twenty files of the per-file limit
# would be 40 MiB of XML held, parsed and drawn at once.
MAX_TOTAL_BYTES = 8 * MAX_FILE_BYTES
UPLOAD = "(upload)"   # the "file" of problems about the upload as a whole, like the CLI's "(arguments)"


def deploy_regions(session: Session, login: str) -> list[str]:
    """Regions where ``login`` holds the analyst role now (memberships and substitutions)."""
    return policy.deploy_regions(current_grants(session, login))


def upload_name(filename: str) -> str:
    """The name shown in problems and stored with the deployment: the last path component only
    (browsers on Windows may send ``C:\\...``), never a path on this server."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    return name[:MAX_NAME_CHARS]


@dataclass(frozen=True)
class Planned:
    """A clean diagram: what deploying it would do. Version facts are filled only when the
    analyst may deploy into its region (they would otherwise reveal another region's history)."""

    filename: str
    process_id: str
    name: str
    region: str
    forms: tuple[str, ...]
    allowed: bool
    current_version: int | None = None   # newest deployed version, None for a new procedure
    unchanged: bool = False              # identical content is already ``version``
    version: int | None = None           # the version it becomes (or stays)


@dataclass(frozen=True)
class UploadedDiagram:
    """An uploaded diagram the page can draw, with its problem elements marked. ``targets`` maps
    a problem's element to the element drawn for it (a process is drawn as its pool)."""

    filename: str
    xml: str
    markers: dict[str, str]
    targets: dict[str, str]


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    diagrams: list[UploadedDiagram] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # accepted, but something drawn is ignored

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def forbidden(self) -> list[Planned]:
        return [p for p in self.planned if not p.allowed]

    @property
    def deployable(self) -> bool:
        """Clean, all in the analyst's regions, and at least one diagram would become a new version."""
        return self.clean and bool(self.planned) and not self.forbidden and any(not p.unchanged for p in self.planned)

    def by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.file, []).append(problem)
        return grouped


def _too_many(count: int) -> Problem:
    return Problem(UPLOAD, None, t("deployment.too_many_files", count=count, limit=MAX_FILES))


def _too_large() -> Problem:
    return Problem(UPLOAD, None, t("deployment.too_large_together", limit=MAX_TOTAL_BYTES // (1024 * 1024)))


class _TooLarge(ValueError):
    """A carried file expands past the limit it was given."""


def check_count(count: int) -> None:
    """Raises DeploymentError for more than MAX_FILES files — asked before any file is read."""
    if count > MAX_FILES:
        raise DeploymentError([_too_many(count)])


def _prechecks(sources: list[Source]) -> list[Problem]:
    """What the CLI never meets: too many files, or too much, at once."""
    if len(sources) > MAX_FILES:
        return [_too_many(len(sources))]
    if sum(len(s.data) for s in sources) > MAX_TOTAL_BYTES:
        return [_too_large()]
    return []


def _validate(sources: list[Source]) -> tuple[list[Problem], list[Any]]:
    """Problems, or (none and) engine.deployment's plan items for a clean upload."""
    problems = _prechecks(sources)
    if problems:
        return problems, []
    plans: list[Any] = []
    try:
        plans = plan(sources, library_forms())  # what was uploaded, then the server's forms library
    except DeploymentError as error:
        problems = list(error.problems)
    return problems, (plans if not problems else [])


def _drawable(source: Source, problems: list[Problem]) -> UploadedDiagram | None:
    """The diagram for the viewer, if it is safe XML (an XXE or oversize file is not drawn)."""
    try:
        xml = source.data.decode("utf-8")
        diagram = read(source.data)  # engine.bpmn.reader: hardened parse, once per content
    except (UnicodeDecodeError, UnsafeXml):
        return None
    ids, pools = diagram.ids, diagram.pools
    # A problem of the whole process (its region, a parameter) names the process id, which
    # bpmn-js does not draw when the process sits in a pool: mark the pool instead.
    targets = {p.element: pools.get(p.element) or p.element for p in problems
               if p.file == source.name and p.element and p.element in ids}
    return UploadedDiagram(source.name, xml, {t: "marker-problem" for t in targets.values()}, targets)


def _allowed(session: Session, login: str, process_id: str, region: str) -> bool:
    # The territory the diagram declares (an analyst's memberships give theirs; a template declaring
    # none is its region analysts'), and the ones it was deployed in before: otherwise an analyst
    # could change another territory's procedure by uploading its process id with their own.
    # Process ids are free names: registration starts a territory's own procedure
    # (engine.runtime.cases), so no id is any territory's by its spelling.
    return template_rules.may_deploy(session, current_grants(session, login), process_id, region)


def _require_analyst(session: Session, login: str) -> list[str]:
    regions = deploy_regions(session, login)
    if not regions:
        raise Forbidden(t("deployment.not_analyst"))
    return regions


def check_upload(session: Session, login: str, sources: list[Source]) -> CheckResult:
    """Every problem (as the CLI prints them), the diagrams to draw, and for a clean upload what
    deploying would do. Nothing is stored."""
    _require_analyst(session, login)
    problems, plans = _validate(sources)
    if territory := territory_problems(session, plans) + template_rules.source_problems(session, [(p.source.name, p.info) for p in plans]):
        problems, plans = problems + territory, []  # as for any other problem: nothing to deploy
    result = CheckResult(problems=problems)
    if not _prechecks(sources):
        result.diagrams = [d for s in sources if s.name.endswith(".bpmn")
                           if (d := _drawable(s, problems)) is not None]
    result.warnings = [w for item in plans for w in item.info.warnings]  # engine.deployment.palette
    for item in plans:
        pid, region = item.info.process_id, item.info.region
        planned = Planned(item.source.name, pid, item.info.name, region, tuple(sorted(item.forms)),
                          _allowed(session, login, pid, region))
        if planned.allowed:
            current = session.scalar(select(func.max(Deployment.version)).where(Deployment.process_id == pid))
            same = session.scalar(select(Deployment.version).where(Deployment.process_id == pid,
                                                                   Deployment.content_hash == item.content_hash))
            planned = Planned(planned.filename, pid, planned.name, region, planned.forms, True, current,
                              same is not None, same if same is not None else (current or 0) + 1)
        result.planned.append(planned)
    return result


def deploy_upload(session: Session, login: str, sources: list[Source]) -> list[Deployed]:
    """Validate and deploy, all or nothing. Raises DeploymentError (with every problem) or
    Forbidden (not an analyst, or a diagram outside the analyst's regions)."""
    _require_analyst(session, login)
    problems, plans = _validate(sources)
    if problems:
        raise DeploymentError(problems)
    for item in plans:
        if not _allowed(session, login, item.info.process_id, item.info.region):
            raise Forbidden(t("deployment.region_not_yours", file=item.source.name, region=item.info.region,
                              process=item.info.process_id) if item.info.region else
                            t("templates.template_authors_only", file=item.source.name, process=item.info.process_id))
    return deploy(session, sources, actor=login, extra_forms=library_forms())


# -- carrying checked files to the deployment without keeping them on the server ---------------
# The check page re-posts each file as zlib-compressed URL-safe base64 in a hidden field: exact
# bytes (a textarea would turn line ends into CRLF and change the content hash), small enough
# for ordinary form limits, and re-validated in full by deploy_upload — nothing is trusted.

def pack(source: Source) -> str:
    return base64.urlsafe_b64encode(zlib.compress(source.data, 9)).decode("ascii")


def _encoded_length(size: int) -> int:
    """Characters of pack() for ``size`` bytes that do not compress at all (zlib adds at most
    ~0.03 % and a few bytes; base64 makes 4 characters of 3 bytes)."""
    return 4 * -(-(size + size // 1000 + 64) // 3)


# The longest carried field a real check page writes; the web lets one form field be this long.
MAX_CARRIED_CHARS = _encoded_length(MAX_FILE_BYTES)


def unpack(name: str, payload: str, limit: int = MAX_FILE_BYTES) -> Source:
    """The file a check page carried; ValueError if the payload is damaged or would expand past
    ``limit`` (the per-file limit; a compressed bomb is cut off, never inflated in full)."""
    if len(payload) > MAX_CARRIED_CHARS:
        raise _TooLarge("carried file is larger than the limit")
    try:
        compressed = base64.urlsafe_b64decode(payload.encode("ascii"))
        inflater = zlib.decompressobj()
        data = inflater.decompress(compressed, limit + 1)
    except (binascii.Error, zlib.error, UnicodeEncodeError) as error:
        raise ValueError(f"damaged file data: {error}") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise _TooLarge("carried file is larger than the limit")
    if not inflater.eof:
        raise ValueError("carried file is incomplete")
    return Source(upload_name(name), data)


def unpack_all(carried: list[tuple[str, str]]) -> list[Source]:
    """The files a check page carried (name, payload). Counted and size-checked before anything
    is inflated, and inflated against one budget for all of them, so a hand-made request of 250
    fields costs no more memory than one legitimate upload. Raises DeploymentError (too many or
    too much, as the check page shows it) or ValueError (damaged: only a hand-made request)."""
    check_count(len(carried))
    if any(len(payload) > MAX_CARRIED_CHARS for _, payload in carried):
        raise ValueError("carried file is larger than the limit")
    sources: list[Source] = []
    budget = MAX_TOTAL_BYTES
    for name, payload in carried:
        try:
            sources.append(unpack(name, payload, min(MAX_FILE_BYTES, budget)))
        except _TooLarge:
            if budget < MAX_FILE_BYTES:  # the file alone may fit: it is the shared budget that ran out
                raise DeploymentError([_too_large()]) from None
            raise
        budget -= len(sources[-1].data)
    return sources


# -- what changed between versions: history and the visual diff ---------------------------------

@dataclass(frozen=True)
class Comparison:
    process_id: str
    name: str
    region: str
    versions: tuple[Version, ...]  # newest first, only those the user may see
    old: Version
    new: Version
    old_xml: str
    new_xml: str
    diff: DiagramDiff


def compare_versions(session: Session, login: str, process_id: str,
                     old: int | None = None, new: int | None = None) -> Comparison:
    """Version ``old`` against ``new`` of a procedure the user may review (regulators, analysts,
    curators, supervisors of its region). Defaults: the newest version against the one before
    it. NotFound for a procedure or version outside the user's regions."""
    regions = procedure_regions_for(session, login)
    rows = session.execute(
        select(Deployment.id, Deployment.version, Deployment.deployed_at, Deployment.deployed_by,
               Deployment.filename, Deployment.content_hash)
        .where(Deployment.process_id == process_id, policy.visible_deployments(regions))
        .order_by(Deployment.version.desc())).all()
    if not rows:
        raise NotFound(t("deployment.no_procedure", process=process_id))
    who = deployer_names(session, (row.deployed_by for row in rows))  # names, never logins (issue 16)
    versions = tuple(Version(*row, deployed_by_name=who[row.deployed_by]) for row in rows)
    new = versions[0].version if new is None else new
    if old is None:
        earlier = [v.version for v in versions if v.version < new]
        old = earlier[0] if earlier else new
    old_row, new_row = (deployment_for(session, login, process_id, number) for number in (old, new))
    by_number = {v.version: v for v in versions}
    return Comparison(process_id, new_row.name, new_row.region, versions, by_number[old], by_number[new],
                      old_row.bpmn_xml, new_row.bpmn_xml,
                      diff_versions(old_row.bpmn_xml, old_row.forms, new_row.bpmn_xml, new_row.forms))
