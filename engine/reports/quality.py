"""Quality of the answers, where the acts ask for it (and which act asks what).

* Orenburg п. 20: "сводную информацию об оперативности работы …, качестве этой работы и динамике";
  п. 16 wants the answer "с приложением подтверждающих фото-, видеоматериалов при их наличии".
* Kuzbass п. 25: "о своевременности работы по подготовке ответов … , качестве этой работы и динамике".
* Smolensk п. 14: "о соблюдении исполнителями требований настоящего Порядка"; п. 11 asks for
  "подтверждающих фото- или видеоматериалов при их наличии".
* Kaluga п. 1.1 asks for a quarterly report; the same measures are offered.

So every summary carries: the share answered without a breach of the act (Summary.timeliness),
the answers that needed rework (a step declared ``rework`` was opened), the median working time
from detection to the end of the case, and the answers that came with a photo or video (a file
attached on a task of the case: the answer's proof; the acts say "при их наличии", so this is a
measure to read, not a breach).
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.workingtime import calendar_for_region
from engine.models import Attachment, Instance, Message, Task
from engine.reports.facts import DiagramFacts


@dataclass
class Quality:
    sent_back: int = 0                          # answered cases whose draft was sent back at least once
    with_media: int = 0                         # answered cases with a photo or video attached on a task
    median_answer_minutes: float | None = None  # working minutes, detection → end of the case
    measured: int = 0                           # answered cases the median counts


def measure(session: Session, region: str, answered: Sequence[Instance], messages: Mapping[int, Message],
            facts: Mapping[int, DiagramFacts]) -> Quality:
    """The quality measures of the answered cases ``answered`` of one region and period."""
    result = Quality()
    if not answered:
        return result
    ids = [i.id for i in answered]
    steps = session.execute(select(Task.instance_id, Task.element_id).where(Task.instance_id.in_(ids))).all()
    result.sent_back = len({i for i, element in steps if element in facts[i].rework_steps})
    with_files = set(session.scalars(select(Attachment.message_id).where(
        Attachment.message_id.in_([i.message_id for i in answered]), Attachment.task_id.is_not(None))))
    result.with_media = sum(1 for i in answered if i.message_id in with_files)
    calendar = calendar_for_region(region)
    spent: list[float] = []
    for instance in answered:
        start, end = messages[instance.message_id].detected_at, instance.completed_at
        if end is not None and calendar.countable(start, end):
            spent.append(calendar.working_time_between(start, end).total_seconds() / 60)
    result.measured = len(spent)
    result.median_answer_minutes = statistics.median(spent) if spent else None
    return result
