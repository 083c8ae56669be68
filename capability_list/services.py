"""Every write to the capability list. Keyword-only, atomic; refusals raise DomainError."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from accounts.models import Organisation, User
from accounts.selectors import operators_active
from core.services import audit_record, job_create, notify, snapshot
from capability_list.choices import CredentialKind, EntryStatus
from capability_list.models import FIRST_CREDENTIAL_YEAR, CapabilityEntry, Credential
from capability_list.permissions import EDITABLE, can_manage_entry, can_submit_for, is_association_member, is_operator

ENTRY_FIELDS = [
    "name",
    "kind",
    "description",
    "application_cases",
    "technology_fields",
    "industry",
    "strategic_area",
    "maturity",
    "price_band",
    "is_strategic_emerging",
    "is_independent_innovation",
]
AUDIT_FIELDS = [*ENTRY_FIELDS, "status", "review_note"]
MAX_FIELDS = 10
MAX_CREDENTIALS = 6


def clean_technology_fields(value) -> list[str]:
    """Keywords from a list or a text separated by 、，, ; — trimmed, unique, at most ten."""
    if isinstance(value, str):
        for separator in "，,；;、\n":
            value = value.replace(separator, "、")
        value = value.split("、")
    if not isinstance(value, (list, tuple)):
        raise ValidationError({"technology_fields": [_("技术领域应为关键词列表。")]})
    words = []
    for word in value:
        word = str(word).strip()
        if word and word not in words:
            if len(word) > 20:
                raise ValidationError({"technology_fields": [_("关键词“%(word)s”超过 20 个字。") % {"word": word[:20]}]})
            words.append(word)
    if len(words) > MAX_FIELDS:
        raise ValidationError({"technology_fields": [_("技术领域最多 %(max)d 个关键词。") % {"max": MAX_FIELDS}]})
    return words


def clean_credentials(credentials: list[dict], *, entry: CapabilityEntry | None = None) -> list[dict]:
    """Check each 三首 credential: kind, certificate number, level, a year not in the future, no duplicates."""
    errors, cleaned, seen = [], [], set()
    this_year = timezone.localdate().year
    for index, credential in enumerate(credentials, start=1):
        kind = credential.get("kind")
        number = str(credential.get("certificate_number") or "").strip()
        level = credential.get("level")
        year = credential.get("year")
        if kind not in CredentialKind.values:
            errors.append(_("第 %(n)d 项认定：类型应为首台套、首批次或首版次。") % {"n": index})
            continue
        if not number:
            errors.append(_("第 %(n)d 项认定：缺少证书编号。") % {"n": index})
            continue
        if len(number) > 60:
            errors.append(_("第 %(n)d 项认定：证书编号超过 60 个字符。") % {"n": index})
            continue
        if level not in ("national", "provincial", "municipal"):
            errors.append(_("第 %(n)d 项认定：级别应为国家级、省级或市级。") % {"n": index})
            continue
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors.append(_("第 %(n)d 项认定：年度应为数字。") % {"n": index})
            continue
        if not FIRST_CREDENTIAL_YEAR <= year <= this_year:
            errors.append(_("第 %(n)d 项认定：年度应在 %(first)d–%(last)d 之间。") % {"n": index, "first": FIRST_CREDENTIAL_YEAR, "last": this_year})
            continue
        if (kind, number) in seen:
            errors.append(_("第 %(n)d 项认定：证书编号重复。") % {"n": index})
            continue
        taken = Credential.objects.filter(kind=kind, certificate_number=number)
        if entry is not None and entry.pk:
            taken = taken.exclude(entry=entry)
        if taken.exists():
            errors.append(_("证书编号 %(number)s 已被其他条目登记。") % {"number": number})
            continue
        seen.add((kind, number))
        cleaned.append({"kind": kind, "certificate_number": number, "level": level, "year": year})
    if len(cleaned) > MAX_CREDENTIALS:
        errors.append(_("三首认定最多 %(max)d 项。") % {"max": MAX_CREDENTIALS})
    if errors:
        raise ValidationError({"credentials": errors})
    return cleaned


def _refresh_search_text(entry: CapabilityEntry) -> None:
    entry.search_text = " ".join(
        part for part in [entry.name, entry.description, entry.application_cases, " ".join(entry.technology_fields or []), entry.company.name] if part
    )


def _validate(entry: CapabilityEntry) -> None:
    errors = {}
    try:
        entry.full_clean(exclude=["company", "submitted_by", "submitted_via", "search_text"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if entry.industry_id and entry.industry.section_id is None:
        errors.setdefault("industry", []).append(_("请选择行业大类（如“39 计算机、通信和其他电子设备制造业”），而不是门类。"))
    duplicate = CapabilityEntry.objects.filter(company_id=entry.company_id, name=entry.name).exclude(pk=entry.pk)
    if entry.name and duplicate.exists():
        errors.setdefault("name", []).append(_("该企业已登记同名的技术（产品）。"))
    if errors:
        raise ValidationError(errors)


def _replace_credentials(entry: CapabilityEntry, credentials: list[dict]) -> None:
    entry.credentials.all().delete()
    Credential.objects.bulk_create([Credential(entry=entry, **credential) for credential in credentials])


@transaction.atomic
def entry_create(*, actor: User, company: Organisation, data: dict, credentials: list[dict] | None = None) -> CapabilityEntry:
    """A company member (or an association for a company) registers a technology or product as a draft."""
    if not can_submit_for(actor, company):
        raise PermissionDenied(_("只有企业本身或代报的行业协会可以登记能力清单。"))
    entry = CapabilityEntry(
        company=company,
        submitted_by=actor,
        submitted_via=actor.organisation if is_association_member(actor) and actor.organisation_id != company.pk else None,
    )
    for field in ENTRY_FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.technology_fields = clean_technology_fields(entry.technology_fields or [])
    cleaned_credentials = clean_credentials(credentials or [])
    _validate(entry)
    _refresh_search_text(entry)
    entry.save()
    _replace_credentials(entry, cleaned_credentials)
    audit_record(actor=actor, action="capability.create", target=entry, after={**snapshot(entry, AUDIT_FIELDS), "credentials": cleaned_credentials})
    return entry


@transaction.atomic
def entry_update(*, actor: User, entry: CapabilityEntry, data: dict, credentials: list[dict] | None = None) -> CapabilityEntry:
    entry = CapabilityEntry.objects.select_for_update(of=("self",)).select_related("company").get(pk=entry.pk)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权修改该条目。"))
    if entry.status not in EDITABLE:
        raise DomainError(_("条目处于“%(status)s”状态，不能修改。") % {"status": entry.get_status_display()}, code="not_editable")
    before = snapshot(entry, AUDIT_FIELDS)
    for field in ENTRY_FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.technology_fields = clean_technology_fields(entry.technology_fields or [])
    cleaned_credentials = clean_credentials(credentials, entry=entry) if credentials is not None else None
    _validate(entry)
    _refresh_search_text(entry)
    entry.save()
    if cleaned_credentials is not None:
        _replace_credentials(entry, cleaned_credentials)
    audit_record(actor=actor, action="capability.update", target=entry, before=before, after=snapshot(entry, AUDIT_FIELDS))
    return entry


@dataclass(frozen=True)
class EntrySaveResult:
    entry: CapabilityEntry
    submitted: bool
    submit_refusal: str = ""  # why the submission was refused; the entry is saved all the same


def entry_save(
    *,
    actor: User,
    entry: CapabilityEntry | None,
    data: dict,
    credentials: list[dict] | None,
    filing_company: dict | None = None,
    submit: bool = False,
) -> EntrySaveResult:
    """The entry editor's one action: (record the filing company,) save the entry, then maybe submit it.

    Step 1 is one transaction: for a new entry filed by an association, the company is found by
    credit code or recorded (`filing_company`: credit_code, name, district), and the entry is
    created or updated; a refusal raises and writes nothing (no company is left behind).
    Step 2, the submission, is a second transaction: when it is refused (e.g. 所属行业 missing),
    the saved entry stays saved and the refusal is returned instead of raised.
    Side effects: those of company_for_filing, entry_create / entry_update and entry_submit.
    """
    with transaction.atomic():
        if entry is None:
            if filing_company is not None:
                company = company_for_filing(actor=actor, **filing_company)
            else:
                company = actor.organisation
                if company is None:
                    raise PermissionDenied(_("只有企业本身或代报的行业协会可以登记能力清单。"))
            entry = entry_create(actor=actor, company=company, data=data, credentials=credentials)
        else:
            entry = entry_update(actor=actor, entry=entry, data=data, credentials=credentials)
    if not submit:
        return EntrySaveResult(entry=entry, submitted=False)
    try:
        entry = entry_submit(actor=actor, entry=entry)
    except DomainError as refusal:
        return EntrySaveResult(entry=entry, submitted=False, submit_refusal=refusal.message)
    return EntrySaveResult(entry=entry, submitted=True)


def _locked(entry: CapabilityEntry) -> CapabilityEntry:
    return CapabilityEntry.objects.select_for_update(of=("self",)).select_related("company", "submitted_by").get(pk=entry.pk)


@transaction.atomic
def entry_submit(*, actor: User, entry: CapabilityEntry) -> CapabilityEntry:
    """Send a draft or returned entry to the operators for review."""
    entry = _locked(entry)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权提交该条目。"))
    if entry.status not in EDITABLE:
        raise DomainError(_("条目当前为“%(status)s”，不能提交审核。") % {"status": entry.get_status_display()}, code="illegal_transition")
    missing = [str(label) for field, label in [("industry", _("所属行业")), ("strategic_area", _("战略性新兴产业领域")), ("maturity", _("成熟度"))] if not getattr(entry, field)]
    if missing:
        raise DomainError(_("提交前请补充：%(items)s。") % {"items": "、".join(missing)}, code="incomplete")
    before = snapshot(entry, ["status"])
    entry.status = EntryStatus.SUBMITTED
    entry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="capability.submit", target=entry, before=before, after=snapshot(entry, ["status"]))
    notify(recipients=operators_active(), title=_("能力清单待审核：%(name)s") % {"name": entry.name}, link=reverse("capability_list:review-queue"), email=False)
    return entry


@transaction.atomic
def entry_review(*, actor: User, entry: CapabilityEntry, approve: bool, note: str = "") -> CapabilityEntry:
    """An operator lists the entry, or returns it with a reason. The filer and the company are told."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以审核能力清单。"))
    entry = _locked(entry)
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError(_("条目当前为“%(status)s”，不在待审核状态。") % {"status": entry.get_status_display()}, code="illegal_transition")
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("请填写退回的原因。"), code="reason_required")
    if len(note) > 500:
        raise DomainError(_("审核意见不能超过 500 个字。"), code="reason_too_long")
    before = snapshot(entry, ["status", "review_note"])
    now = timezone.now()
    entry.status = EntryStatus.LISTED if approve else EntryStatus.RETURNED
    entry.review_note = note
    entry.reviewed_by = actor
    entry.reviewed_at = now
    if approve and entry.listed_at is None:
        entry.listed_at = now
    entry.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "listed_at", "updated_at"])
    audit_record(actor=actor, action="capability.list" if approve else "capability.return", target=entry, before=before, after=snapshot(entry, ["status", "review_note"]), reason=note)
    recipients = {entry.submitted_by, *User.objects.filter(organisation_id=entry.company_id, is_active=True)}
    title = _("“%(name)s”已列入能力清单") if approve else _("“%(name)s”被退回修改")
    notify(recipients=recipients, title=title % {"name": entry.name}, body=note, link=reverse("capability_list:detail", args=[entry.pk]))
    return entry


