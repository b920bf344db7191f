"""SQLAlchemy 2 typed models, one per module."""
from engine.models.api_token import ApiToken
from engine.models.attachment import Attachment
from engine.models.audit import AuditEvent
from engine.models.base import Base
from engine.models.delivery import Delivery
from engine.models.deployment import Deployment
from engine.models.external_task import ExternalTask
from engine.models.frozen_report import FrozenReport
from engine.models.import_job import ImportJob, ImportRowError
from engine.models.instance import Instance
from engine.models.message import Message, MessageLink
from engine.models.notification import Notification
from engine.models.organisation import Organisation
from engine.models.surge import Surge
from engine.models.task import Task
from engine.models.territory import Territory, TerritoryGeneration
from engine.models.user import Membership, Substitution, User
from engine.models.violation import Violation
from engine.models.webhook import Webhook, WebhookDelivery

__all__ = [
    "Attachment", "AuditEvent", "Base", "Delivery", "Deployment", "Instance", "Membership", "Message", "Notification",
    "Organisation", "Substitution", "Task", "Territory", "TerritoryGeneration", "User", "Violation",
    "Surge",
    "FrozenReport",
    "MessageLink",
    "ApiToken",
    "ImportJob", "ImportRowError",
    "ExternalTask",
    "Webhook", "WebhookDelivery",
]
