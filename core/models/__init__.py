from .audit import AuditRecord
from .jobs import Job
from .notifications import Notification

__all__ = ["AuditRecord", "Job", "Notification"]
