"""Writes of the Excel import: store the upload, record its dry run, import the valid rows.

The checking itself (the file, each row, the rows together) is capability_list/import_checker.py;
these functions run it and write what it found. Large files are checked and imported by jobs
(capability_list/jobs.py) that call the same functions.
"""

import hashlib
import logging
from typing import NoReturn

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from capability_list.choices import EntryStatus
from capability_list.entry_rules import entry_search_text
from capability_list.import_checker import RowCheck, check_rows, in_chunks, read_for_check
from capability_list.import_workbooks import rejects_workbook
from capability_list.models import CapabilityEntry, Credential, ImportBatch
from capability_list.permissions import can_import, is_operator
from capability_list.selectors import LISTED_ENTRIES, REVIEW_QUEUE_PAGES
from core.errors import DomainError, PermissionDenied
from core.excel_reading import WorkbookRefused, check_workbook_upload
from core.messages import Message
from core.page_cache import pages_changed
from core.services import audit_record, job_create, notify

# A file whose parts inflate to less is checked during the request; a larger one by a job. Reading
# costs about a second per inflated MB whatever the upload's size (a ZIP inflating 100 times is
# still a 50 MB sheet), so the inflated size decides.
SYNC_CHECK_BYTES = 8 * 1024 * 1024
SYNC_IMPORT_ROWS = 2000

logger = logging.getLogger(__name__)


def import_upload(*, actor: User, uploaded) -> ImportBatch:
    """Store an uploaded workbook and run its dry run (in a job when large).

    A file refused as a whole before it is stored (its name, format, macros, the virus scanner:
    core.excel_reading.check_workbook_upload) raises DomainError and stores nothing; one refused
    by the dry run raises DomainError too, its batch left failed with the reason.
    """
    if not can_import(actor):
        raise PermissionDenied(_("只有行业协会和运营管理人员可以批量导入。"))
    try:
        unpacked = check_workbook_upload(uploaded)
    except WorkbookRefused as refused:
        raise DomainError(str(refused), code="file_refused") from None
    content = uploaded.read()
    with transaction.atomic():
        batch = ImportBatch(
            original_name=uploaded.name[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
            organisation=actor.organisation,
        )
        batch.file.save("import.xlsx", ContentFile(content), save=False)
        batch.save()
        audit_record(
            actor=actor,
            action="import.upload",
            target=batch,
            after={"file": batch.original_name, "sha256": batch.sha256},
        )
        if unpacked > SYNC_CHECK_BYTES:
            batch.job = job_create(
                actor=actor,
                kind="capability_list.import_check",
                params={"batch": batch.pk},
                title=Message(gettext_noop("检查导入文件：%(name)s"), name=batch.original_name),
            )
            batch.save(update_fields=["job"])
            return batch
    import_check(batch=batch)
    batch.refresh_from_db()
    return batch


def import_check(*, batch: ImportBatch, report=None) -> None:
    """The dry run: record every bad cell and how many rows are valid, new or already listed.

    However it fails, the batch ends failed with a reason in Chinese (never left 检查中) and a
    DomainError carries that reason to the page or the job."""
    try:
        with batch.file.open("rb") as stored:
            content = stored.read()
        checks = check_rows(read_for_check(content, batch.original_name), report=report, total_hint=batch.total_rows)
    except Exception as error:  # noqa: BLE001 — the batch must not stay 检查中, whatever went wrong
        _fail(batch, error, _("检查文件时出错，未写入任何数据。请重新上传；如仍失败，请联系运营人员。"))
    errors = [
        {"row": check.number, "column": column, "message": message}
        for check in checks
        for column, message in check.errors
    ]
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.CHECKED,
        total_rows=len(checks),
        valid_rows=sum(1 for check in checks if not check.errors and not check.existing),
        existing_rows=sum(1 for check in checks if check.existing),
        error_rows=sum(1 for check in checks if check.errors),
        errors=errors[:5000],
    )