@transaction.atomic
def entry_withdraw(*, actor: User, entry: CapabilityEntry, reason: str = "") -> CapabilityEntry:
    entry = _locked(entry)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权撤回该条目。"))
    if entry.status == EntryStatus.WITHDRAWN:
        raise DomainError(_("条目已撤回。"), code="illegal_transition")
    before = snapshot(entry, ["status"])
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="capability.withdraw", target=entry, before=before, after=snapshot(entry, ["status"]), reason=reason)
    return entry


@transaction.atomic
def entry_reopen(*, actor: User, entry: CapabilityEntry) -> CapabilityEntry:
    """A withdrawn entry goes back to draft so it can be corrected and submitted again."""
    entry = _locked(entry)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权修改该条目。"))
    if entry.status != EntryStatus.WITHDRAWN:
        raise DomainError(_("只有已撤回的条目可以重新编辑。"), code="illegal_transition")
    entry.status = EntryStatus.DRAFT
    entry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="capability.reopen", target=entry, before={"status": "withdrawn"}, after={"status": "draft"})
    return entry


@transaction.atomic
def company_for_filing(*, actor: User, credit_code: str, name: str, district) -> Organisation:
    """The company an association files for: found by credit code, or recorded (unverified) if new.

    The name must match an existing record, so a typo in the code cannot file under another company.
    """
    from accounts.validators import validate_credit_code

    if not is_association_member(actor):
        raise PermissionDenied(_("只有行业协会可以代企业登记。"))
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        raise ValidationError({"company_credit_code": error.messages}) from None
    company = Organisation.objects.filter(credit_code=credit_code).first()
    if company is not None:
        if company.kind != "company":
            raise ValidationError({"company_credit_code": [_("该信用代码属于非企业机构。")]})
        if company.name != name.strip():
            raise ValidationError({"company_name": [_("信用代码对应的企业名称为“%(name)s”，与填写的不一致。") % {"name": company.name}]})
        return company
    if not name.strip():
        raise ValidationError({"company_name": [_("请填写企业名称。")]})
    company = Organisation.objects.create(name=name.strip()[:100], credit_code=credit_code, kind="company", district=district)
    audit_record(actor=actor, action="organisation.record_by_association", target=company, after={"credit_code": credit_code, "name": company.name})
    return company


