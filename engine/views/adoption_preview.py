"""What adopting a template would deploy, as the adoption page shows it: the generated procedure
(engine.templates.Adoption) with its procedure card, read once here so no page assembles the two.

The card lives with the read models (engine.views.procedure_card) and engine.templates sits below
them (docs/architecture.md, Packages), so the adoption is wrapped here rather than carrying the card.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.templates import Adoption, preview_adoption
from engine.views.procedure_card import ProcedureCard, procedure_card

__all__ = ["AdoptionPreview", "preview"]


@dataclass(frozen=True)
class AdoptionPreview:
    adoption: Adoption
    card: ProcedureCard  # of the generated diagram with the template version's forms


def preview(session: Session, template_pid: str, territory: str, values: Mapping[str, str],
            process_id: str | None = None, *, name: str | None = None) -> AdoptionPreview:
    """engine.templates.preview_adoption with the card; nothing is stored. Raises TemplateError."""
    adoption = preview_adoption(session, template_pid, territory, values, process_id, name=name)
    return AdoptionPreview(adoption, procedure_card(adoption.bpmn_xml, adoption.forms))
