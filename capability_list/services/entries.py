"""Writes for capability entries: the editor's save, the review, withdrawal, the filing company.

Keyword-only, atomic; refusals raise DomainError, bad values ValidationError keyed by field.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from accounts.selectors import operators_active
from accounts.validators import validate_credit_code
from capability_list.choices import (
    OPEN_CHANGE_STATUSES,
    ChangeStatus,
    CredentialKind,
    CredentialLevel,
    EntryStatus,
)
from capability_list.entry_rules import (
    FIRST_CREDENTIAL_YEAR,
    MAX_CREDENTIALS,
    MAX_FIELDS,
    MAX_KEYWORD_LENGTH,
    credential_years,
    entry_search_text,
    split_keywords,
)
from capability_list.models import CapabilityEntry, Credential
from capability_list.permissions import EDITABLE, can_manage_entry, can_submit_for, is_association_member, is_operator
from core.batches import BatchResult, each_on_its_own
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot

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


def clean_technology_fields(value) -> list[str]:
    """Keywords from a list or a text separated by 、，, ; — trimmed, unique, at most ten."""
    if isinstance(value, str):
        value = split_keywords(value)
    if not isinstance(value, (list, tuple)):
        raise ValidationError({"technology_fields": [_("技术领域应为关键词列表。")]})
    words = []
    for word in value:
        word = str(word).strip()
        if word and word not in words:
            if len(word) > MAX_KEYWORD_LENGTH:
                raise ValidationError(
                    {"technology_fields": [_("关键词“%(word)s”超过 20 个字。") % {"word": word[:MAX_KEYWORD_LENGTH]}]}
                )
            words.append(word)
    if len(words) > MAX_FIELDS:
        raise ValidationError({"technology_fields": [_("技术领域最多 %(max)d 个关键词。") % {"max": MAX_FIELDS}]})
    return words


def clean_credentials(credentials: list[dict], *, entry: CapabilityEntry | None = None) -> list[dict]:
    """Check each 三首 credential: kind, certificate number, level, a year not in the future, no duplicates."""
    errors, cleaned, seen = [], [], set()
    years = credential_years()
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
        if level not in CredentialLevel.values:
            errors.append(_("第 %(n)d 项认定：级别应为国家级、省级或市级。") % {"n": index})
            continue
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors.append(_("第 %(n)d 项认定：年度应为数字。") % {"n": index})
            continue
        if year not in years:
            errors.append(
                _("第 %(n)d 项认定：年度应在 %(first)d–%(last)d 之间。")
                % {"n": index, "first": FIRST_CREDENTIAL_YEAR, "last": years[-1]}
            )
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


def validate_entry(entry: CapabilityEntry) -> None:
    """The checks of an entry's values (fields, a 大类 as industry, one name per company); raises ValidationError."""
    errors = {}
    try:
        entry.full_clean(exclude=["company", "submitted_by", "submitted_via", "search_text"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if entry.industry_id and entry.industry.section_id is None:
        errors.setdefault("industry", []).append(
            _("请选择行业大类（如“39 计算机、通信和其他电子设备制造业”），而不是门类。")
        )
    duplicate = CapabilityEntry.objects.filter(company_id=entry.company_id, name=entry.name).exclude(pk=entry.pk)
    if entry.name and duplicate.exists():
        errors.setdefault("name", []).append(_("该企业已登记同名的技术（产品）。"))
    if errors:
        raise ValidationError(errors)


def replace_credentials(entry: CapabilityEntry, credentials: list[dict]) -> None:
    entry.credentials.all().delete()
    Credential.objects.bulk_create([Credential(entry=entry, **credential) for credential in credentials])


@transaction.atomic
def entry_create(
    *, actor: User, company: Organisation, data: dict, credentials: list[dict] | None = None
) -> CapabilityEntry:
    """A company member (or an association for a company) registers a technology or product as a draft."""
    if not can_submit_for(actor, company):
        raise PermissionDenied(_("只有企业本身或代报的行业协会可以登记能力清单。"))
    entry = CapabilityEntry(
        company=company,
        submitted_by=actor,
        submitted_via=actor.organisation
        if is_association_member(actor) and actor.organisation_id != company.pk
        else None,
    )
    for field in ENTRY_FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.technology_fields = clean_technology_fields(entry.technology_fields or [])
    cleaned_credentials = clean_credentials(credentials or [])
    validate_entry(entry)
    entry.search_text = entry_search_text(entry)
    entry.save()
    replace_credentials(entry, cleaned_credentials)
    audit_record(
        actor=actor,
        action="capability.create",
        target=entry,
        after={**snapshot(entry, AUDIT_FIELDS), "credentials": cleaned_credentials},
    )
    return entry


@transaction.atomic
def entry_update(
    *, actor: User, entry: CapabilityEntry, data: dict, credentials: list[dict] | None = None
) -> CapabilityEntry:
    entry = CapabilityEntry.objects.select_for_update(of=("self",)).select_related("company").get(pk=entry.pk)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权修改该条目。"))
    if entry.status not in EDITABLE:
        raise DomainError(
            _("条目处于“%(status)s”状态，不能修改。") % {"status": entry.get_status_display()}, code="not_editable"
        )
    before = snapshot(entry, AUDIT_FIELDS)
    for field in ENTRY_FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.technology_fields = clean_technology_fields(entry.technology_fields or [])
    cleaned_credentials = clean_credentials(credentials, entry=entry) if credentials is not None else None
    validate_entry(entry)
    entry.search_text = entry_search_text(entry)
    entry.save()
    if cleaned_credentials is not None:
        replace_credentials(entry, cleaned_credentials)
    audit_record(
        actor=actor, action="capability.update", target=entry, before=before, after=snapshot(entry, AUDIT_FIELDS)
    )
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


def require_complete(entry: CapabilityEntry) -> None:
    """What an operator needs to review an entry: refused with the missing fields named."""
    missing = [
        str(label)
        for field, label in [
            ("industry", _("所属行业")),
            ("strategic_area", _("战略性新兴产业领域")),
            ("maturity", _("成熟度")),
        ]
        if not getattr(entry, field)
    ]
    if missing:
        raise DomainError(_("提交前请补充：%(items)s。") % {"items": "、".join(missing)}, code="incomplete")


def _locked(entry: CapabilityEntry) -> CapabilityEntry:
    return (
        CapabilityEntry.objects.select_for_update(of=("self",))
        .select_related("company", "submitted_by")
        .get(pk=entry.pk)
    )


@transaction.atomic
def entry_submit(*, actor: User, entry: CapabilityEntry) -> CapabilityEntry:
    """Send a draft or returned entry to the operators for review."""
    entry = _locked(entry)
    if not can_manage_entry(actor, entry):
        raise PermissionDenied(_("您无权提交该条目。"))
    if entry.status not in EDITABLE:
        raise DomainError(
            _("条目当前为“%(status)s”，不能提交审核。") % {"status": entry.get_status_display()},
            code="illegal_transition",
        )
    require_complete(entry)
    before = snapshot(entry, ["status"])
    entry.status = EntryStatus.SUBMITTED
    entry.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="capability.submit", target=entry, before=before, after=snapshot(entry, ["status"])
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("能力清单待审核：%(name)s"), name=entry.name),
        body=Message(
            gettext_noop("%(company)s 提交了“%(name)s”，请在条目页面审核。"),
            company=entry.company.name,
            name=entry.name,
        ),
        link=reverse("capability_list:detail", args=[entry.pk]),  # the item itself, where it is approved
        email=False,
    )
    return entry


