"""Every write to the capability list, one module per topic. Import from here:
`from capability_list.services import entry_save`."""

from .changes import (
    ChangeSaveResult,
    change_differs,
    entry_change_discard,
    entry_change_review,
    entry_change_save,
    entry_change_save_and_submit,
    entry_change_submit,
    listed_credentials,
    listed_values,
    open_change_of,
)
from .editions import edition_publish, edition_workbook_build
from .enquiries import enquiries_check_overdue, enquiry_answer, enquiry_ask, enquiry_rate
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
from .events import agenda_add, agenda_record, event_create
from .evidence import certificates_of, credential_evidence_remove, credential_evidence_upload
from .imports import import_apply, import_check, import_confirm, import_upload

__all__ = [
    "ChangeSaveResult",
    "certificates_of",
    "change_differs",
    "credential_evidence_remove",
    "credential_evidence_upload",
    "entry_change_discard",
    "entry_change_review",
    "entry_change_save",
    "entry_change_save_and_submit",
    "entry_change_submit",
    "listed_credentials",
    "listed_values",
    "open_change_of",
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
    "import_apply",
    "import_check",
    "import_confirm",
    "import_upload",
]
