"""Entries (揭榜方案) and consortia: create, confirm membership, attach files, submit with the
信用承诺, then 资格审查 and 信用核查 by operators."""

import hashlib

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from accounts.permissions import organisation_may_enter_contests
from contests.choices import EntryStatus, MembershipStatus, Round
from contests.eligibility import unmet_conditions
from contests.models import Challenge, ConsortiumMember, ContestEntry, EntryAttachment
from contests.permissions import (
    CONSORTIUM_MEMBER_ROLES,
    acts_for_consortium_member,
    can_enter_contests,
    is_lead_of,
    require_contest_manager,
)
from contests.rounds import require_round
from contests.services.notices import Step, entrant_users, entry_step_notify, local_time
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot
from core.uploads import check_upload

CREDIT_COMMITMENT = (
    "本单位承诺：所提交的揭榜材料真实、准确、完整，不存在弄虚作假、侵犯他人知识产权等行为；"
    "如有违反，愿意承担相应责任并接受信用惩戒。"
)


@transaction.atomic
def entry_create(
    *, actor: User, challenge: Challenge, title: str, summary: str, members: list[Organisation] | None = None
) -> ContestEntry:
    """A company (the lead) starts an entry, inviting consortium members to confirm.

    Side effects: the entry and its invited members; an audit record; a notification to each
    member organisation's users."""
    if not can_enter_contests(actor):
        raise PermissionDenied(_("只有企业用户可以揭榜。"))
    lead = actor.organisation
    require_round(challenge.contest, Round.REGISTRATION, _("揭榜报名"))
    if not organisation_may_enter_contests(lead):
        raise DomainError(_("贵单位尚未通过机构认证，认证通过后方可揭榜。"), code="not_verified")
    count = (
        ContestEntry.objects.filter(challenge__contest=challenge.contest, lead=lead)
        .exclude(status=EntryStatus.WITHDRAWN)
        .count()
    )
    if count >= challenge.contest.entries_per_company:
        raise DomainError(
            _("本届大赛每家企业最多揭榜 %(limit)d 个榜单。") % {"limit": challenge.contest.entries_per_company},
            code="limit",
        )
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title or not summary:
        raise DomainError(_("请填写方案名称和方案摘要。"), code="required")
    members = [member for member in (members or []) if member.pk != lead.pk]
    if any(member.kind not in ("company", "institute") for member in members):
        raise DomainError(_("联合体成员应为企业或高校/科研院所。"), code="member_kind")
    if len(members) > 10:
        raise DomainError(_("联合体成员最多 10 家。"), code="members")
    try:
        with transaction.atomic():
            entry = ContestEntry.objects.create(
                challenge=challenge, lead=lead, created_by=actor, title=title[:100], summary=summary[:5000]
            )
    except IntegrityError:
        raise DomainError(_("贵单位已揭榜该榜单。"), code="duplicate") from None
    ConsortiumMember.objects.bulk_create(
        [ConsortiumMember(entry=entry, organisation=member) for member in {m.pk: m for m in members}.values()]
    )
    audit_record(
        actor=actor,
        action="entry.create",
        target=entry,
        after={"challenge": challenge.pk, "members": [m.pk for m in members]},
    )
    for member in members:
        notify(
            recipients=User.objects.filter(
                organisation=member, role_assignments__role__in=CONSORTIUM_MEMBER_ROLES, is_active=True
            ).distinct(),
            title=Message(
                gettext_noop("%(lead)s 邀请贵单位组成联合体揭榜“%(challenge)s”"),
                lead=lead.name,
                challenge=challenge.title,
            ),
            body=Message(gettext_noop("请确认是否加入联合体。")),
            link=reverse("contests:entry-detail", args=[entry.pk]),
        )
    return entry


