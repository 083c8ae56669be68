"""Every write to the capability list, one module per topic. Import from here:
`from capability_list.services import entry_save`."""

from .editions import edition_publish, edition_workbook_build
from .enquiries import enquiries_check_overdue, enquiry_answer, enquiry_ask, enquiry_ask_supplier, enquiry_rate
from .entries import (
    AUDIT_FIELDS,
    ENTRY_FIELDS,
    EntrySaveResult,
    clean_credentials,
    clean_technology_fields,
    company_for_filing,
    entry_create,
    entry_reopen,
    entry_review,
    entry_review_many,
    entry_save,
    entry_submit,
    entry_update,
    entry_withdraw,
)
from .events import agenda_add, agenda_record, event_create, event_invite_supplier
from .imports import import_apply, import_check, import_confirm, import_upload

__all__ = [
    "AUDIT_FIELDS",
    "ENTRY_FIELDS",
    "EntrySaveResult",
    "agenda_add",
    "agenda_record",
    "clean_credentials",
    "clean_technology_fields",
    "company_for_filing",
    "edition_publish",
    "edition_workbook_build",
    "enquiries_check_overdue",
    "enquiry_answer",
    "enquiry_ask",
    "enquiry_ask_supplier",
    "enquiry_rate",
    "entry_create",
    "entry_reopen",
    "entry_review",
    "entry_review_many",
    "entry_save",
    "entry_submit",
    "entry_update",
    "entry_withdraw",
    "event_create",
    "event_invite_supplier",
    "import_apply",
    "import_check",
    "import_confirm",
    "import_upload",
]
