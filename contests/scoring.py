"""Roadshow scoring: judges' sheets, the chair's lock and reopen, tie decisions, and the ranking
snapshots computed from the submitted sheets (contests.ranking does the arithmetic).

Every write locks the challenge row first: sheets, the chair's lock and reopen are serialised per
panel, so a sheet submitted while the chair locks is either fully in or fully out."""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from accounts.models import User
from core.services import audit_record, notify
from contests.choices import Dimension, EntryStatus, Round, SheetStatus
from contests.conflicts import conflicted_pairs
from contests.models import Challenge, ContestEntry, PanelMembership, RankingSnapshot, Recusal, Score, ScoreSheet, ScoringLock, TieDecision
from contests.ranking import METHOD, PARAMETERS, compute_ranking
from contests.selectors import entry_for_judge

SCORING_ROUNDS = (Round.ROADSHOW, Round.REVIEW)
HALF = Decimal("0.5")


def require_scoring_open(challenge: Challenge) -> None:
    current = challenge.contest.current_round()
    if current not in SCORING_ROUNDS:
        raise DomainError(_("评分在路演评审和复议阶段进行，当前不能评分。"), code="round_closed")


def _lock_challenge(challenge_id: int) -> Challenge:
    return Challenge.objects.select_for_update(of=("self",)).select_related("contest").get(pk=challenge_id)


def _require_chair(actor: User, challenge: Challenge) -> None:
    if not PanelMembership.objects.filter(challenge=challenge, judge=actor, is_chair=True).exists():
        raise PermissionDenied(_("只有评审组长可以执行此操作。"))


def parse_points(value, criterion) -> Decimal | None:
    """A criterion's points: blank (not yet scored), or 0 to its maximum in steps of 0.5."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("“%(name)s”的得分应为数字。") % {"name": criterion.name}, code="points") from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise DomainError(_("“%(name)s”的得分应在 0–%(max)d 分之间。") % {"name": criterion.name, "max": criterion.max_points}, code="points_bounds")
    if points % HALF != 0:
        raise DomainError(_("“%(name)s”的得分最小单位为 0.5 分。") % {"name": criterion.name}, code="points_step")
    return points.quantize(Decimal("0.1"))


def sheet_content_sha256(sheet: ScoreSheet, scores: list[Score], signed_at) -> str:
    content = {
        "entry": sheet.entry_id,
        "judge": sheet.judge_id,
        "signed_at": signed_at.isoformat(),
        "scores": sorted([score.criterion_id, str(score.points), score.comment] for score in scores),
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def sheet_save(*, actor: User, entry: ContestEntry, points: dict, comments: dict | None = None, submit: bool = False) -> ScoreSheet:
    """Save a judge's sheet as a draft, or submit it: submitting needs every criterion, signs the
    sheet (time and SHA-256 of its content) and locks it. `points` and `comments` are keyed by
    criterion id. An entry the judge may not score is not found (404)."""
    entry = entry_for_judge(actor, entry.pk)  # assigned, signed the 回避承诺, no conflict, not recused
    challenge = _lock_challenge(entry.challenge_id)
    require_scoring_open(challenge)
    if ScoringLock.objects.filter(challenge=challenge).exists():
        raise DomainError(_("评审组长已结束本榜单的评分，不能再保存或提交。"), code="scoring_locked")
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(entry=entry, judge=actor)
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
                raise DomainError(_("提交前请为每一项打分（“%(name)s”尚未打分）。") % {"name": criterion.name}, code="incomplete")
            continue
        scores.append(Score(sheet=sheet, criterion=criterion, points=value, comment=comment))
    sheet.scores.all().delete()
    Score.objects.bulk_create(scores)
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.content_sha256 = sheet_content_sha256(sheet, scores, sheet.submitted_at)
        audit_record(
            actor=actor, action="score_sheet.submit", target=sheet,
            after={"entry": entry.pk, "sha256": sheet.content_sha256, "scores": {str(score.criterion_id): str(score.points) for score in scores}},
        )
        transaction.on_commit(lambda: _queue_recompute(challenge.pk, "sheet_submitted"))
    sheet.save()
    return sheet


@transaction.atomic
def sheet_reopen(*, actor: User, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The panel chair sends a signed sheet back to its judge, with a reason (audited)."""
    challenge = _lock_challenge(sheet.entry.challenge_id)
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
    sheet.save()
    audit_record(actor=actor, action="score_sheet.reopen", target=sheet, before=before, after={"status": sheet.status}, reason=reason[:500])
    notify(
        recipients=[sheet.judge],
        title=_("您的评分表已被评审组长退回：%(title)s") % {"title": sheet.entry.title},
        body=_("退回原因：%(reason)s") % {"reason": reason},
        link=reverse("contests:score-sheet", args=[sheet.entry_id]),
    )
    transaction.on_commit(lambda: _queue_recompute(challenge.pk, "sheet_reopened"))
    return sheet


@transaction.atomic
def scoring_lock(*, actor: User, challenge: Challenge) -> ScoringLock:
    """The chair ends the panel's scoring: no sheet is saved or submitted after this."""
    challenge = _lock_challenge(challenge.pk)
    _require_chair(actor, challenge)
    lock, created = ScoringLock.objects.get_or_create(challenge=challenge, defaults={"locked_by": actor})
    if created:
        drafts = ScoreSheet.objects.filter(entry__challenge=challenge, status=SheetStatus.DRAFT).count()
        audit_record(actor=actor, action="scoring.lock", target=challenge, after={"locked_at": lock.locked_at.isoformat(), "drafts_left": drafts})
    return lock