@transaction.atomic
def consortium_respond(*, actor: User, membership: ConsortiumMember, accept: bool) -> ConsortiumMember:
    """A member organisation confirms (or declines) its place in the consortium.

    Side effects: the membership's answer; an audit record; a notification to the lead's users."""
    membership = (
        ConsortiumMember.objects.select_for_update()
        .select_related("entry__challenge__contest", "entry__lead")
        .get(pk=membership.pk)
    )
    if not acts_for_consortium_member(actor, membership.organisation_id):
        raise PermissionDenied(_("只有被邀请单位可以确认。"))
    if membership.status != MembershipStatus.INVITED:
        raise DomainError(_("已答复过该邀请。"), code="answered")
    require_round(membership.entry.challenge.contest, Round.REGISTRATION, _("确认联合体"))
    membership.status = MembershipStatus.CONFIRMED if accept else MembershipStatus.DECLINED
    membership.responded_by, membership.responded_at = actor, timezone.now()
    membership.save()
    audit_record(
        actor=actor,
        action="entry.consortium_confirm" if accept else "entry.consortium_decline",
        target=membership.entry,
        after={"organisation": membership.organisation_id},
    )
    notify(
        recipients=entrant_users(membership.entry, members=False),
        title=Message(
            gettext_noop("%(organisation)s 已确认加入联合体")
            if accept
            else gettext_noop("%(organisation)s 拒绝加入联合体"),
            organisation=actor.organisation.name,
        ),
        link=reverse("contests:entry-detail", args=[membership.entry_id]),
    )
    return membership


