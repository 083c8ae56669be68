"""Every write of the ground floor. Import from here: `from core.services import audit_record`."""

from .audit import audit_purge, audit_reading_record, audit_record, denial_record, snapshot
from .jobs import JobWritesDone, job_create, job_run, job_start_requested, job_writes, jobs_requeue_stuck
from .notifications import notification_mark_read, notify

__all__ = [
    "JobWritesDone",
    "audit_purge",
    "audit_reading_record",
    "audit_record",
    "denial_record",
    "job_create",
    "job_run",
    "job_start_requested",
    "job_writes",
    "jobs_requeue_stuck",
    "notification_mark_read",
    "notify",
    "snapshot",
]
