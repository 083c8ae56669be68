"""A subject's result (evaluation.scoring does the arithmetic, evaluation.selectors.result_inputs
reads the sheets), the lead's consensus decisions, and the operator's close of a round.

Every write locks the round row first, so a result never misses a sheet or a decision committed
before it, and nothing changes a round's results once it is closed: a closed round's results are
immutable (subject_result_compute and consensus_record refuse), reading and exporting write none.
"""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.permissions import is_operator
from contests.sheets import parse_points
from core.after_commit import queue_after_commit
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, job_create, notify
from evaluation.choices import RoundStatus, ScoringMethod
from evaluation.experts import subject_conflicts
from evaluation.models import ConsensusDecision, EvaluationRound, Indicator, Subject, SubjectResult
from evaluation.permissions import WORKING_ROLES, is_round_lead
from evaluation.scoring import compute_result, inputs_sha256
from evaluation.selectors import latest_result, result_inputs
from evaluation.services.cases import cases_propose
from evaluation.services.rounds import lock_round

REPORT_JOB = "evaluation.round_report"


def _require_open(round_: EvaluationRound) -> None:
    if round_.is_closed:
        raise DomainError(_("评估轮次已结束，评估结果不能再更改。"), code="round_closed")


@transaction.atomic
def subject_result_compute(*, subject: Subject, trigger: str) -> SubjectResult:
    """Compute the subject's result from the submitted sheets, figures and consensus decisions and
    keep it as a SubjectResult (inputs, their SHA-256 and results) — a new row only when the inputs
    changed, else the latest one is returned. A system action (sheet submitted, consensus, close):
    no actor, no audit record. Refused once the round is closed."""
    round_ = lock_round(subject.round_id)
    _require_open(round_)
    subject.round = round_
    inputs = result_inputs(subject)
    fingerprint = inputs_sha256(inputs)
    latest = latest_result(subject)
    if latest is not None and latest.inputs_sha256 == fingerprint:
        return latest
    results = compute_result(inputs)
    results["trigger"] = trigger[:40]
    return SubjectResult.objects.create(
        subject=subject,
        inputs=inputs,
        inputs_sha256=fingerprint,
        results=results,
        total=Decimal(results["total"]) if results["total"] is not None else None,
        grade=results["grade"],
        red_line_hit=results["red_line_hit"],
    )


def subject_result_recompute_later(subject_id: int, trigger: str = "sheet_submitted") -> None:
    """Queue the subject's recomputation once the current transaction commits (the sheets' submit
    and reopen call this)."""
    # evaluation.tasks imports this package; importing the task only when one is queued keeps the
    # two from importing each other at load time.
    from evaluation.tasks import subject_result_recompute_task

    queue_after_commit(subject_result_recompute_task, subject_id, trigger)


@transaction.atomic
def consensus_record(
    *, actor: User, subject: Subject, indicator: Indicator, points, red_line_hit: bool, reason: str
) -> ConsensusDecision:
    """The team lead records the agreed points (0 to the maximum in half points) and red-line flag
    of an indicator whose expert scores spread beyond the round's threshold, with a reason; it
    overrides the trimmed mean of that indicator. Only while the round is scoring.

    Side effects: the decision (created or changed); an audit record with before and after; the
    subject's result recomputed."""
    round_ = lock_round(subject.round_id)
    if not is_round_lead(actor, round_.pk) or subject_conflicts(actor, subject):
        raise PermissionDenied(_("只有本轮评估的专家组长可以记录合议结果。"))
    _require_open(round_)
    if round_.status != RoundStatus.SCORING:
        raise DomainError(_("只有在专家评分阶段才能记录合议结果。"), code="not_scoring")
    if indicator.framework_id != round_.framework_id or indicator.method != ScoringMethod.EXPERT:
        raise DomainError(_("该指标不属于本轮评估的专家评分指标。"), code="indicator")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写合议理由。"), code="reason_required")
    value = parse_points(points, indicator)
    if value is None:
        raise DomainError(_("请填写合议得分。"), code="points_required")
    subject.round = round_
    leaf = next((row for row in compute_result(result_inputs(subject))["leaves"] if row["id"] == indicator.pk), None)
    if leaf is None or not leaf["needs_consensus"]:
        raise DomainError(_("该指标的专家评分差异未超过合议阈值，无需合议。"), code="no_consensus_needed")
    red_line_hit = bool(red_line_hit) and indicator.is_red_line
    existing = ConsensusDecision.objects.filter(subject=subject, indicator=indicator).first()
    before = (
        {"points": str(existing.points), "red_line_hit": existing.red_line_hit, "reason": existing.reason}
        if existing
        else {"points": leaf["aggregate"], "spread": leaf["spread"]}
    )
    decision, _created = ConsensusDecision.objects.update_or_create(
        subject=subject,
        indicator=indicator,
        defaults={"points": value, "red_line_hit": red_line_hit, "reason": reason[:500], "decided_by": actor},
    )
    audit_record(
        actor=actor,
        action="evaluation.consensus_record",
        target=subject,
        before=before,
        after={"indicator": indicator.code, "points": str(value), "red_line_hit": red_line_hit},
        reason=reason[:500],
    )
    subject_result_compute(subject=subject, trigger="consensus")
    return decision