@transaction.atomic
def entry_attachment_add(*, actor: User, entry: ContestEntry, uploaded_file) -> EntryAttachment:
    """The lead attaches solution documents while the entry is a draft (size and content checked:
    a refused file raises ValidationError). Side effects: the stored file; an audit record."""
    if not is_lead_of(actor, entry):
        raise PermissionDenied(_("只有牵头单位可以上传附件。"))
    if entry.status != EntryStatus.DRAFT:
        raise DomainError(_("方案提交后不能再修改附件。"), code="state")
    require_round(entry.challenge.contest, Round.REGISTRATION, _("上传揭榜附件"))
    if entry.attachments.count() >= 10:
        raise DomainError(_("每个方案最多 10 个附件。"), code="too_many_files")
    kind = check_upload(uploaded_file)
    attachment = EntryAttachment(
        entry=entry, original_name=uploaded_file.name[:200], size=uploaded_file.size, kind=kind, uploaded_by=actor
    )
    attachment.file.save(f"entry-{entry.pk}.{kind}", uploaded_file, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="entry.attachment_add",
        target=entry,
        after={"attachment": attachment.original_name, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def entry_submit(*, actor: User, entry: ContestEntry, commitment_accepted: bool) -> ContestEntry:
    """The lead submits before the deadline, signing the 信用承诺 (time and a hash of its text);
    every consortium member must have answered. Side effects: an audit record; a receipt to the
    entrant (lead and confirmed members)."""
    entry = ContestEntry.objects.select_for_update().select_related("challenge__contest", "lead").get(pk=entry.pk)
    if not is_lead_of(actor, entry):
        raise PermissionDenied(_("只有牵头单位可以提交。"))
    require_round(entry.challenge.contest, Round.REGISTRATION, _("提交揭榜方案"))
    if entry.status not in (EntryStatus.DRAFT,):
        raise DomainError(_("方案已提交。"), code="state")
    if not commitment_accepted:
        raise DomainError(_("提交前须签署信用承诺。"), code="commitment")
    pending = entry.members.exclude(status=MembershipStatus.CONFIRMED).exclude(status=MembershipStatus.DECLINED)
    if pending.exists():
        raise DomainError(
            _("还有联合体成员尚未确认：%(names)s。")
            % {"names": "、".join(pending.values_list("organisation__name", flat=True))},
            code="members_pending",
        )
    now = timezone.now()
    entry.commitment_signed_at = now
    entry.commitment_sha256 = hashlib.sha256(
        f"{CREDIT_COMMITMENT}|{entry.pk}|{entry.lead.credit_code}|{now.isoformat()}".encode()
    ).hexdigest()
    entry.status, entry.submitted_at = EntryStatus.SUBMITTED, now
    entry.save()
    audit_record(
        actor=actor,
        action="entry.submit",
        target=entry,
        before={"status": "draft"},
        after={"status": "submitted", "commitment_sha256": entry.commitment_sha256},
    )
    entry_step_notify(
        entry=entry,
        step=Step.SUBMITTED,
        content=entry.commitment_sha256,
        title=Message(gettext_noop("已收到揭榜方案：%(title)s"), title=entry.title),
        body=Message(
            gettext_noop("“%(challenge)s”的揭榜方案已于 %(when)s 提交，信用承诺已签署。资格审查自 %(review)s 起进行。"),
            challenge=entry.challenge.title,
            when=local_time(now),
            review=local_time(entry.challenge.contest.eligibility_open_at),
        ),
    )
    return entry


@transaction.atomic
def entry_review_eligibility(*, actor: User, entry: ContestEntry, eligible: bool, reason: str = "") -> ContestEntry:
    """资格审查: an operator passes the entry or refuses it with a reason, during the round.

    Side effects: an audit record; the entrant told the outcome and the reason (once per outcome:
    recording the same decision again tells nobody)."""
    require_contest_manager(actor)
    entry = ContestEntry.objects.select_for_update().select_related("challenge__contest", "lead").get(pk=entry.pk)
    require_round(entry.challenge.contest, Round.ELIGIBILITY, _("资格审查"))
    if entry.status not in (EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE):
        raise DomainError(_("只有已提交的方案可以审查。"), code="state")
    reason = (reason or "").strip()
    if eligible:
        unmet = unmet_conditions(entry)
        if unmet:
            raise DomainError(_("不满足资格条件：%(reasons)s") % {"reasons": "".join(unmet)}, code="unmet")
    elif not reason:
        raise DomainError(_("请填写资格审查不通过的原因。"), code="reason_required")
    before = snapshot(entry, ["status", "eligibility_note"])
    entry.status = EntryStatus.ELIGIBLE if eligible else EntryStatus.INELIGIBLE
    entry.eligibility_note, entry.eligibility_reviewed_by = reason[:500], actor
    entry.save(update_fields=["status", "eligibility_note", "eligibility_reviewed_by"])
    audit_record(
        actor=actor,
        action="entry.eligibility",
        target=entry,
        before=before,
        after=snapshot(entry, ["status", "eligibility_note"]),
        reason=reason,
    )
    entry_step_notify(
        entry=entry,
        step=Step.ELIGIBILITY,
        content={"status": entry.status, "note": entry.eligibility_note},
        title=Message(
            gettext_noop("资格审查通过：%(title)s") if eligible else gettext_noop("资格审查未通过：%(title)s"),
            title=entry.title,
        ),
        body=Message(gettext_noop("审查意见：%(reason)s"), reason=reason)
        if reason
        else Message(gettext_noop("请按路演安排参加路演评审。")),
    )
    return entry


@transaction.atomic
def entry_record_credit_check(*, actor: User, entry: ContestEntry, passed: bool, note: str = "") -> ContestEntry:
    """信用核查: record the result of the credit verification (needed before any award).

    Side effects: an audit record with the result before and after."""
    require_contest_manager(actor)
    entry = ContestEntry.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry, ["credit_check", "credit_check_note"])
    entry.credit_check, entry.credit_check_note = ("passed" if passed else "failed"), (note or "").strip()[:500]
    entry.save(update_fields=["credit_check", "credit_check_note"])
    audit_record(
        actor=actor,
        action="entry.credit_check",
        target=entry,
        before=before,
        after=snapshot(entry, ["credit_check", "credit_check_note"]),
    )
    return entry