@transaction.atomic
def scoring_unlock(*, actor: User, challenge: Challenge, reason: str) -> None:
    challenge = _lock_challenge(challenge.pk)
    _require_chair(actor, challenge)
    require_scoring_open(challenge)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写重新开放评分的原因。"), code="reason_required")
    deleted, _details = ScoringLock.objects.filter(challenge=challenge).delete()
    if deleted:
        audit_record(actor=actor, action="scoring.unlock", target=challenge, reason=reason[:500])


@transaction.atomic
def tie_decide(*, actor: User, challenge: Challenge, order: list, reason: str) -> TieDecision:
    """Record how entries still tied after 技术 subtotal and 首创性 are ordered (operators)."""
    if not actor.has_role("operator"):
        raise PermissionDenied(_("只有运营管理人员可以执行此操作。"))
    try:
        order = [int(entry_id) for entry_id in order]
    except (TypeError, ValueError):
        raise DomainError(_("请按名次先后选择并列的方案。"), code="order") from None
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写决定依据。"), code="reason_required")
    if len(order) < 2 or len(set(order)) != len(order):
        raise DomainError(_("请按名次先后选择至少两个不同的并列方案。"), code="order")
    latest = latest_snapshot(challenge)
    tied = {row["entry"] for row in latest.results["entries"] if row["tie_break"] == "unresolved"} if latest else set()
    if not set(order) <= tied:
        raise DomainError(_("所选方案在当前排名中并不并列，无需决定。"), code="not_tied")
    decision = TieDecision.objects.create(challenge=challenge, order=order, reason=reason[:500], decided_by=actor)
    audit_record(actor=actor, action="ranking.tie_decision", target=challenge, after={"order": order}, reason=reason[:500])
    transaction.on_commit(lambda: _queue_recompute(challenge.pk, "tie_decision"))
    return decision


# ---- the ranking ---------------------------------------------------------------------------------

def _queue_recompute(challenge_id: int, trigger: str) -> None:
    from contests.tasks import ranking_recompute_task

    ranking_recompute_task.delay(challenge_id, trigger)


def expected_judges(challenge: Challenge, entries: list[ContestEntry]) -> dict[int, list[int]]:
    """{entry id: judge ids who must score it}: the panel, less recusals and conflicts."""
    judges = [membership.judge for membership in PanelMembership.objects.filter(challenge=challenge).select_related("judge")]
    recused = set(Recusal.objects.filter(entry__challenge=challenge).values_list("judge_id", "entry_id"))
    conflicted = conflicted_pairs(challenge, judges, entries)
    return {
        entry.pk: sorted(judge.pk for judge in judges if (judge.pk, entry.pk) not in recused and (judge.pk, entry.pk) not in conflicted)
        for entry in entries
    }


def ranking_inputs(challenge: Challenge) -> dict:
    """Everything the ranking reads, as plain JSON: the rubric, the eligible entries with the
    judges expected on each, the submitted sheets, and the recorded tie decisions."""
    entries = list(ContestEntry.objects.filter(challenge=challenge, status=EntryStatus.ELIGIBLE).select_related("lead").order_by("pk"))
    expected = expected_judges(challenge, entries)
    sheets: dict[tuple[int, int], dict] = {}
    for entry_id, judge_id, criterion_id, points in Score.objects.filter(
        sheet__entry__challenge=challenge, sheet__entry__status=EntryStatus.ELIGIBLE, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet__entry_id", "sheet__judge_id", "criterion_id", "points"):
        if judge_id in expected.get(entry_id, ()):
            sheets.setdefault((entry_id, judge_id), {"entry": entry_id, "judge": judge_id, "points": {}})["points"][str(criterion_id)] = str(points)
    return {
        "criteria": [
            {"id": criterion.pk, "name": criterion.name, "dimension": criterion.dimension, "max_points": criterion.max_points}
            for criterion in challenge.contest.criteria.all()
        ],
        "entries": [{"id": entry.pk, "title": entry.title, "lead": entry.lead.name, "expected_judges": expected[entry.pk]} for entry in entries],
        "sheets": sorted(sheets.values(), key=lambda sheet: (sheet["entry"], sheet["judge"])),
        "tie_decisions": [{"id": decision.pk, "order": decision.order} for decision in challenge.tie_decisions.order_by("decided_at", "pk")],
    }


def _sha256(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def ranking_recompute(challenge: Challenge, *, trigger: str) -> RankingSnapshot:
    """Compute the ranking from the current sheets and keep it as a snapshot. Holding the
    challenge lock, it reads every sheet committed before it: the latest snapshot is never staler
    than an earlier one."""
    challenge = _lock_challenge(challenge.pk)
    inputs = ranking_inputs(challenge)
    return RankingSnapshot.objects.create(
        challenge=challenge, method=METHOD, parameters=PARAMETERS, inputs=inputs, inputs_sha256=_sha256(inputs), results=compute_ranking(inputs), trigger=trigger[:40]
    )


def snapshot_verify(snapshot: RankingSnapshot) -> bool:
    """Recompute a snapshot from its stored inputs: True when the result is the same."""
    return _sha256(snapshot.inputs) == snapshot.inputs_sha256 and compute_ranking(snapshot.inputs) == snapshot.results


def latest_snapshot(challenge: Challenge) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(challenge=challenge).order_by("-computed_at", "-pk").first()


def panel_complete(snapshot: RankingSnapshot | None) -> bool:
    """Every eligible entry has all its expected sheets: aggregates may be shown to the panel."""
    return snapshot is not None and bool(snapshot.results["entries"]) and all(row["complete"] for row in snapshot.results["entries"])


def dimension_subtotals(sheet: ScoreSheet) -> dict[str, Decimal]:
    totals = {Dimension.TECHNICAL: Decimal(0), Dimension.BUSINESS: Decimal(0)}
    for score in sheet.scores.all():
        totals[score.criterion.dimension] += score.points
    return totals
