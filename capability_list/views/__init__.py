"""Capability list pages: the catalogue, companies' and associations' entries, operator review
(catalogue.py); enquiries and matchmaking events (meetings.py); changes to listed entries and the
credentials' evidence files (changes.py)."""

from .catalogue import (
    action,
    detail,
    edit,
    edition_download,
    edition_publish,
    editions,
    entry_list,
    import_detail,
    import_rejects,
    import_template,
    import_upload,
    mine,
    review,
    review_queue,
)
from .changes import (
    change_action,
    change_edit,
    change_review,
    evidence_download,
    evidence_remove,
    evidence_upload,
)
from .meetings import enquiry_create, enquiry_detail, enquiry_list, event_create, event_detail, event_list

__all__ = [
    "action",
    "change_action",
    "change_edit",
    "change_review",
    "detail",
    "edit",
    "edition_download",
    "edition_publish",
    "editions",
    "entry_list",
    "enquiry_create",
    "enquiry_detail",
    "enquiry_list",
    "event_create",
    "event_detail",
    "event_list",
    "evidence_download",
    "evidence_remove",
    "evidence_upload",
    "import_detail",
    "import_rejects",
    "import_template",
    "import_upload",
    "mine",
    "review",
    "review_queue",
]
