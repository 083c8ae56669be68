"""Moved: the cooperation services are in contests.services.agreements, the parties of a 任务书 in
contests.selectors.agreement_parties, who may report progress in contests.permissions.

Only the old import path is kept, for contests/demo_data.py (which is being moved out of the app);
delete this module with it. New code imports `from contests import services, selectors`."""

from contests.permissions import can_report_progress as may_report_progress
from contests.selectors import TASK_BOOK_AUTHORITY as AUTHORITY
from contests.selectors import agreement_parties as parties
from contests.services.agreements import AGREEMENT_FIELDS, agreement_save, benefit_record, milestone_complete, progress_report_add

__all__ = ["AGREEMENT_FIELDS", "AUTHORITY", "agreement_save", "benefit_record", "may_report_progress", "milestone_complete", "parties", "progress_report_add"]
