"""Judges and panels: the expert profile and declared relationships, panel assignment (refusing
any conflict of interest), the 回避承诺 and recusals."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from accounts.validators import validate_credit_code
from contests.choices import EntryStatus, Round, SheetStatus
from contests.conflicts import challenge_conflicts, conflicts
from contests.models import (
    Challenge,
    Contest,
    ContestEntry,
    JudgeProfile,
    JudgeRelationship,
    PanelMembership,
    Recusal,
    RecusalCommitment,
    ScoreSheet,
)
from contests.permissions import is_judge, may_act_for_judge, require_contest_manager
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify

RECUSAL_COMMITMENT = (
    "本人承诺：与参赛单位存在任职、持股、近三年合作或其他可能影响公正评审的关系时，主动申请回避；"
    "严格保守评审秘密，独立、客观、公正地评分。"
)


def recusal_commitment_sha256(judge: User, subject) -> str:
    """What a signature of the 回避承诺 keeps: the text, the judge and what they commit for (a
    contest, or an evaluation round: the same text and hash serve both)."""
    return hashlib.sha256(f"{RECUSAL_COMMITMENT}|{judge.pk}|{subject.pk}".encode()).hexdigest()


def _require_acting_for(actor: User, judge: User) -> None:
    if not may_act_for_judge(actor, judge):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))
    if not is_judge(judge):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")


@transaction.atomic
def judge_profile_save(
    *, actor: User, judge: User, title: str = "", fields: list[str] | None = None, affiliation_credit_code: str = ""
) -> JudgeProfile:
    """A judge (or an operator for them) keeps the expert profile: title, fields, employer's code.

    Side effects: the profile created or updated; an audit record with it before and after."""
    _require_acting_for(actor, judge)
    words = [word.strip() for word in (fields or []) if word and word.strip()]
    if len(words) > 10 or any(len(word) > 20 for word in words):
        raise DomainError(_("专业领域最多 10 个，每个不超过 20 个字。"), code="fields")
    code = (affiliation_credit_code or "").strip()
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise DomainError(error.messages[0], code="credit_code") from None
    profile, _created = JudgeProfile.objects.get_or_create(user=judge)
    before = {
        "title": profile.title,
        "fields": profile.fields,
        "affiliation_credit_code": profile.affiliation_credit_code,
    }
    profile.title, profile.fields, profile.affiliation_credit_code = (
        (title or "").strip()[:50],
        list(dict.fromkeys(words)),
        code,
    )
    profile.save()
    audit_record(
        actor=actor,
        action="judge.profile",
        target=judge,
        before=before,
        after={"title": profile.title, "fields": profile.fields, "affiliation_credit_code": code},
    )
    return profile


@transaction.atomic
def relationship_declare(
    *, actor: User, judge: User, organisation: Organisation, kind: str, ended_year: int | None = None, note: str = ""
) -> JudgeRelationship:
    """A judge (or an operator for them) declares a relationship with an organisation; the
    conflict rules read it from then on. Side effects: an audit record."""
    _require_acting_for(actor, judge)
    if kind not in ("employment", "shareholding", "collaboration"):
        raise DomainError(_("关系应为任职、持股或合作。"), code="kind")
    if ended_year is not None and not 1950 <= int(ended_year) <= timezone.localdate().year:
        raise DomainError(_("结束年份不合理。"), code="year")
    relationship = JudgeRelationship.objects.create(
        judge=judge, organisation=organisation, kind=kind, ended_year=ended_year, note=(note or "")[:200]
    )
    audit_record(
        actor=actor,
        action="judge.declare_relationship",
        target=judge,
        after={"organisation": organisation.pk, "kind": kind, "ended_year": ended_year},
    )
    return relationship


@transaction.atomic
def panel_assign(*, actor: User, challenge: Challenge, judge: User, is_chair: bool = False) -> PanelMembership:
    """Put a judge on a challenge's panel, refusing any conflict with the publisher or an entrant;
    a new chair replaces the old one. Side effects: an audit record; a notification to the judge."""
    require_contest_manager(actor)
    if not is_judge(judge):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")
    if challenge.contest.is_at_or_after(Round.REVIEW):
        raise DomainError(_("复议阶段开始后不能调整评审组。"), code="frozen")
    reasons = challenge_conflicts(judge, challenge)
    for entry in (
        challenge.entries.exclude(status=EntryStatus.WITHDRAWN)
        .select_related("challenge__scenario")
        .prefetch_related("members")
    ):
        reasons += [f"{entry.title}：{reason}" for reason in conflicts(judge, entry)]
    if reasons:
        raise DomainError(_("存在利益冲突，不能分配：%(reasons)s") % {"reasons": "".join(reasons)}, code="conflict")
    if is_chair:
        PanelMembership.objects.filter(challenge=challenge, is_chair=True).update(is_chair=False)
    try:
        with transaction.atomic():
            membership = PanelMembership.objects.create(
                challenge=challenge, judge=judge, is_chair=is_chair, assigned_by=actor
            )
    except IntegrityError:
        raise DomainError(_("该专家已在评审组中。"), code="duplicate") from None
    audit_record(actor=actor, action="panel.assign", target=challenge, after={"judge": judge.pk, "is_chair": is_chair})
    notify(
        recipients=[judge],
        title=Message(gettext_noop("您被邀请评审榜单“%(title)s”"), title=challenge.title),
        body=Message(gettext_noop("查看方案前请先签署回避承诺。")),
        link=reverse("accounts:home"),
    )
    return membership


@transaction.atomic
def recusal_commitment_sign(*, actor: User, contest: Contest) -> RecusalCommitment:
    """A judge signs the 回避承诺 for a contest; entries are shown only after this. Signing again
    changes nothing. Side effects: an audit record the first time."""
    if not is_judge(actor):
        raise PermissionDenied(_("只有评审专家需要签署回避承诺。"))
    commitment, created = RecusalCommitment.objects.get_or_create(
        judge=actor,
        contest=contest,
        defaults={"text_sha256": recusal_commitment_sha256(actor, contest)},
    )
    if created:
        audit_record(
            actor=actor,
            action="judge.sign_recusal_commitment",
            target=contest,
            after={"sha256": commitment.text_sha256},
        )
    return commitment


@transaction.atomic
def recusal_declare(*, actor: User, entry: ContestEntry, reason: str) -> Recusal:
    """A judge who discovers a conflict steps back from the entry; the recusal is kept and the
    entry disappears from the judge's list. Side effects: an audit record the first time.

    Only before the judge's sheet for the entry is signed: a recusal drops the judge's sheet from
    the ranking, so after signing it would let a judge withdraw a score once the standings show
    (a signed sheet changes only through the chair's audited unlock)."""
    if not PanelMembership.objects.filter(challenge_id=entry.challenge_id, judge=actor).exists():
        raise PermissionDenied(_("您不是该榜单的评审专家。"))
    if ScoreSheet.objects.filter(entry=entry, judge=actor, status=SheetStatus.SUBMITTED).exists():
        raise DomainError(
            _("您已提交该方案的评分，不能再申请回避；如确有应回避的关系，请联系评审组长解锁评分表。"),
            code="sheet_submitted",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明回避原因。"), code="reason_required")
    recusal, created = Recusal.objects.get_or_create(judge=actor, entry=entry, defaults={"reason": reason[:300]})
    if created:
        audit_record(actor=actor, action="judge.recuse", target=entry, after={"reason": recusal.reason})
    return recusal
