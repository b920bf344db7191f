"""Deploying diagrams and their forms, versioned by content.

Same process id + different content (the diagram or any form it references) → the next
version; identical content → nothing new. Instances keep the deployment they started on.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.db.audit import record
from engine.deployment.template_rules import source_problems
from engine.deployment.validation import DiagramInfo, check_diagram, parse_spec_problems
from engine.errors import DeploymentError, Problem
from engine.forms import FormDefinition, FormError, parse_form
from engine.models import Deployment
from engine.settings import settings
from engine.spiff.parser import parse_process
from engine.spiff.serializer import dump_spec
from engine.texts import t

MAX_FORM_BYTES = 256 * 1024


@dataclass(frozen=True)
class Source:
    """A file to deploy: its name (for messages) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def read(cls, path: Path) -> Source:
        return cls(str(path), path.read_bytes())


@dataclass(frozen=True)
class Deployed:
    process_id: str
    version: int
    created: bool  # False when identical content was already deployed
    filename: str
    warnings: tuple[Problem, ...] = ()  # deployed, but something drawn is ignored (engine.deployment.palette)

    # The territory, and the process id that served it until now when that was another one:
    # new messages start this deployment from now on (registration takes a territory's newest).
    region: str = ""
    replaces: str | None = None
    kind: str = "procedure"  # "template": deployed, never run


@dataclass
class _Plan:
    source: Source
    info: DiagramInfo
    forms: dict[str, str]
    content_hash: str


def _load_forms(sources: Iterable[Source], problems: list[Problem]) -> tuple[dict[str, FormDefinition], dict[str, str]]:
    definitions: dict[str, FormDefinition] = {}
    texts: dict[str, str] = {}
    for source in sources:
        if len(source.data) > MAX_FORM_BYTES:
            problems.append(Problem(source.name, None, t("deployment.form_too_large", limit=MAX_FORM_BYTES)))
            continue
        try:
            text = source.data.decode("utf-8")
            form = parse_form(text, source=source.name, deploying=True)  # + form-js's refusals (compat)
        except UnicodeDecodeError:
            problems.append(Problem(source.name, None, t("deployment.form_not_utf8")))
            continue
        except FormError as error:
            problems.extend(Problem(source.name, None, p) for p in getattr(error, "problems", [str(error)]))
            continue
        if form.id in definitions:
            problems.append(Problem(source.name, form.id, t("deployment.form_id_taken")))
            continue
        definitions[form.id], texts[form.id] = form, text
    return definitions, texts


def forms_in(directory: Path) -> list[Source]:
    """Every ``*.form`` in ``directory`` (none when it does not exist), by name: what a caller
    passes as ``extra_forms`` to deploy with a forms directory (``otklik deploy``: forms/)."""
    return [Source.read(p) for p in sorted(directory.glob("*.form"))] if directory.is_dir() else []


def library_forms() -> list[Source]:
    """The server's forms library (OTKLIK_FORMS_DIR, default forms/): the forms ``otklik deploy``
    and a browser upload add to what they were given, so a diagram may reference a form without
    carrying it. Given forms win over library ones of the same file name."""
    return forms_in(settings().forms_dir)


def _form_sources(given: list[Source], extra: Sequence[Source]) -> list[Source]:
    """The forms given with the diagrams plus the caller's extra forms; a given form wins over an
    extra one of the same file name (an uploaded, changed form replaces the library's)."""
    named = {Path(s.name).name for s in given}
    return [s for s in extra if Path(s.name).name not in named] + given


def plan(sources: list[Source], extra_forms: Sequence[Source] = ()) -> list[_Plan]:
    """Validate everything; raise DeploymentError listing every problem, or return the plan.

    The forms a diagram may reference are the ``.form`` files among ``sources`` and
    ``extra_forms`` — nothing is read from disk here: the caller says what to add."""
    problems: list[Problem] = []
    diagrams = [s for s in sources if s.name.endswith(".bpmn")]
    others = [s for s in sources if not s.name.endswith((".bpmn", ".form"))]
    for source in others:
        problems.append(Problem(source.name, None, t("deployment.wrong_file_type")))
    if not diagrams:
        problems.append(Problem("(arguments)", None, t("deployment.no_diagram")))
    definitions, texts = _load_forms(_form_sources([s for s in sources if s.name.endswith(".form")], extra_forms), problems)
    plans: list[_Plan] = []
    seen: dict[str, str] = {}
    for source in diagrams:
        try:
            source.data.decode("utf-8")
        except UnicodeDecodeError:
            # lxml reads a diagram declaring windows-1251, but it is stored (and shown) as UTF-8.
            problems.append(Problem(source.name, None, t("deployment.diagram_not_utf8")))
            continue
        found, info = check_diagram(source.name, source.data, definitions)
        if not found:
            found = parse_spec_problems(source.name, source.data, info.process_id,
                                        partial(parse_process, filename=source.name))
        if info.process_id in seen and not found:
            found.append(Problem(source.name, info.process_id, t("deployment.process_id_twice", file=seen[info.process_id])))
        seen[info.process_id] = source.name
        problems.extend(found)
        forms = {ref: texts[ref] for ref in sorted(info.form_refs) if ref in texts}
        digest = hashlib.sha256(source.data)
        digest.update(json.dumps(forms, sort_keys=True).encode())
        plans.append(_Plan(source, info, forms, digest.hexdigest()))
    if problems:
        raise DeploymentError(problems)
    return plans


