from .audit import AuditRecord
from .jobs import Job
from .notifications import Notification
from .organisations import District, Organisation
from .people import Invitation, RoleAssignment, User

__all__ = [
    "AuditRecord",
    "District",
    "Invitation",
    "Job",
    "Notification",
    "Organisation",
    "RoleAssignment",
    "User",
]