# ---- Excel import ---------------------------------------------------------------------------

SYNC_CHECK_BYTES = 512 * 1024  # smaller files are checked during the request; larger ones by a job
SYNC_IMPORT_ROWS = 2000


def may_import(user) -> bool:
    return is_operator(user) or is_association_member(user)


def import_upload(*, actor: User, uploaded):
    """Store an uploaded workbook and run its dry run (in a job when large).

    A file refused as a whole raises DomainError and stores nothing.
    """
    import hashlib

    from django.core.files.base import ContentFile

    from capability_list.imports import WorkbookRefused, check_workbook_file
    from capability_list.models import ImportBatch

    if not may_import(actor):
        raise PermissionDenied(_("只有行业协会和运营管理人员可以批量导入。"))
    try:
        check_workbook_file(uploaded)
    except WorkbookRefused as refused:
        raise DomainError(str(refused), code="file_refused") from None
    content = uploaded.read()
    with transaction.atomic():
        batch = ImportBatch(
            original_name=uploaded.name[:200], sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor, organisation=actor.organisation
        )
        batch.file.save("import.xlsx", ContentFile(content), save=False)
        batch.save()
        audit_record(actor=actor, action="import.upload", target=batch, after={"file": batch.original_name, "sha256": batch.sha256})
        if len(content) > SYNC_CHECK_BYTES:
            batch.job = job_create(actor=actor, kind="capability_list.import_check", params={"batch": batch.pk}, title=_("检查导入文件：%(name)s") % {"name": batch.original_name})
            batch.save(update_fields=["job"])
            return batch
    import_check(batch=batch)
    batch.refresh_from_db()
    return batch


