"""Templates: model procedures municipalities adopt with their own parameters, and upgrade when the model changes.

See engine.templates.catalogue (what is deployed and who adopted it), .adoption (preview, adopt),
.upgrade (what a newer template version changes, upgrade keeping the values), .generate (the XML),
.history (what adopting and upgrading recorded).
"""
from __future__ import annotations

from engine.bpmn.template_parameters import Parameter
from engine.templates.adoption import Adoption, adopt, authorize, default_name, preview_adoption
from engine.templates.catalogue import (
    Adopter,
    TemplateError,
    TemplateForbidden,
    TemplateInfo,
    TemplateNotFound,
    adopted_from,
    check_values,
    parameters_of,
    templates,
)
from engine.templates.history import TemplateEvent, events
from engine.templates.upgrade import ParameterValue, UpgradePlan, upgrade, upgrade_plan

__all__ = ["Adopter", "Adoption", "Parameter", "ParameterValue", "TemplateError", "TemplateForbidden", "TemplateInfo",
           "TemplateNotFound", "TemplateEvent", "UpgradePlan",
           "adopt", "adopted_from", "authorize", "check_values", "default_name", "events", "parameters_of", "preview_adoption", "templates",
           "upgrade", "upgrade_plan"]
