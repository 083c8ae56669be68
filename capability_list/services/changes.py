"""Writes for changes to listed entries: the company proposes, an operator approves or returns.

The listed version stays what everyone sees (catalogue, detail page, matching) until an operator
approves the change; then the change is written onto the listed row (see
CapabilityEntryRevision for why the change is a snapshot beside the row, not a second row).
Keyword-only, atomic, audited; refusals raise DomainError, bad values ValidationError by field.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.selectors import operators_active
from capability_list.choices import OPEN_CHANGE_STATUSES, ChangeStatus, EntryStatus
from capability_list.entry_rules import entry_search_text
from capability_list.models import CapabilityEntry, CapabilityEntryRevision
from capability_list.permissions import can_change_listed_entry, is_company_member_of, is_operator
from capability_list.services.entries import (
    ENTRY_FIELDS,
    clean_credentials,
    clean_technology_fields,
    replace_credentials,
    require_complete,
    validate_entry,
)
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot


def listed_values(entry: CapabilityEntry) -> dict:
    """The entry's editable fields as a change stores them (foreign keys as ids)."""
    return snapshot(entry, ENTRY_FIELDS)


def listed_credentials(entry: CapabilityEntry) -> list[dict]:
    return [
        {"kind": c.kind, "certificate_number": c.certificate_number, "level": c.level, "year": c.year}
        for c in entry.credentials.all()
    ]


def _set_values(entry: CapabilityEntry, values: dict) -> None:
    """Put stored values (foreign keys as ids) onto an entry instance."""
    for name in ENTRY_FIELDS:
        if name not in values:
            continue
        field = entry._meta.get_field(name)
        setattr(entry, field.attname if isinstance(field, ForeignKey) else name, values[name])


def _checked(entry: CapabilityEntry, data: dict, credentials: list[dict]) -> tuple[dict, list[dict]]:
    """The proposed values, checked as an edit of the entry would be, on a copy: the listed row is
    not touched. `data` holds the editor's values (model instances for the foreign keys)."""
    candidate = CapabilityEntry(pk=entry.pk, company_id=entry.company_id, status=entry.status)
    _set_values(candidate, listed_values(entry))
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(candidate, name, data[name])
    candidate.technology_fields = clean_technology_fields(candidate.technology_fields or [])
    cleaned_credentials = clean_credentials(credentials or [], entry=entry)
    validate_entry(candidate)
    return snapshot(candidate, ENTRY_FIELDS), cleaned_credentials


def _sorted(credentials: list[dict]) -> list[tuple]:
    return sorted((c["kind"], c["certificate_number"], c["level"], int(c["year"])) for c in credentials)


def change_differs(entry: CapabilityEntry, change: CapabilityEntryRevision) -> bool:
    """Whether the change would change anything in the listed version."""
    listed = listed_values(entry)
    return any(change.data.get(name) != listed[name] for name in ENTRY_FIELDS) or _sorted(
        change.credentials
    ) != _sorted(listed_credentials(entry))


def _locked_entry(entry: CapabilityEntry) -> CapabilityEntry:
    return CapabilityEntry.objects.select_for_update(of=("self",)).select_related("company").get(pk=entry.pk)


def _locked_change(change: CapabilityEntryRevision) -> CapabilityEntryRevision:
    return CapabilityEntryRevision.objects.select_for_update(of=("self",)).get(pk=change.pk)


def open_change_of(entry: CapabilityEntry) -> CapabilityEntryRevision | None:
    return entry.revisions.filter(status__in=OPEN_CHANGE_STATUSES).first()


@transaction.atomic
def entry_change_save(
    *, actor: User, entry: CapabilityEntry, data: dict, credentials: list[dict]
) -> CapabilityEntryRevision:
    """The company saves a change to its listed entry (未提交, or still 已退回): the listed version
    is not touched. One open change per entry: the open one is updated, or a new one started;
    a change waiting for review cannot be changed.

    Side effects: the change row; an audit record (the listed values and the proposed ones).
    """
    entry = _locked_entry(entry)
    if not can_change_listed_entry(actor, entry):
        raise PermissionDenied(_("只有本企业的企业用户可以修改已入库的条目。"))
    change = entry.revisions.select_for_update(of=("self",)).filter(status__in=OPEN_CHANGE_STATUSES).first()
    if change is not None and not change.editable:
        raise DomainError(_("该条目已有一项修改在审核中，审核完成前不能再修改。"), code="change_pending")
    values, cleaned_credentials = _checked(entry, data, credentials)
    before = None if change is None else {"data": change.data, "credentials": change.credentials}
    if change is None:
        change = CapabilityEntryRevision(entry=entry, created_by=actor)
    change.data, change.credentials = values, cleaned_credentials
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:  # another tab started a change at the same moment
        raise DomainError(_("该条目已有一项未完成的修改。"), code="change_open") from None
    audit_record(
        actor=actor,
        action="capability.change_save",
        target=entry,
        before=before or {"data": listed_values(entry), "credentials": listed_credentials(entry)},
        after={"change": change.pk, "data": values, "credentials": cleaned_credentials},
    )
    return change