def import_check(*, batch, report=None) -> None:
    """The dry run: record every bad cell and how many rows are valid, new or already listed."""
    from capability_list.imports import WorkbookRefused, check_rows, read_for_check
    from capability_list.models import ImportBatch

    with batch.file.open("rb") as stored:
        content = stored.read()
    try:
        checks = check_rows(read_for_check(content, batch.original_name), report=report, total_hint=batch.total_rows)
    except WorkbookRefused as refused:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, failure=str(refused))
        raise DomainError(str(refused), code="file_refused") from None
    errors = [{"row": check.number, "column": column, "message": message} for check in checks for column, message in check.errors]
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.CHECKED,
        total_rows=len(checks),
        valid_rows=sum(1 for check in checks if not check.errors and not check.existing),
        existing_rows=sum(1 for check in checks if check.existing),
        error_rows=sum(1 for check in checks if check.errors),
        errors=errors[:5000],
    )


def import_confirm(*, actor: User, batch):
    """Import the valid rows of a checked file (in a job when many). Rows with errors are handed back."""
    from capability_list.models import ImportBatch

    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("只能确认自己上传的文件。"))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.CHECKED:
            raise DomainError(_("该文件当前为“%(state)s”，不能导入。") % {"state": batch.get_state_display()}, code="illegal_state")
        batch.state = ImportBatch.State.IMPORTING
        batch.save(update_fields=["state"])
        if batch.valid_rows > SYNC_IMPORT_ROWS:
            batch.job = job_create(actor=actor, kind="capability_list.import_apply", params={"batch": batch.pk}, title=_("导入：%(name)s") % {"name": batch.original_name})
            batch.save(update_fields=["job"])
            return batch
    import_apply(batch=batch)
    batch.refresh_from_db()
    return batch


def import_apply(*, batch, report=None) -> int:
    """Check again (the list may have changed since the dry run), then write all valid rows at once."""
    from django.core.files.base import ContentFile

    from capability_list.imports import check_rows, import_valid_rows, read_for_check, rejects_workbook
    from capability_list.models import ImportBatch

    with batch.file.open("rb") as stored:
        content = stored.read()
    checks = check_rows(read_for_check(content, batch.original_name), report=report, total_hint=batch.total_rows)
    actor = batch.uploaded_by
    status = EntryStatus.LISTED if is_operator(actor) else EntryStatus.SUBMITTED
    try:
        with transaction.atomic():
            created = import_valid_rows(checks, actor=actor, status=status, report=report)
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            rejects = rejects_workbook(checks)
            if rejects:
                batch.rejects_file.save("rejects.xlsx", ContentFile(rejects), save=False)
            batch.state = ImportBatch.State.IMPORTED
            batch.imported_count = created
            batch.imported_at = timezone.now()
            batch.existing_rows = sum(1 for check in checks if check.existing)
            batch.save()
            audit_record(actor=actor, action="import.apply", target=batch, after={"created": created, "status": status, "rejected": batch.error_rows})
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED, failure=_("导入失败，未写入任何数据。"))
        raise
    notify(recipients=[actor], title=_("导入完成：%(name)s，新增 %(count)d 条") % {"name": batch.original_name, "count": created}, link=reverse("capability_list:import-detail", args=[batch.pk]), email=False)
    return created
