"""What capability_list adds to home pages: the operator's review queue, a company's own entries
by status with its enquiries, a publisher's questions waiting for its answer, and an association's
filed entries with its latest imports."""

from django.db.models import Count, Q
from django.utils import timezone

from capability_list import selectors
from capability_list.choices import EnquiryStatus, EntryStatus


def operator_panel(request) -> dict:
    return {"waiting": selectors.review_queue().count()}


IMPORTS_SHOWN = 3


def _entry_counts(user) -> dict:
    """The entries the person manages (a company's own, an association's filed ones) by status (one query)."""
    by_status = dict(selectors.entries_managed_by(user).order_by().values_list("status").annotate(count=Count("pk")))
    return {
        "listed": by_status.get(EntryStatus.LISTED, 0),
        "waiting": by_status.get(EntryStatus.SUBMITTED, 0),
        "returned": by_status.get(EntryStatus.RETURNED, 0),
        "drafts": by_status.get(EntryStatus.DRAFT, 0),
    }


def company_panel(request) -> dict:
    """A company's entries counted by status, and its own questions still open or answered (two queries)."""
    asked = dict(
        selectors.enquiries_in_box(request.user, "asked").order_by().values_list("status").annotate(count=Count("pk"))
    )
    return {
        **_entry_counts(request.user),
        "enquiries_open": asked.get(EnquiryStatus.OPEN, 0),
        "enquiries_answered": asked.get(EnquiryStatus.ANSWERED, 0),
    }


def publisher_panel(request) -> dict:
    """The questions addressed to the publisher's organisation still waiting for its answer, and how
    many of them are past their deadline (one query)."""
    waiting = selectors.enquiries_in_box(request.user, "received").filter(status=EnquiryStatus.OPEN).order_by()
    return waiting.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())))


def association_panel(request) -> dict:
    """The entries an association filed for its members by status, and its latest imports (two queries)."""
    imports = selectors.import_batches_of(request.user).order_by("-pk")[:IMPORTS_SHOWN]
    return {**_entry_counts(request.user), "imports": list(imports)}


def public_panel(request) -> dict:
    """The size of the published list (one query)."""
    return {"count": selectors.listed_entries().count()}