def import_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import the valid rows of a checked file (in a job when many). Rows with errors are handed back."""
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("只能确认自己上传的文件。"))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.CHECKED:
            raise DomainError(
                _("该文件当前为“%(state)s”，不能导入。") % {"state": batch.get_state_display()}, code="illegal_state"
            )
        batch.state = ImportBatch.State.IMPORTING
        batch.save(update_fields=["state"])
        if batch.valid_rows > SYNC_IMPORT_ROWS:
            batch.job = job_create(
                actor=actor,
                kind="capability_list.import_apply",
                params={"batch": batch.pk},
                title=Message(gettext_noop("导入：%(name)s"), name=batch.original_name),
            )
            batch.save(update_fields=["job"])
            return batch
    import_apply(batch=batch)
    batch.refresh_from_db()
    return batch


def import_apply(*, batch: ImportBatch, report=None) -> int:
    """Check again (the list may have changed since the dry run), then write all valid rows at once.
    However it fails, nothing is written and the batch ends failed with a reason in Chinese."""
    actor = batch.uploaded_by
    status = EntryStatus.LISTED if is_operator(actor) else EntryStatus.SUBMITTED
    try:
        with batch.file.open("rb") as stored:
            content = stored.read()
        checks = check_rows(read_for_check(content, batch.original_name), report=report, total_hint=batch.total_rows)
    except Exception as error:  # noqa: BLE001 — the batch must not stay 导入中, whatever went wrong
        _fail(batch, error, _("导入失败，未写入任何数据。"))
    try:
        with transaction.atomic():
            created = _write_valid_rows(checks, actor=actor, status=status, report=report)
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            rejects = rejects_workbook(checks)
            if rejects:
                batch.rejects_file.save("rejects.xlsx", ContentFile(rejects), save=False)
            batch.state = ImportBatch.State.IMPORTED
            batch.imported_count = created
            batch.imported_at = timezone.now()
            batch.existing_rows = sum(1 for check in checks if check.existing)
            batch.save()
            audit_record(
                actor=actor,
                action="import.apply",
                target=batch,
                after={"created": created, "status": status, "rejected": batch.error_rows},
            )
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, failure=_("导入失败，未写入任何数据。")
        )
        raise
    notify(
        recipients=[actor],
        title=Message(gettext_noop("导入完成：%(name)s，新增 %(count)d 条"), name=batch.original_name, count=created),
        link=reverse("capability_list:import-detail", args=[batch.pk]),
        email=False,
    )
    return created


def _fail(batch: ImportBatch, error: Exception, reason: str) -> NoReturn:
    """End the batch failed and raise the DomainError that says why: a refusal of the file says its
    own reason; anything else the generic `reason` (the details go to the log)."""
    if isinstance(error, WorkbookRefused | DomainError):
        reason = str(error) if isinstance(error, WorkbookRefused) else error.message
    else:
        logger.error("import batch %s failed", batch.pk, exc_info=error)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, failure=reason)
    raise DomainError(reason, code="file_refused") from None


def _write_valid_rows(checks: list[RowCheck], *, actor: User, status: str, report=None) -> int:
    """Write the valid new rows, all in one transaction, so a failure or a killed worker leaves
    nothing half-written; rows already in the list were marked `existing` and are skipped, so
    importing the same file twice creates no duplicates. Returns how many entries were created.
    Bulk inserts send no signal: the published list's stored API answers are made stale here."""
    rows = [check for check in checks if not check.errors and not check.existing]
    with transaction.atomic():
        codes = list({row.cleaned["credit_code"] for row in rows})
        companies = {
            organisation.credit_code: organisation
            for organisation in in_chunks(Organisation.objects.all(), "credit_code", codes)
        }
        new_companies = [
            Organisation(
                name=row.cleaned["company_name"],
                credit_code=row.cleaned["credit_code"],
                kind="company",
                district=row.cleaned["district"],
            )
            for row in {
                row.cleaned["credit_code"]: row for row in rows if row.cleaned["credit_code"] not in companies
            }.values()
        ]
        for organisation in Organisation.objects.bulk_create(new_companies, batch_size=1000):
            companies[organisation.credit_code] = organisation
        if any(organisation.pk is None for organisation in companies.values()):  # backends that do not return ids
            companies = {
                organisation.credit_code: organisation
                for organisation in in_chunks(Organisation.objects.all(), "credit_code", codes)
            }
        via = actor.organisation if actor.organisation_id and actor.organisation.kind == "association" else None
        now = timezone.now()
        entries = []
        for row in rows:
            data = row.cleaned
            entry = CapabilityEntry(
                company=companies[data["credit_code"]],
                submitted_by=actor,
                submitted_via=via,
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                application_cases=data["application_cases"],
                technology_fields=data["technology_fields"],
                industry=data["industry"],
                strategic_area=data["strategic_area"],
                maturity=data["maturity"],
                price_band=data["price_band"],
                is_strategic_emerging=data["is_strategic_emerging"],
                is_independent_innovation=data["is_independent_innovation"],
                status=status,
                listed_at=now if status == EntryStatus.LISTED else None,
                reviewed_by=actor if status == EntryStatus.LISTED else None,
                reviewed_at=now if status == EntryStatus.LISTED else None,
            )
            entry.search_text = entry_search_text(entry)
            entries.append(entry)
        created = CapabilityEntry.objects.bulk_create(entries, batch_size=1000)
        if report:
            report(85, _("已写入 %(count)d 个条目") % {"count": len(created)})
        if any(entry.pk is None for entry in created):
            keys = [(entry.company_id, entry.name) for entry in created]
            company_ids = list({key[0] for key in keys})
            lookup = {
                (entry.company_id, entry.name): entry.pk
                for entry in in_chunks(
                    CapabilityEntry.objects.only("id", "company_id", "name"), "company_id", company_ids
                )
            }
            for entry in created:
                entry.pk = lookup[(entry.company_id, entry.name)]
        credentials = [
            Credential(entry=entry, **row.cleaned["credential"])
            for entry, row in zip(created, rows)
            if row.cleaned.get("credential")
        ]
        Credential.objects.bulk_create(credentials, batch_size=1000)
        pages_changed(LISTED_ENTRIES, REVIEW_QUEUE_PAGES)  # bulk_create sends no signal
    return len(created)