def _missing(subject: Subject, result: SubjectResult) -> list[str]:
    """What keeps the subject from being closed, each as a sentence."""
    problems = []
    results = result.results
    if not results["complete"]:
        problems.append(
            _("“%(subject)s”尚有 %(count)d 份专家评价表未提交")
            % {"subject": subject.title, "count": results["expected"] - results["submitted"]}
        )
    pending = [leaf for leaf in results["leaves"] if leaf["id"] in results["pending_consensus"]]
    if pending:
        problems.append(
            _("“%(subject)s”的指标 %(names)s 待专家组长合议")
            % {"subject": subject.title, "names": "、".join(f"{leaf['code']} {leaf['name']}" for leaf in pending)}
        )
    if results["total"] is None and results["complete"]:
        problems.append(_("“%(subject)s”有指标尚无得分") % {"subject": subject.title})
    return problems


@transaction.atomic
def round_close(*, actor: User, round: EvaluationRound) -> EvaluationRound:  # noqa: A002 — the brief's name
    """The operator closes a round: refused, with what is missing, unless every subject has all its
    expected sheets submitted and no indicator awaits consensus.

    Side effects: each subject's final result computed and published (is_published on its latest
    result); the round closed (status, closed_at, closed_by); the report job (evaluation.round_report)
    created and queued after commit; notifications to the subjects' organisations and the team;
    an audit record with each subject's total and grade. Results are immutable from then on; the typical cases
    the nomination rule proposes (evaluation.services.cases.cases_propose)."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以结束评估轮次。"))
    round_ = lock_round(round.pk)
    _require_open(round_)
    if round_.status != RoundStatus.SCORING:
        raise DomainError(_("只有专家评分阶段的评估轮次才能结束。"), code="not_scoring")
    subjects = list(round_.subjects.prefetch_related("subject_organisations").order_by("id"))
    if not subjects:
        raise DomainError(_("本轮评估没有评价对象，不能结束。"), code="no_subjects")
    finals, problems = [], []
    for subject in subjects:
        result = subject_result_compute(subject=subject, trigger="close")
        finals.append((subject, result))
        problems.extend(_missing(subject, result))
    if problems:
        raise DomainError(
            _("还不能结束本轮评估：%(problems)s。") % {"problems": "；".join(problems)}, code="incomplete"
        )
    for subject, result in finals:
        SubjectResult.objects.filter(subject=subject, is_published=True).update(is_published=False)
        SubjectResult.objects.filter(pk=result.pk).update(is_published=True)
    before = {"status": round_.status}
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = actor
    round_.report_job = job_create(
        actor=actor,
        kind=REPORT_JOB,
        params={"round": round_.pk},
        title=Message(gettext_noop("评估报告：%(title)s"), title=round_.title),
    )
    round_.save(update_fields=["status", "closed_at", "closed_by", "report_job"])
    audit_record(
        actor=actor,
        action="evaluation.round_close",
        target=round_,
        before=before,
        after={
            "status": round_.status,
            "results": {
                str(subject.pk): [result.total, result.grade, result.red_line_hit] for subject, result in finals
            },
        },
    )
    for subject in subjects:
        members = User.objects.filter(
            organisation_id__in=[link.organisation_id for link in subject.subject_organisations.all()],
            is_active=True,
            role_assignments__role__in=WORKING_ROLES,
        ).distinct()
        notify(
            recipients=members,
            title=Message(gettext_noop("评估结果已发布：%(title)s"), title=subject.title),
            body=Message(gettext_noop("“%(round)s”已结束，请查看评估结果和问题清单。"), round=round_.title),
            link=reverse("evaluation:result", args=[subject.pk]),
        )
    notify(
        recipients=[member.expert for member in round_.experts.select_related("expert")],
        title=Message(gettext_noop("评估轮次已结束：%(title)s"), title=round_.title),
        body=Message(gettext_noop("共 %(count)d 个评价对象的评估结果已发布。"), count=len(subjects)),
    )
    # The next step is the operators': the subjects that meet the nomination rule wait for their
    # decision in the typical-case queue.
    cases_propose(round=round_)
    return round_
