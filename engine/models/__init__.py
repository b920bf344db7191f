"""SQLAlchemy 2 typed models, one per module."""
from .attachment import Attachment
from .audit import AuditEvent
from .base import Base
from .deployment import Deployment
from .instance import Instance
from .message import Message
from .notification import Notification
from .organisation import Organisation
from .task import Task
from .user import Membership, Substitution, User
from .violation import Violation

__all__ = [
    "Attachment", "AuditEvent", "Base", "Deployment", "Instance", "Membership", "Message", "Notification",
    "Organisation", "Substitution", "Task", "User", "Violation",
]
