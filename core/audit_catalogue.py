"""The catalogue of audited events: which kind (core.choices.AuditKind) each action belongs to.

Every service names its action as "<noun>.<verb>" ("award.decide", "auth.login"); the kind is
read from that name by the first rule below that matches, so a new action of a known family is
catalogued without touching this file. An action no rule names is a change of business data.
The kind is stored on each record (AuditRecord.kind), so the auditor's filter is one indexed
lookup and a record keeps the kind it was written with.

The actions written by the ground floor itself:

- access.denied   a signed-in person refused a page, an API call or an action for lack of
                  permission (core.services.audit.denial_record)
- file.download   a stored file sent as an attachment (core.middleware.AuditDownloadsMiddleware)
- data.export     a workbook or CSV built for the request and sent as an attachment (same)
- job.download    a background job's result workbook
- audit.search, audit.view, audit.export   the auditor's own reading of the audit log
- audit.purge     records older than the retention floor removed (manage.py audit_purge)
"""

from core.choices import AuditKind

DENIAL_ACTION = "access.denied"
DOWNLOAD_ACTION = "file.download"
EXPORT_ACTION = "data.export"

# (how the action is matched, the text, the kind): the first match wins.
_RULES: list[tuple[str, str, str]] = [
    ("exact", DENIAL_ACTION, AuditKind.DENIAL),
    ("exact", DOWNLOAD_ACTION, AuditKind.DOWNLOAD),
    ("exact", EXPORT_ACTION, AuditKind.EXPORT),
    ("exact", "job.download", AuditKind.EXPORT),  # a job's result is always a workbook the portal built
    ("exact", "user.confirm_email", AuditKind.SIGN_IN),
    ("suffix", ".admin_save", AuditKind.ADMIN),
    ("suffix", ".admin_delete", AuditKind.ADMIN),
    ("prefix", "system.", AuditKind.ADMIN),  # manage.py backup and restore
    ("prefix", "audit.", AuditKind.AUDIT),
    ("prefix", "auth.", AuditKind.SIGN_IN),
    ("prefix", "account.", AuditKind.ACCOUNT),
    ("prefix", "role.", AuditKind.ACCOUNT),
    ("prefix", "invitation.", AuditKind.ACCOUNT),
    ("prefix", "score_sheet.", AuditKind.SCORING),
    ("prefix", "scoring.", AuditKind.SCORING),
    ("prefix", "ranking.", AuditKind.SCORING),
    ("prefix", "award.", AuditKind.SCORING),
    ("suffix", ".export", AuditKind.EXPORT),
    ("suffix", ".download", AuditKind.DOWNLOAD),
]

AUDIT_READING_ACTIONS = ("audit.search", "audit.view", "audit.export")


def kind_of(action: str) -> str:
    """The AuditKind of an action name."""
    for how, text, kind in _RULES:
        if (
            (how == "exact" and action == text)
            or (how == "prefix" and action.startswith(text))
            or (how == "suffix" and action.endswith(text))
        ):
            return kind
    return AuditKind.CHANGE


def is_export_or_download(action: str) -> bool:
    return kind_of(action) in (AuditKind.EXPORT, AuditKind.DOWNLOAD)
