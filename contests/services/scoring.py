"""Roadshow scoring: a judge's sheet (draft, then signed and locked), the chair's reopen, and the
chair's lock and unlock of a panel's scoring.

Every write locks the challenge row first: the chair's lock and reopen exclusively
(results.lock_challenge), a judge's sheet shared with the other judges' sheets
(results.lock_challenge_for_sheet), so a sheet submitted while the chair locks is either fully in or
fully out, and the judges of a panel save their own sheets at the same time.

A signed sheet changes only through sheet_reopen: on PostgreSQL the database refuses any other
UPDATE or DELETE of it or of its scores (migration 0007, core.locked_rows)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from contests.choices import SheetStatus
from contests.models import Challenge, ContestEntry, Score, ScoreSheet, ScoringLock
from contests.permissions import is_panel_chair
from contests.rounds import require_scoring_open
from contests.selectors import entry_for_judge
from contests.services.results import lock_challenge, lock_challenge_for_sheet, ranking_recompute_later
from contests.sheets import parse_points, sheet_content_sha256
from core.errors import DomainError, PermissionDenied
from core.locked_rows import audited_reopen
from core.messages import Message
from core.services import audit_record, notify


def _require_chair(actor: User, challenge: Challenge) -> None:
    if not is_panel_chair(actor, challenge):
        raise PermissionDenied(_("只有评审组长可以执行此操作。"))


@transaction.atomic
def sheet_save(
    *, actor: User, entry: ContestEntry, points: dict, comments: dict | None = None, submit: bool = False
) -> ScoreSheet:
    """Save a judge's sheet as a draft, or submit it: submitting needs every criterion, signs the
    sheet (time and SHA-256 of its content) and locks it. `points` and `comments` are keyed by
    criterion id. An entry the judge may not score is not found (404).

    Side effects on submit: an audit record with the points; the ranking recomputed after commit."""
    entry = entry_for_judge(actor, entry.pk)  # assigned, signed the 回避承诺, no conflict, not recused
    challenge = lock_challenge_for_sheet(entry.challenge_id)
    require_scoring_open(challenge)
    if challenge.scoring_locked:
        raise DomainError(_("评审组长已结束本榜单的评分，不能再保存或提交。"), code="scoring_locked")
    # A draft is not in the 驾驶舱 (its funnel counts entries with a submitted sheet), so the sheet
    # is made, locked and kept as a draft by queryset writes, which send no post_save: saving a
    # draft leaves the charts' cache as it is, and only the submitted sheet's save below makes them
    # stale (steering.cockpit). Every draft bumped their versions in Redis twice (issue #20).
    ScoreSheet.objects.bulk_create([ScoreSheet(entry=entry, judge=actor)], ignore_conflicts=True)
    sheet = ScoreSheet.objects.select_for_update().get(entry=entry, judge=actor)
    sheet.entry, sheet.judge = entry, actor  # the audit record names both: not read again
    if sheet.is_submitted:
        raise DomainError(_("评分表已签名提交，不能修改；如需修改，请联系评审组长退回。"), code="sheet_signed")
    criteria = list(challenge.contest.criteria.all())
    known = {str(criterion.pk) for criterion in criteria}
    comments = comments or {}
    unknown = [key for key in [*points, *comments] if str(key) not in known]
    if unknown:
        raise DomainError(_("评分项不属于本次大赛的评分表。"), code="criterion")
    points = {str(key): value for key, value in points.items()}
    comments = {str(key): str(value or "").strip() for key, value in comments.items()}
    scores = []
    for criterion in criteria:
        value = parse_points(points.get(str(criterion.pk)), criterion)
        comment = comments.get(str(criterion.pk), "")
        if len(comment) > 500:
            raise DomainError(_("“%(name)s”的评语不能超过 500 字。") % {"name": criterion.name}, code="comment")
        if value is None:
            if submit:
                raise DomainError(
                    _("提交前请为每一项打分（“%(name)s”尚未打分）。") % {"name": criterion.name}, code="incomplete"
                )
            continue
        scores.append(Score(sheet=sheet, criterion=criterion, points=value, comment=comment))
    sheet.scores.all().delete()
    Score.objects.bulk_create(scores)
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.content_sha256 = sheet_content_sha256(sheet, scores, sheet.submitted_at)
        audit_record(
            actor=actor,
            action="score_sheet.submit",
            target=sheet,
            after={
                "entry": entry.pk,
                "sha256": sheet.content_sha256,
                "scores": {str(score.criterion_id): str(score.points) for score in scores},
            },
        )
        ranking_recompute_later(challenge.pk, "sheet_submitted")
        sheet.save()
    else:
        sheet.updated_at = timezone.now()
        ScoreSheet.objects.filter(pk=sheet.pk).update(updated_at=sheet.updated_at)
    return sheet


@transaction.atomic
def sheet_reopen(*, actor: User, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The panel chair sends a signed sheet back to its judge, with a reason.

    Side effects: an audit record with the signature removed; a notification to the judge; the
    ranking recomputed after commit."""
    challenge = lock_challenge(sheet.entry.challenge_id)
    _require_chair(actor, challenge)
    require_scoring_open(challenge)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写退回原因。"), code="reason_required")
    if ScoringLock.objects.filter(challenge=challenge).exists():
        raise DomainError(_("本榜单评分已结束，请先重新开放评分。"), code="scoring_locked")
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if not sheet.is_submitted:
        raise DomainError(_("该评分表尚未提交，无需退回。"), code="not_submitted")
    before = {"status": sheet.status, "sha256": sheet.content_sha256, "submitted_at": sheet.submitted_at.isoformat()}
    sheet.status, sheet.submitted_at, sheet.content_sha256 = SheetStatus.DRAFT, None, ""
    with audited_reopen():  # the database refuses any other change to a signed sheet
        sheet.save()
    audit_record(
        actor=actor,
        action="score_sheet.reopen",
        target=sheet,
        before=before,
        after={"status": sheet.status},
        reason=reason[:500],
    )
    notify(
        recipients=[sheet.judge],
        title=Message(gettext_noop("您的评分表已被评审组长退回：%(title)s"), title=sheet.entry.title),
        body=Message(gettext_noop("退回原因：%(reason)s"), reason=reason),
        link=reverse("contests:score-sheet", args=[sheet.entry_id]),
    )
    ranking_recompute_later(challenge.pk, "sheet_reopened")
    return sheet


