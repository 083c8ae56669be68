"""An expert's evaluation sheet for one subject: drafts, then signed (time and SHA-256 of its
content, as contests.sheets signs a contest score sheet) and locked; the round lead's reopen.

Results are not computed here: evaluation.services.results reads the submitted sheets."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from contests.choices import SheetStatus
from contests.sheets import parse_points
from core.errors import DomainError, PermissionDenied
from core.locked_rows import audited_reopen
from core.messages import Message
from core.services import audit_record, notify
from evaluation.choices import RoundStatus, ScoringMethod
from evaluation.experts import subject_conflicts
from evaluation.models import EvaluationSheet, IndicatorScore, Subject
from evaluation.permissions import is_round_lead, may_manage_rounds
from evaluation.selectors import framework_leaves, subject_figures, subject_for_expert
from evaluation.services.results import subject_result_recompute_later
from evaluation.services.rounds import lock_round
from evaluation.sheets import CONFIRM_VALUES, evaluation_sheet_content_sha256


def _confirmed(value, indicator, figure) -> bool:
    """Whether the expert confirmed a computed or imported figure: a tick, or the figure's own points
    typed back. Any other number is refused — the expert confirms, never types."""
    if value is None or value is False:
        return False
    text = str(value).strip().lower()
    if text in ("", "0", "false", "off", "no"):
        return False
    if text in CONFIRM_VALUES or value is True:
        return True
    if figure is not None and parse_points(text, indicator) == figure.points:
        return True
    raise DomainError(
        _("“%(name)s”为系统计算或导入指标，只能确认其得分，不能修改。") % {"name": indicator.name},
        code="figure_confirm_only",
    )


@transaction.atomic
def evaluation_sheet_save(
    *,
    actor: User,
    subject: Subject,
    points: dict,
    comments: dict | None = None,
    red_line_hits: list | None = None,
    submit: bool = False,
) -> EvaluationSheet:
    """Save an expert's sheet as a draft, or submit it. Keys are leaf indicator ids. Expert-scored
    leaves take 0 to their maximum in half points; computed and imported leaves are confirmed (the
    figure's points are taken); a red-line hit only on a red-line leaf; comments up to 500 characters.
    Submitting needs every leaf, signs the sheet and locks it. Only a team expert who signed the
    回避承诺 and has no conflict with the subject may save (anyone else: 404), only while 专家评分中.

    Side effects: the sheet and its scores; on submit an audit record with the points and the
    subject's result recomputed after commit."""
    subject = subject_for_expert(actor, subject.pk)  # team, signed, no conflict — else 404
    round_ = lock_round(subject.round_id)
    if round_.status != RoundStatus.SCORING:
        raise DomainError(_("当前不在专家评分阶段，不能保存或提交评价表。"), code="round_status")
    sheet, _created = EvaluationSheet.objects.select_for_update().get_or_create(subject=subject, expert=actor)
    if sheet.is_submitted:
        raise DomainError(_("评价表已签名提交，不能修改；如需修改，请联系专家组长退回。"), code="sheet_signed")
    leaves = framework_leaves(round_.framework)
    by_id = {str(leaf.pk): leaf for leaf in leaves}
    comments = {str(key): str(value or "").strip() for key, value in (comments or {}).items()}
    points = {str(key): value for key, value in (points or {}).items()}
    hits = {str(key) for key in (red_line_hits or [])}
    if any(key not in by_id for key in [*points, *comments, *hits]):
        raise DomainError(_("只能为本轮指标体系的末级指标评分。"), code="indicator")
    not_red_line = [by_id[key].name for key in hits if not by_id[key].is_red_line]
    if not_red_line:
        raise DomainError(
            _("“%(name)s”不是红线指标，不能标记触及红线。") % {"name": not_red_line[0]}, code="not_red_line"
        )
    figures = subject_figures(subject)
    scores = []
    for leaf in leaves:
        key = str(leaf.pk)
        comment = comments.get(key, "")
        if len(comment) > 500:
            raise DomainError(_("“%(name)s”的评语不能超过 500 字。") % {"name": leaf.name}, code="comment")
        if leaf.method == ScoringMethod.EXPERT:
            value = parse_points(points.get(key), leaf)
        else:
            figure = figures.get(leaf.pk)
            if figure is None:
                if submit:
                    raise DomainError(
                        _("“%(name)s”的系统计算结果尚未生成，请联系运营管理人员。") % {"name": leaf.name},
                        code="figure_missing",
                    )
                value = None  # nothing to confirm yet: a draft keeps the leaf open
            else:
                value = figure.points if _confirmed(points.get(key), leaf, figure) else None
        if value is None:
            if submit:
                raise DomainError(
                    _("提交前请为每一项指标评分或确认（“%(name)s”尚未完成）。") % {"name": leaf.name},
                    code="incomplete",
                )
            if key in hits:
                raise DomainError(
                    _("请先为“%(name)s”评分，再标记触及红线。") % {"name": leaf.name}, code="red_line_unscored"
                )
            continue
        scores.append(
            IndicatorScore(
                sheet=sheet,
                indicator=leaf,
                points=Decimal(value).quantize(Decimal("0.1")),
                comment=comment,
                red_line_hit=key in hits,
            )
        )
    sheet.scores.all().delete()
    IndicatorScore.objects.bulk_create(scores)
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.content_sha256 = evaluation_sheet_content_sha256(sheet, scores, sheet.submitted_at)
        audit_record(
            actor=actor,
            action="evaluation.sheet_submit",
            target=sheet,
            after={
                "subject": subject.pk,
                "sha256": sheet.content_sha256,
                "scores": {str(score.indicator_id): str(score.points) for score in scores},
                "red_line_hits": sorted(score.indicator_id for score in scores if score.red_line_hit),
            },
        )
        subject_result_recompute_later(subject.pk, trigger="sheet_submitted")
    sheet.save()
    return sheet


@transaction.atomic
def evaluation_sheet_reopen(*, actor: User, sheet: EvaluationSheet, reason: str) -> EvaluationSheet:
    """The round's lead (not conflicted with the subject) or an operator sends a signed sheet back
    to its expert, with a reason, while 专家评分中. Side effects: an audit record with the
    signature removed; a notification; the subject's result recomputed after commit."""
    round_ = lock_round(sheet.subject.round_id)
    if not (may_manage_rounds(actor) or is_round_lead(actor, round_.pk)):
        raise PermissionDenied(_("只有专家组长或运营管理人员可以退回评价表。"))
    if not may_manage_rounds(actor) and subject_conflicts(actor, sheet.subject):
        raise PermissionDenied(_("您与该评价对象存在利益冲突，不能退回其评价表。"))
    if round_.status != RoundStatus.SCORING:
        raise DomainError(_("当前不在专家评分阶段，不能退回评价表。"), code="round_status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写退回原因。"), code="reason_required")
    sheet = EvaluationSheet.objects.select_for_update().select_related("subject", "expert").get(pk=sheet.pk)
    if not sheet.is_submitted:
        raise DomainError(_("该评价表尚未提交，无需退回。"), code="not_submitted")
    before = {"status": sheet.status, "sha256": sheet.content_sha256, "submitted_at": sheet.submitted_at.isoformat()}
    sheet.status, sheet.submitted_at, sheet.content_sha256 = SheetStatus.DRAFT, None, ""
    with audited_reopen():  # the database refuses any other change to a signed sheet
        sheet.save()
    audit_record(
        actor=actor,
        action="evaluation.sheet_reopen",
        target=sheet,
        before=before,
        after={"status": sheet.status},
        reason=reason[:500],
    )
    notify(
        recipients=[sheet.expert],
        title=Message(gettext_noop("您的评价表已被退回：%(title)s"), title=sheet.subject.title),
        body=Message(gettext_noop("退回原因：%(reason)s"), reason=reason),
        link=reverse("evaluation:sheet", args=[sheet.subject_id]),
    )
    subject_result_recompute_later(sheet.subject_id, trigger="sheet_reopened")
    return sheet