def territory_problems(session: Session, plans: Sequence[_Plan]) -> list[Problem]:
    """A process id serves one territory, and one deployment gives a territory one procedure.

    Process ids are free names; registration starts the procedure most recently deployed for the
    message's territory (engine.runtime.cases), whatever its id, so a renamed procedure simply
    takes over (``Deployed.replaces`` says so). Refused, naming both: an id already deployed for
    another territory (the versions of two territories would mix under it), and two diagrams for
    one territory in one deployment (which one served it would be a matter of file order)."""
    problems: list[Problem] = []
    batch: dict[str, str] = {}
    for item in plans:
        pid, region, name = item.info.process_id, item.info.region, item.source.name
        if item.info.kind == "template":
            continue  # a template serves no territory (engine.templates: its adopters do)
        if (other := batch.setdefault(region, pid)) != pid:
            problems.append(Problem(name, pid, t("territory.deploy_two_in_one", process=pid, other=other, region=region)))
        elsewhere = session.scalar(select(Deployment.region).where(Deployment.process_id == pid,
                                                                   Deployment.region != region,
                                                                   Deployment.kind == "procedure").limit(1))
        if elsewhere is not None:
            problems.append(Problem(name, pid, t("territory.deploy_process_elsewhere", process=pid, other=elsewhere,
                                                 region=region)))
    return problems


def serving(session: Session, region: str) -> str | None:
    """The process id registration starts for ``region``: its most recently deployed procedure
    (never a template, which does not run)."""
    return session.scalar(select(Deployment.process_id).where(Deployment.region == region,
                                                              Deployment.kind == "procedure")
                          .order_by(Deployment.id.desc()).limit(1))


def deploy(session: Session, sources: list[Source], actor: str, dry_run: bool = False,
           extra_forms: Sequence[Source] = ()) -> list[Deployed]:
    """Validate, then store each diagram as a new version unless its content is unchanged."""
    plans = plan(sources, extra_forms)
    if problems := territory_problems(session, plans) + source_problems(session, [(p.source.name, p.info) for p in plans]):
        raise DeploymentError(problems)
    if dry_run:
        return [Deployed(p.info.process_id, 0, False, p.source.name, tuple(p.info.warnings)) for p in plans]
    results = []
    for item in plans:
        pid = item.info.process_id
        existing = session.scalar(
            select(Deployment).where(Deployment.process_id == pid, Deployment.content_hash == item.content_hash)
        )
        if existing is not None:
            results.append(Deployed(pid, existing.version, False, item.source.name, tuple(item.info.warnings)))
            continue
        version = (session.scalar(select(func.max(Deployment.version)).where(Deployment.process_id == pid)) or 0) + 1
        previous = serving(session, item.info.region) if item.info.kind == "procedure" else None
        spec, subprocess_specs = parse_process(item.source.data, pid, item.source.name)
        now = clock.now()
        deployment = Deployment(
            process_id=pid, version=version, name=item.info.name, region=item.info.region,
            content_hash=item.content_hash, filename=Path(item.source.name).name,
            bpmn_xml=item.source.data.decode("utf-8"), forms=item.forms, variables=item.info.variables,
            spec=dump_spec(spec, subprocess_specs), deployed_by=actor, deployed_at=now, kind=item.info.kind,
            template_process_id=item.info.template[0] if item.info.template else None,
            template_version=item.info.template[1] if item.info.template else None,
            parameters=[p.as_json() for p in item.info.parameters],
        )
        session.add(deployment)
        session.flush()
        record(session, "deployed", actor=actor, at=now, details={
            "process_id": pid, "version": version, "deployment_id": deployment.id,
            "content_hash": item.content_hash, "forms": sorted(item.forms)})
        results.append(Deployed(pid, version, True, item.source.name, tuple(item.info.warnings), region=item.info.region,
                                replaces=previous if previous not in (None, pid) else None, kind=item.info.kind))
    return results


def latest(session: Session, process_id: str, region: str | None = None) -> Deployment | None:
    """The newest version of ``process_id`` (deployed for ``region``, when given: a region's view
    never shows another region's diagram stored under its key)."""
    query = select(Deployment).where(Deployment.process_id == process_id)
    if region is not None:
        query = query.where(Deployment.region == region)
    return session.scalar(query.order_by(Deployment.version.desc()).limit(1))