@transaction.atomic
def entry_change_submit(*, actor: User, change: CapabilityEntryRevision) -> CapabilityEntryRevision:
    """The company sends its saved change to the operators (待审核). The listed version stays public.

    Side effects: the change's status; an audit record; the operators notified.
    """
    change = _locked_change(change)
    entry = _locked_entry(change.entry)
    if not can_change_listed_entry(actor, entry):
        raise PermissionDenied(_("只有本企业的企业用户可以修改已入库的条目。"))
    if not change.editable:
        raise DomainError(
            _("修改当前为“%(status)s”，不能提交审核。") % {"status": change.get_status_display()},
            code="illegal_transition",
        )
    proposed = CapabilityEntry(company_id=entry.company_id)
    _set_values(proposed, change.data)
    require_complete(proposed)
    if not change_differs(entry, change):
        raise DomainError(_("修改内容与已入库版本相同，无需提交。"), code="no_change")
    before = snapshot(change, ["status"])
    change.status = ChangeStatus.SUBMITTED
    change.submitted_at = timezone.now()
    change.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="capability.change_submit",
        target=entry,
        before=before,
        after={"change": change.pk, "status": change.status},
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("已入库条目修改待审核：%(name)s"), name=entry.name),
        link=reverse("capability_list:change-review", args=[change.pk]),
        email=False,
    )
    return change


@dataclass(frozen=True)
class ChangeSaveResult:
    change: CapabilityEntryRevision
    submitted: bool
    submit_refusal: str = ""  # why the submission was refused; the change is saved all the same


def entry_change_save_and_submit(
    *, actor: User, entry: CapabilityEntry, data: dict, credentials: list[dict], submit: bool = False
) -> ChangeSaveResult:
    """The change editor's one action: save the change (one transaction), then maybe submit it (a
    second one). A refused submission leaves the change saved, and is returned instead of raised.
    Side effects: those of entry_change_save and entry_change_submit."""
    change = entry_change_save(actor=actor, entry=entry, data=data, credentials=credentials)
    if not submit:
        return ChangeSaveResult(change=change, submitted=False)
    try:
        change = entry_change_submit(actor=actor, change=change)
    except DomainError as refusal:
        return ChangeSaveResult(change=change, submitted=False, submit_refusal=refusal.message)
    return ChangeSaveResult(change=change, submitted=True)


def _company_recipients(entry: CapabilityEntry, change: CapabilityEntryRevision) -> set[User]:
    members = User.objects.filter(organisation_id=entry.company_id, is_active=True)
    return {change.created_by, *(member for member in members if is_company_member_of(member, entry.company))}


@transaction.atomic
def entry_change_review(
    *, actor: User, change: CapabilityEntryRevision, approve: bool, note: str = ""
) -> CapabilityEntryRevision:
    """An operator approves a change (it replaces the listed version) or returns it with a reason
    (the listed version stays; the company sees the reason and may edit the change again).

    On approval the values are checked again (a certificate number may have been taken since) and
    written onto the listed row; saving the row queues its rematch after commit (matching.signals).
    Side effects: the entry and its credentials (approval); the change's status; an audit record
    with the listed and the new values; the company's members notified.
    """
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以审核能力清单。"))
    change = _locked_change(change)
    entry = _locked_entry(change.entry)
    if change.status != ChangeStatus.SUBMITTED:
        raise DomainError(
            _("修改当前为“%(status)s”，不在待审核状态。") % {"status": change.get_status_display()},
            code="illegal_transition",
        )
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("请填写退回的原因。"), code="reason_required")
    if len(note) > 500:
        raise DomainError(_("审核意见不能超过 500 个字。"), code="reason_too_long")
    if approve and entry.status != EntryStatus.LISTED:
        raise DomainError(
            _("条目当前为“%(status)s”，不能应用修改。") % {"status": entry.get_status_display()},
            code="entry_not_listed",
        )
    listed = {"data": listed_values(entry), "credentials": listed_credentials(entry)}
    now = timezone.now()
    if approve:
        _apply(entry, change, actor=actor, at=now)
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.RETURNED
    change.review_note, change.reviewed_by, change.reviewed_at = note, actor, now
    change.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="capability.change_approve" if approve else "capability.change_return",
        target=entry,
        before=listed,
        after={"change": change.pk, "status": change.status, "data": change.data, "credentials": change.credentials},
        reason=note,
    )
    title = gettext_noop("“%(name)s”的修改已生效") if approve else gettext_noop("“%(name)s”的修改被退回")
    notify(
        recipients=_company_recipients(entry, change),
        title=Message(title, name=entry.name),
        body=note,
        link=reverse("capability_list:detail", args=[entry.pk]),
    )
    return change


def _apply(entry: CapabilityEntry, change: CapabilityEntryRevision, *, actor: User, at) -> None:
    """Write the change onto the locked listed row, checked again; a value no longer valid refuses."""
    _set_values(entry, change.data)
    try:
        entry.technology_fields = clean_technology_fields(entry.technology_fields or [])
        credentials = clean_credentials(change.credentials, entry=entry)
        validate_entry(entry)
    except ValidationError as invalid:
        messages = [message for field in invalid.message_dict.values() for message in field]
        raise DomainError(
            _("修改已不能应用：%(reasons)s 请退回企业修改。") % {"reasons": "；".join(messages)}, code="stale_change"
        ) from None
    entry.search_text = entry_search_text(entry)
    entry.reviewed_by, entry.reviewed_at = actor, at
    entry.save()  # post_save: matching rematches the entry once this commits
    replace_credentials(entry, credentials)


@transaction.atomic
def entry_change_discard(*, actor: User, change: CapabilityEntryRevision) -> CapabilityEntryRevision:
    """The company drops its open change (also one waiting for review); the listed version stays.
    Side effects: the change's status; an audit record."""
    change = _locked_change(change)
    entry = _locked_entry(change.entry)
    if not can_change_listed_entry(actor, entry):
        raise PermissionDenied(_("只有本企业的企业用户可以修改已入库的条目。"))
    if not change.is_open:
        raise DomainError(_("该修改已结束，不能撤销。"), code="illegal_transition")
    before = snapshot(change, ["status"])
    change.status = ChangeStatus.DISCARDED
    change.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="capability.change_discard",
        target=entry,
        before=before,
        after={"change": change.pk, "status": change.status},
    )
    return change
