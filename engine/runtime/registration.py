"""Registering a message found by a curator: checks, then the region's procedure starts, with
the photos and videos the curator attached stored in the same transaction."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.conventions import networks_in
from engine.bpmn.reader import read_diagram
from engine.directory import policy
from engine.directory.access import current_grants
from engine.directory.officials import roles_of
from engine.errors import AlreadyRegistered, Forbidden, InvalidSubmission
from engine.models import Deployment, Instance, Message
from engine.runtime import store
from engine.runtime.attachments import Upload, check_upload, read_upload, save_attachment
from engine.runtime.cases import NETWORKS, MessageInput, start_procedure
from engine.runtime.deployments import newest_procedure
from engine.runtime.message_limits import bound_problems


def registration_regions(session: Session, login: str) -> list[str]:
    """Regions where ``login`` may register messages (as curator, own or substituted)."""
    return policy.registration_regions(current_grants(session, login))


def accepted_networks(session: Session, region: str) -> tuple[str, ...]:
    """The networks a message of ``region`` may come from: those its newest procedure lists in
    the process property ``networks`` (the sources its act names, e.g. Kuzbass п. 4), in the
    diagram's order; every network when it lists none or no procedure is deployed (starting then
    says so)."""
    deployment_id = newest_procedure(session, region)
    listed = _listed_networks(session, deployment_id) if deployment_id is not None else None
    return NETWORKS if listed is None else tuple(key for key in listed if key in NETWORKS)


_XML = select(Deployment.bpmn_xml).where(Deployment.id == bindparam("id"))
# (deployment id, content hash) → the networks its diagram lists: a deployment never changes, so its
# diagram is fetched (200 kB) and read once per process, not once per message taken in.
_NETWORKS: OrderedDict[tuple[int, str], tuple[str, ...] | None] = OrderedDict()
_NETWORKS_LOCK = threading.Lock()
_NETWORKS_SIZE = 64


def _listed_networks(session: Session, deployment_id: int) -> tuple[str, ...] | None:
    key = (deployment_id, store.deployment_info(session, deployment_id).content_hash)
    with _NETWORKS_LOCK:
        if key in _NETWORKS:
            return _NETWORKS[key]
    listed = networks_in(read_diagram(session.scalar(_XML, {"id": deployment_id}) or "").properties)
    with _NETWORKS_LOCK:
        _NETWORKS[key] = listed
        while len(_NETWORKS) > _NETWORKS_SIZE:
            _NETWORKS.popitem(last=False)
    return listed


def offered_networks(session: Session, regions: list[str]) -> list[str]:
    """The networks a registration form offers a curator of ``regions``: those any of their
    procedures accepts (:func:`accepted_networks`), in the usual order."""
    listed = {key for region in regions for key in accepted_networks(session, region)}
    return [key for key in NETWORKS if key in listed]


def registration_problems(session: Session, message: MessageInput) -> dict[str, str]:
    """Field → problem code (required, too_long, unknown, not_listed — a network the region's
    procedure does not list —, bad_url, future, too_old,
    before_posted, other_region) for a message about to be registered; empty when it may be
    registered. ``posted_at``/``detected_at`` may be None when the form could not be read (not
    rechecked). Lengths and the dates' window: engine.runtime.message_limits."""
    problems = bound_problems(message, clock.now())
    if message.network not in NETWORKS:
        problems["network"] = "required" if not message.network else "unknown"
    elif message.network not in accepted_networks(session, message.region):
        problems["network"] = "not_listed"
    url = message.url.strip()
    if not url:
        problems["url"] = "required"
    elif "url" not in problems and not web_address(url):
        problems["url"] = "bad_url"
    if not message.author.strip():
        problems["author"] = "required"
    if not message.text.strip():
        problems["text"] = "required"
    if message.posted_at and message.detected_at and "detected_at" not in problems \
            and message.detected_at < message.posted_at:
        problems["detected_at"] = "before_posted"
    if message.repeat_of_id is not None:
        earlier = session.get(Message, message.repeat_of_id)
        if earlier is None:
            problems["repeat_of_id"] = "unknown"
        elif earlier.region != message.region:
            problems["repeat_of_id"] = "other_region"
    return problems


def web_address(url: str) -> bool:
    """An http(s) address with a host and no white space (a message's page, an attachment's link)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: "http://[::1"
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


def register_message(session: Session, message: MessageInput, login: str) -> Instance:
    """A curator registers a message found in a social network; its region's procedure starts.

    Raises Forbidden (not a curator of that region), AlreadyRegistered (this form, by its
    ``submission_id``, registered a message already), InvalidSubmission (field → problem code)
    or NotFound (no procedure deployed for the region)."""
    if message.region not in registration_regions(session, login):
        raise Forbidden(f"{login} is not a curator in region '{message.region}'")
    _refuse_if_sent_before(session, message.submission_id)
    problems = registration_problems(session, message)
    if problems:
        raise InvalidSubmission(problems)
    try:
        with session.begin_nested():
            return start_procedure(session, message, login)
    except IntegrityError:
        # The same form sent twice at once: the other sending committed first (unique id).
        _refuse_if_sent_before(session, message.submission_id)
        raise


def _refuse_if_sent_before(session: Session, submission_id: str | None) -> None:
    """AlreadyRegistered when this registration form already registered a message."""
    if submission_id:
        earlier = session.scalar(select(Message.id).where(Message.submission_id == submission_id))
        if earlier is not None:
            raise AlreadyRegistered(earlier)


@dataclass(frozen=True)
class CheckedFile:
    """An attachment that passed check_upload, read once, waiting for its message."""

    filename: str
    content_type: str
    data: bytes


def checked_files(uploads: Sequence[Upload], max_bytes: int) -> tuple[list[CheckedFile], list[str]]:
    """The acceptable files, and one problem (for people, naming the file) per refused one;
    nameless entries (an empty file input) are skipped."""
    accepted, problems = [], []
    for upload in uploads:
        if not upload.filename:
            continue
        data = read_upload(upload, max_bytes)
        try:
            check_upload(data, upload.filename, upload.content_type, max_bytes)
        except ValueError as error:
            problems.append(str(error))
            continue
        accepted.append(CheckedFile(upload.filename, upload.content_type, data))
    return accepted, problems


def register_with_attachments(session: Session, message: MessageInput, login: str, files: Sequence[CheckedFile],
                              *, upload_dir: str, max_bytes: int) -> Instance:
    """register_message, then each file stored for the new message in the same transaction
    (a failure rolls back both). The files belong to the curator's organisation in the region."""
    instance = register_message(session, message, login)
    organisation = next((r.organisation_key for r in roles_of(session, login)
                         if r.role == "curator" and r.region == message.region), None)
    for file in files:
        save_attachment(session, data=file.data, filename=file.filename, content_type=file.content_type,
                        message_id=instance.message_id, uploaded_by=login, organisation_key=organisation,
                        upload_dir=upload_dir, max_bytes=max_bytes)
    return instance