@transaction.atomic
def entry_review(*, actor: User, entry: CapabilityEntry, approve: bool, note: str = "") -> CapabilityEntry:
    """An operator lists the entry, or returns it with a reason. The filer and the company are told."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以审核能力清单。"))
    entry = _locked(entry)
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError(
            _("条目当前为“%(status)s”，不在待审核状态。") % {"status": entry.get_status_display()},
            code="illegal_transition",
        )
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
    audit_record(
        actor=actor,
        action="capability.list" if approve else "capability.return",
        target=entry,
        before=before,
        after=snapshot(entry, ["status", "review_note"]),
        reason=note,
    )
    recipients = {entry.submitted_by, *User.objects.filter(organisation_id=entry.company_id, is_active=True)}
    title = gettext_noop("“%(name)s”已列入能力清单") if approve else gettext_noop("“%(name)s”被退回修改")
    notify(
        recipients=recipients,
        title=Message(title, name=entry.name),
        body=note,
        link=reverse("capability_list:detail", args=[entry.pk]),
    )
    return entry


def entry_review_many(*, actor: User, entries: Iterable[CapabilityEntry], approve: bool, note: str = "") -> BatchResult:
    """The review queue's bulk decision: the same verdict for each entry chosen.

    Each entry is its own entry_review, in its own transaction: an entry refused (e.g. withdrawn
    meanwhile) neither stops nor undoes the others; its refusal is returned as "name：why".
    Side effects: those of entry_review, for each one done.
    """
    return each_on_its_own(
        entries,
        lambda entry: entry_review(actor=actor, entry=entry, approve=approve, note=note),
        label=lambda entry: entry.name,
    )


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
    # A change to the listed version has nothing left to change: it is dropped with it.
    discarded = entry.revisions.filter(status__in=OPEN_CHANGE_STATUSES).update(
        status=ChangeStatus.DISCARDED, updated_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="capability.withdraw",
        target=entry,
        before=before,
        after={**snapshot(entry, ["status"]), "changes_discarded": discarded},
        reason=reason,
    )
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
    audit_record(
        actor=actor, action="capability.reopen", target=entry, before={"status": "withdrawn"}, after={"status": "draft"}
    )
    return entry


@transaction.atomic
def company_for_filing(*, actor: User, credit_code: str, name: str, district) -> Organisation:
    """The company an association files for: found by credit code, or recorded (unverified) if new.

    The name must match an existing record, so a typo in the code cannot file under another company.
    """
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
            raise ValidationError(
                {"company_name": [_("信用代码对应的企业名称为“%(name)s”，与填写的不一致。") % {"name": company.name}]}
            )
        return company
    if not name.strip():
        raise ValidationError({"company_name": [_("请填写企业名称。")]})
    company = Organisation.objects.create(
        name=name.strip()[:100], credit_code=credit_code, kind="company", district=district
    )
    audit_record(
        actor=actor,
        action="organisation.record_by_association",
        target=company,
        after={"credit_code": credit_code, "name": company.name},
    )
    return company
