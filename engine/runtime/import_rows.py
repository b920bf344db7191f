"""What a row of an imported export means: the intake API's message (engine.runtime.intake.Incoming),
or the problems that keep it out, by column.

- Dates: ISO 8601 (with or without ``T``), or ``ДД.ММ.ГГГГ ЧЧ:ММ[:СС]``, or an XLSX date cell. A time
  without an offset is read on the clock of the row's territory (XLSX cells never carry one).
  ``detected_at`` absent or empty: when the file was uploaded (``received_at``) — the moment Otklik
  learnt of the message. Not the posting time: a deadline counted from detection would then have
  run, and been recorded as broken by the curator's department, before anyone had the message.
- Network: its key (``vk``, ``ok``, ``telegram`` …) or a usual name (ВКонтакте, Одноклассники,
  Телеграм …); absent or empty, it is told by the post's address (vk.com, ok.ru, t.me …).
- Territory: the row's ``region`` column (a key, or its name) else the job's.
- Identity: the row's ``source``/``source_id``; without a source, ``import``; without a source_id,
  ``row-`` and the SHA-256 of the row's network, address, author, text and posting time — so the
  same export uploaded again, or a corrected copy of it, takes each message once (a hash of the
  file and the row number would take every row of a corrected copy again).
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from engine.calendar.regions import REGIONS
from engine.runtime.cases import NETWORKS, MessageInput
from engine.runtime.import_file import Cell, Row
from engine.runtime.intake import Incoming

DEFAULT_SOURCE = "import"
_DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y %H:%M")
_LINK_SPLIT = re.compile(r"[\s;]+")

NETWORK_NAMES: dict[str, str] = {
    **{key: key for key in NETWORKS},
    "вконтакте": "vk", "вк": "vk", "vkontakte": "vk", "vk.com": "vk",
    "одноклассники": "ok", "ок": "ok", "odnoklassniki": "ok", "ok.ru": "ok",
    "телеграм": "telegram", "телеграмм": "telegram", "tg": "telegram", "t.me": "telegram",
    "блог": "blog", "сайт": "site", "мессенджер": "messenger", "фейсбук": "facebook", "твиттер": "twitter",
    "x": "twitter", "инстаграм": "instagram",
}
_HOSTS = {"vk.com": "vk", "m.vk.com": "vk", "vk.ru": "vk", "ok.ru": "ok", "m.ok.ru": "ok", "t.me": "telegram",
          "telegram.me": "telegram", "facebook.com": "facebook", "twitter.com": "twitter", "x.com": "twitter",
          "instagram.com": "instagram"}


class RowProblems(Exception):
    """Column (the file's header, or the field) → (code, arguments) for a row that cannot even be
    handed to intake."""

    def __init__(self, problems: dict[str, tuple[str, dict[str, str]]]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.strip() if isinstance(cell, str) else cell.isoformat()


def territory_of(value: str, default: str) -> str:
    """The territory's key a cell names (its key or its Russian or English name), else the cell."""
    if not value:
        return default
    if value in REGIONS:
        return value
    folded = value.casefold()
    for key, region in REGIONS.items():
        if folded in (key.casefold(), region.name.casefold(), (region.name_en or "").casefold()):
            return key
    return value


def network_of(value: str, url: str) -> str:
    if value:
        return NETWORK_NAMES.get(value.casefold(), value)
    host = (urlsplit(url).hostname or "").removeprefix("www.") if "//" in url else ""
    return _HOSTS.get(host, "")


def parse_instant(cell: Cell, zone: str) -> datetime | None:
    """An instant a cell holds, on ``zone``'s clock when it says no offset; None when unreadable."""
    if isinstance(cell, datetime):
        found: datetime | None = cell
    else:
        text = cell_text(cell)
        found = None
        try:
            found = datetime.fromisoformat(text) if text else None
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    found = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
    if found is None:
        return None
    return found.replace(tzinfo=ZoneInfo(zone)) if found.tzinfo is None else found


def row_identity(network: str, url: str, author: str, text: str, posted_at: datetime) -> str:
    """The source_id a row without one gets: the same post, the same id, whatever the file."""
    digest = hashlib.sha256("\x1f".join((network, url, author, text, posted_at.isoformat())).encode()).hexdigest()
    return f"row-{digest[:40]}"


def incoming(row: Row, region: str, headers: dict[str, str], received_at: datetime) -> Incoming:
    """The row as the intake API's message, or raise :class:`RowProblems`. ``received_at``: when the
    file was uploaded, the detection time of a row that gives none."""
    cells = row.cells
    values = {name: cell_text(cells.get(name)) for name in ("network", "url", "author", "text", "region", "source",
                                                         "source_id", "attachments")}
    territory = territory_of(values["region"], region)
    zone = REGIONS[territory].timezone if territory in REGIONS else REGIONS[region].timezone if region in REGIONS \
        else "UTC"
    problems: dict[str, tuple[str, dict[str, str]]] = {}
    posted_at = parse_instant(cells.get("posted_at"), zone)
    if posted_at is None:
        problems[headers.get("posted_at", "posted_at")] = (
            "required" if not cell_text(cells.get("posted_at")) else "bad_date", {"value": cell_text(cells.get("posted_at"))[:60]})
    given = cell_text(cells.get("detected_at"))
    detected_at = parse_instant(cells.get("detected_at"), zone) if given else received_at
    if given and detected_at is None:
        problems[headers.get("detected_at", "detected_at")] = ("bad_date",
                                                               {"value": cell_text(cells.get("detected_at"))[:60]})
    if problems or posted_at is None or detected_at is None:
        raise RowProblems(problems)
    network = network_of(values["network"], values["url"])
    source = values["source"] or DEFAULT_SOURCE
    source_id = values["source_id"] or row_identity(network, values["url"], values["author"], values["text"], posted_at)
    links = tuple(link for link in _LINK_SPLIT.split(values["attachments"]) if link)
    return Incoming(MessageInput(region=territory, network=network, url=values["url"], author=values["author"],
                                 text=values["text"], posted_at=posted_at, detected_at=detected_at,
                                 source=source, source_id=source_id), links=links)
