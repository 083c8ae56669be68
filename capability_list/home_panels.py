"""What capability_list adds to home pages: the operator's review queue, and a company's own
entries by status with its enquiries."""

from django.db.models import Count

from capability_list import selectors
from capability_list.choices import EnquiryStatus, EntryStatus


def operator_panel(request) -> dict:
    return {"waiting": selectors.review_queue().count()}


def company_panel(request) -> dict:
    """A company's entries counted by status, and its own questions still open or answered (two queries)."""
    by_status = dict(
        selectors.entries_managed_by(request.user).order_by().values_list("status").annotate(count=Count("pk"))
    )
    asked = dict(
        selectors.enquiries_in_box(request.user, "asked").order_by().values_list("status").annotate(count=Count("pk"))
    )
    return {
        "listed": by_status.get(EntryStatus.LISTED, 0),
        "waiting": by_status.get(EntryStatus.SUBMITTED, 0),
        "returned": by_status.get(EntryStatus.RETURNED, 0),
        "drafts": by_status.get(EntryStatus.DRAFT, 0),
        "enquiries_open": asked.get(EnquiryStatus.OPEN, 0),
        "enquiries_answered": asked.get(EnquiryStatus.ANSWERED, 0),
    }
