# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""Expert sheets: only a cleared expert (team, 回避承诺, no conflict) while scoring; half points in
bounds; computed leaves confirmed; submit signs and locks; the lead reopens."""

from decimal import Decimal

import pytest
from django.http import Http404

from contests.models import JudgeRelationship
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import services
from evaluation.choices import FigureSource, RoundStatus, ScoringMethod
from evaluation.models import EvaluationCommitment, EvaluationSheet, Indicator, IndicatorFigure
from tests.evaluation.conftest_rounds import Scene, _reference_data, scene  # noqa: F401
from tests.factories import evaluation as ev


def test_expert_saves_a_draft_then_submits_a_signed_locked_sheet(scene):
    expert = scene.experts[1]
    first = scene.leaves()[0]
    draft = services.evaluation_sheet_save(
        actor=expert, subject=scene.subject, points={first.pk: "7.5"}, comments={first.pk: "需求把握准确"}
    )
    assert draft.status == "draft" and draft.scores.get().points == Decimal("7.5")
    sheet = services.evaluation_sheet_save(actor=expert, subject=scene.subject, points=scene.full_points(), submit=True)
    assert sheet.status == "submitted" and len(sheet.content_sha256) == 64 and sheet.submitted_at
    assert sheet.scores.count() == len(scene.leaves())
    assert AuditRecord.objects.filter(action="evaluation.sheet_submit", object_id=str(sheet.pk)).exists()
    with pytest.raises(DomainError, match="已签名提交，不能修改"):
        services.evaluation_sheet_save(actor=expert, subject=scene.subject, points=scene.full_points("9"))
    assert set(sheet.scores.values_list("points", flat=True)) == {Decimal("8.5")}


def test_submit_needs_every_leaf(scene):
    points = scene.full_points()
    points.pop(scene.leaves()[-1].pk)
    with pytest.raises(DomainError, match="降本增效"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=points, submit=True)
    assert not EvaluationSheet.objects.filter(status="submitted").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("7.3", "最小单位为 0.5 分"), ("10.5", "应在 0–10 分之间"), ("-1", "应在 0–10 分之间"), ("很好", "应为数字")],
)
def test_points_must_be_half_points_within_bounds(scene, value, message):
    leaf = scene.leaves()[0]
    with pytest.raises(DomainError, match=message):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points={leaf.pk: value})


def test_comment_length_red_line_and_foreign_indicator_are_checked(scene):
    leaves = scene.leaves()
    red_line = next(leaf for leaf in leaves if leaf.is_red_line)
    plain = next(leaf for leaf in leaves if not leaf.is_red_line)
    with pytest.raises(DomainError, match="500 字"):
        services.evaluation_sheet_save(
            actor=scene.lead, subject=scene.subject, points={plain.pk: "5"}, comments={plain.pk: "长" * 501}
        )
    with pytest.raises(DomainError, match="不是红线指标"):
        services.evaluation_sheet_save(
            actor=scene.lead, subject=scene.subject, points={plain.pk: "5"}, red_line_hits=[plain.pk]
        )
    parent = Indicator.objects.get(framework=scene.round.framework, code="1")
    with pytest.raises(DomainError, match="末级指标"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points={parent.pk: "5"})
    sheet = services.evaluation_sheet_save(
        actor=scene.lead, subject=scene.subject, points={red_line.pk: "2"}, red_line_hits=[red_line.pk]
    )
    assert sheet.scores.get(indicator=red_line).red_line_hit


def test_computed_leaf_is_confirmed_not_typed(scene):
    computed = Indicator.objects.get(framework=scene.round.framework, code="3.1")
    computed.method = ScoringMethod.COMPUTED
    computed.save()
    points = scene.full_points()
    with pytest.raises(DomainError, match="系统计算结果尚未生成，请联系运营管理人员"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=points, submit=True)
    IndicatorFigure.objects.create(
        subject=scene.subject, indicator=computed, source=FigureSource.COMPUTED, value=Decimal("3"), points=Decimal("6")
    )
    with pytest.raises(DomainError, match="只能确认"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=points, submit=True)
    points[computed.pk] = "confirm"
    sheet = services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=points, submit=True)
    assert sheet.scores.get(indicator=computed).points == Decimal("6.0")


def test_unconfirmed_computed_leaf_blocks_submit(scene):
    computed = Indicator.objects.get(framework=scene.round.framework, code="3.1")
    computed.method = ScoringMethod.IMPORTED
    computed.save()
    IndicatorFigure.objects.create(
        subject=scene.subject, indicator=computed, source=FigureSource.IMPORTED, value=Decimal("3"), points=Decimal("6")
    )
    points = scene.full_points()
    points[computed.pk] = ""
    with pytest.raises(DomainError, match="尚未完成"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=points, submit=True)


def test_sheet_only_while_scoring():
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT)
    with pytest.raises(DomainError, match="不在专家评分阶段"):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points={})


def test_expert_without_commitment_gets_not_found():
    scene = Scene(sign=False)
    with pytest.raises(Http404):
        services.evaluation_sheet_save(actor=scene.lead, subject=scene.subject, points=scene.full_points())
    assert not EvaluationSheet.objects.exists()


def test_conflicted_or_outside_expert_gets_not_found(scene):
    conflicted = scene.experts[2]
    JudgeRelationship.objects.create(judge=conflicted, organisation=scene.supplier, kind="employment")
    outsider = ev.expert()
    EvaluationCommitment.objects.create(round=scene.round, expert=outsider, text_sha256="y" * 64)
    for user in (conflicted, outsider):
        with pytest.raises(Http404):
            services.evaluation_sheet_save(actor=user, subject=scene.subject, points=scene.full_points())
    assert not EvaluationSheet.objects.exists()


def test_lead_reopens_a_submitted_sheet_with_a_reason(scene):
    expert = scene.experts[1]
    sheet = services.evaluation_sheet_save(actor=expert, subject=scene.subject, points=scene.full_points(), submit=True)
    with pytest.raises(PermissionDenied):
        services.evaluation_sheet_reopen(actor=scene.experts[2], sheet=sheet, reason="请复核")
    with pytest.raises(DomainError, match="退回原因"):
        services.evaluation_sheet_reopen(actor=scene.lead, sheet=sheet, reason=" ")
    reopened = services.evaluation_sheet_reopen(actor=scene.lead, sheet=sheet, reason="请复核 2.1 的得分")
    assert reopened.status == "draft" and reopened.content_sha256 == "" and reopened.submitted_at is None
    record = AuditRecord.objects.get(action="evaluation.sheet_reopen")
    assert record.reason == "请复核 2.1 的得分" and record.before["sha256"] == sheet.content_sha256
    assert Notification.objects.filter(recipient=expert, title__contains="退回").exists()
    with pytest.raises(DomainError, match="尚未提交"):
        services.evaluation_sheet_reopen(actor=scene.operator, sheet=reopened, reason="再退一次")
    again = services.evaluation_sheet_save(
        actor=expert, subject=scene.subject, points=scene.full_points("9"), submit=True
    )
    assert again.is_submitted and again.content_sha256 != sheet.content_sha256