@transaction.atomic
def scoring_lock(*, actor: User, challenge: Challenge) -> ScoringLock:
    """The chair ends the panel's scoring: no sheet is saved or submitted after this.

    Side effects: an audit record the first time (with the drafts left)."""
    challenge = lock_challenge(challenge.pk)
    _require_chair(actor, challenge)
    lock, created = ScoringLock.objects.get_or_create(challenge=challenge, defaults={"locked_by": actor})
    if created:
        drafts = ScoreSheet.objects.filter(entry__challenge=challenge, status=SheetStatus.DRAFT).count()
        audit_record(
            actor=actor,
            action="scoring.lock",
            target=challenge,
            after={"locked_at": lock.locked_at.isoformat(), "drafts_left": drafts},
        )
    return lock


@transaction.atomic
def scoring_unlock(*, actor: User, challenge: Challenge, reason: str) -> None:
    """The chair reopens the panel's scoring, with a reason. Side effects: an audit record."""
    challenge = lock_challenge(challenge.pk)
    _require_chair(actor, challenge)
    require_scoring_open(challenge)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写重新开放评分的原因。"), code="reason_required")
    deleted, _details = ScoringLock.objects.filter(challenge=challenge).delete()
    if deleted:
        audit_record(actor=actor, action="scoring.unlock", target=challenge, reason=reason[:500])
