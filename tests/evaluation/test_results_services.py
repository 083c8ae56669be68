"""A subject's result computed by hand from fixtures and compared with the service; consensus;
round close; results immutable once the round is closed."""

from decimal import Decimal

import pytest

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Job, Notification
from evaluation import services
from evaluation.choices import RoundStatus
from evaluation.models import ConsensusDecision, SubjectResult
from evaluation.scoring import compute_result
from evaluation.selectors import result_inputs
from tests.evaluation.conftest_results import leaf, make_round, subject_user, submit_columns, submit_sheet
from tests.factories.accounts import operator_user

pytestmark = pytest.mark.django_db


def _dimensions(result):
    return {item["name"]: item["score"] for item in result.results["dimensions"]}


def _leaves(result):
    return {item["code"]: item for item in result.results["leaves"]}


def test_five_experts_trimmed_mean_by_hand():
    round_, subject, team = make_round(experts=5)
    submit_columns(
        subject,
        team,
        {
            "1.1": [6, 7, 8, 9, 10],  # drop 6 and 10 → 8.00 → 8/10 × 15 = 12.00 (spread 4 = 0.40 × 10: no 合议)
            "1.2": [9, 9, 9, 9, 5],  # drop 5 and a 9 → 9.00 → 9/10 × 10 = 9.00 (a plain mean would be 8.2)
            "2.1": [8, 8, 8, 8, 8],  # 8 → 8/10 × 25 = 20.00
            "3.1": [7, 7.5, 8, 8.5, 9],  # drop 7 and 9 → 8.00 → 8/10 × 12.5 = 10.00
            "3.2": [10, 10, 10, 10, 10],  # 12.50
            "4.1": [9.5, 9.5, 9.5, 9.5, 9.5],  # 9.5/10 × 25 = 23.75
        },
    )
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert result.total == Decimal("87.25") and result.grade == "良" and not result.red_line_hit
    assert _dimensions(result) == {"决策": "21.00", "过程": "20.00", "产出": "22.50", "效益": "23.75"}
    leaves = _leaves(result)
    assert leaves["1.2"]["points"] == "9.00" and leaves["1.2"]["mean"] == "8.20" and leaves["1.2"]["experts"] == 5
    assert leaves["1.1"]["spread"] == "4.0" and not leaves["1.1"]["needs_consensus"]
    assert result.results["complete"] and result.results["pending_consensus"] == []


def test_four_experts_plain_mean_and_half_up_rounding_at_the_boundary():
    round_, subject, team = make_round(experts=4)
    submit_columns(
        subject,
        team,
        {
            "1.1": [6, 7.5, 7.5, 8],  # plain mean 7.25 (trimmed would be 7.5) → 7.25/10 × 15 = 10.875
            "1.2": [8, 8, 8, 8],  # 8.00
            "2.1": [9, 9, 9, 9],  # 22.50
            "3.1": [8, 8, 8, 7.5],  # 7.875 → 7.88 (half-up) → 7.88/10 × 12.5 = 9.85
            "3.2": [8, 8, 8, 8],  # 10.00
            "4.1": [8, 8, 8, 8],  # 20.00
        },
    )
    # 10.875 + 8 + 22.5 + 9.85 + 10 + 20 = 81.225 → 81.23 half-up (81.22 half-even); only the total is rounded.
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert result.total == Decimal("81.23") and result.grade == "良"
    assert _leaves(result)["1.1"]["points"] == "7.25" and _leaves(result)["3.1"]["points"] == "7.88"
    assert _dimensions(result)["决策"] == "18.88"  # 10.875 + 8 = 18.875 → 18.88


def test_red_line_hit_by_a_majority_caps_a_total_over_90_at_the_lowest_grade():
    round_, subject, team = make_round(experts=3)
    for index, expert in enumerate(team):
        submit_sheet(subject, expert, 9.5, red_line={"2.1"} if index < 2 else set())
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert result.total == Decimal("95.00")
    assert result.grade == "差" and result.red_line_hit
    assert result.results["red_line_hits"] == [leaf(round_, "2.1").pk]


def test_red_line_marked_by_half_the_sheets_or_fewer_is_not_a_hit():
    round_, subject, team = make_round(experts=4)
    for index, expert in enumerate(team):
        submit_sheet(subject, expert, 9.5, red_line={"2.1"} if index < 2 else set())
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert result.grade == "优" and not result.red_line_hit


def test_a_mark_on_an_indicator_that_is_not_a_red_line_changes_nothing():
    round_, subject, team = make_round(experts=3)
    for expert in team:
        submit_sheet(subject, expert, 9.5, red_line={"1.1"})
    assert services.subject_result_compute(subject=subject, trigger="test").grade == "优"


@pytest.mark.parametrize(
    ("points", "total", "grade"),
    [(9, "90.00", "优"), (8.5, "85.00", "良"), (8, "80.00", "良"), (6, "60.00", "中"), (5.5, "55.00", "差")],
)
def test_grade_bands_include_their_lower_bound(points, total, grade):
    round_, subject, team = make_round(experts=3)
    for expert in team:
        submit_sheet(subject, expert, points)
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert (str(result.total), result.grade) == (total, grade)


def _wide_spread(subject, team):
    # 1.1: [2, 8, 9] spreads 7 > 0.40 × 10 → 合议; plain mean 6.33 → 6.33/10 × 15 = 9.495; the rest 8 → 68.
    submit_columns(
        subject, team, {"1.1": [2, 8, 9], **{code: [8, 8, 8] for code in ["1.2", "2.1", "3.1", "3.2", "4.1"]}}
    )


def test_consensus_override_changes_the_total_and_the_grade(django_capture_on_commit_callbacks):
    round_, subject, team = make_round(experts=3)
    _wide_spread(subject, team)
    before = services.subject_result_compute(subject=subject, trigger="test")
    assert before.total == Decimal("77.50") and before.grade == "中"  # 77.495 → 77.50
    assert before.results["pending_consensus"] == [leaf(round_, "1.1").pk]

    services.consensus_record(
        actor=team[0],
        subject=subject,
        indicator=leaf(round_, "1.1"),
        points="8.5",
        red_line_hit=False,
        reason="合议一致",
    )
    after = SubjectResult.objects.filter(subject=subject).latest()
    assert after.total == Decimal("80.75") and after.grade == "良"  # 8.5/10 × 15 = 12.75 + 68
    assert after.results["pending_consensus"] == []
    assert _leaves(after)["1.1"]["source"] == "consensus" and _leaves(after)["1.1"]["aggregate"] == "6.33"
    record = AuditRecord.objects.get(action="evaluation.consensus_record")
    assert record.before == {"points": "6.33", "spread": "7.0"} and record.after["points"] == "8.5"
    assert record.reason == "合议一致"


def test_consensus_can_record_a_red_line_hit_that_caps_the_grade():
    round_, subject, team = make_round(experts=3)
    submit_columns(
        subject, team, {"2.1": [1, 9, 10], **{code: [10, 10, 10] for code in ["1.1", "1.2", "3.1", "3.2", "4.1"]}}
    )
    services.consensus_record(
        actor=team[0],
        subject=subject,
        indicator=leaf(round_, "2.1"),
        points="9",
        red_line_hit=True,
        reason="安全事故属实",
    )
    result = SubjectResult.objects.filter(subject=subject).latest()
    assert result.total == Decimal("97.50") and result.grade == "差"


def test_consensus_is_refused_to_anyone_but_the_lead_and_without_reason_or_need():
    round_, subject, team = make_round(experts=3)
    _wide_spread(subject, team)
    indicator = leaf(round_, "1.1")
    with pytest.raises(PermissionDenied):
        services.consensus_record(
            actor=team[1], subject=subject, indicator=indicator, points="8", red_line_hit=False, reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.consensus_record(
            actor=operator_user(), subject=subject, indicator=indicator, points="8", red_line_hit=False, reason="x"
        )
    with pytest.raises(DomainError, match="合议理由"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=indicator, points="8", red_line_hit=False, reason="  "
        )
    with pytest.raises(DomainError, match="0.5"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=indicator, points="8.3", red_line_hit=False, reason="x"
        )
    with pytest.raises(DomainError, match="0–10"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=indicator, points="11", red_line_hit=False, reason="x"
        )
    with pytest.raises(DomainError, match="无需合议"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=leaf(round_, "1.2"), points="8", red_line_hit=False, reason="x"
        )
    round_.status = RoundStatus.SELF_ASSESSMENT
    round_.save()
    with pytest.raises(DomainError, match="专家评分阶段"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=indicator, points="8", red_line_hit=False, reason="x"
        )
    assert not ConsensusDecision.objects.exists()


def test_only_expected_experts_submitted_sheets_count():
    round_, subject, team = make_round(experts=3)
    submit_sheet(subject, team[0], 8)
    submit_sheet(subject, team[1], 8)
    # A draft does not count; neither does a sheet of someone who is not on the team.
    from tests.factories.evaluation import expert

    submit_sheet(subject, expert(), 1)
    result = services.subject_result_compute(subject=subject, trigger="test")
    assert result.results["complete"] is False and result.results["submitted"] == 2
    assert result.total == Decimal("80.00")


def test_result_is_stored_again_only_when_its_inputs_change():
    round_, subject, team = make_round(experts=3)
    for expert in team[:2]:
        submit_sheet(subject, expert, 8)
    first = services.subject_result_compute(subject=subject, trigger="test")
    assert services.subject_result_compute(subject=subject, trigger="test").pk == first.pk
    submit_sheet(subject, team[2], 9)
    second = services.subject_result_compute(subject=subject, trigger="test")
    assert second.pk != first.pk and SubjectResult.objects.filter(subject=subject).count() == 2
    # The stored inputs reproduce the stored results (the function is pure).
    # Each leaf's trimmed mean is rounded first: 25/3 → 8.33, so 8.33/10 × 100 = 83.30.
    assert compute_result(second.inputs)["total"] == second.results["total"] == "83.30"
    assert second.inputs == result_inputs(subject)


def test_recompute_later_queues_the_task_after_commit(django_capture_on_commit_callbacks):
    round_, subject, team = make_round(experts=3)
    submit_sheet(subject, team[0], 7)
    with django_capture_on_commit_callbacks(execute=True):
        services.subject_result_recompute_later(subject.pk)
    assert SubjectResult.objects.get(subject=subject).total == Decimal("70.00")


# ---- round close -------------------------------------------------------------------------------


def test_round_close_is_refused_while_a_sheet_is_missing_naming_the_subject():
    round_, subject, team = make_round(experts=3)
    for expert in team[:2]:
        submit_sheet(subject, expert, 8)
    with pytest.raises(DomainError) as refusal:
        services.round_close(actor=operator_user(), round=round_)
    assert "智慧港口调度场景" in refusal.value.message and "1 份专家评价表未提交" in refusal.value.message
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SCORING and not SubjectResult.objects.filter(is_published=True).exists()


def test_round_close_is_refused_while_a_consensus_is_pending():
    round_, subject, team = make_round(experts=3)
    _wide_spread(subject, team)
    with pytest.raises(DomainError, match="1.1 需求理解 待专家组长合议"):
        services.round_close(actor=operator_user(), round=round_)


def test_round_close_is_for_operators_only():
    round_, subject, team = make_round(experts=3)
    for expert in team:
        submit_sheet(subject, expert, 8)
    with pytest.raises(PermissionDenied):
        services.round_close(actor=team[0], round=round_)


def _closed_round(django_capture_on_commit_callbacks):
    round_, subject, team = make_round(experts=3)
    _wide_spread(subject, team)
    services.consensus_record(
        actor=team[0], subject=subject, indicator=leaf(round_, "1.1"), points="8.5", red_line_hit=False, reason="合议"
    )
    operator = operator_user()
    member = subject_user(subject)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator, round=round_)
    round_.refresh_from_db()
    return round_, subject, team, operator, member


def test_round_close_publishes_the_final_results_and_queues_the_report(django_capture_on_commit_callbacks):
    round_, subject, team, operator, member = _closed_round(django_capture_on_commit_callbacks)
    assert round_.status == RoundStatus.CLOSED and round_.closed_by == operator and round_.closed_at
    published = SubjectResult.objects.get(subject=subject, is_published=True)
    assert published.total == Decimal("80.75") and published == SubjectResult.objects.filter(subject=subject).latest()
    job = Job.objects.get(kind="evaluation.round_report")
    assert round_.report_job == job and job.state == "succeeded"  # tests run tasks in-process
    assert Notification.objects.filter(recipient=member, title__contains="评估结果已发布").exists()
    assert Notification.objects.filter(recipient=team[1], title__contains="评估轮次已结束").exists()
    record = AuditRecord.objects.get(action="evaluation.round_close")
    assert record.after["results"] == {str(subject.pk): ["80.75", "良", False]}


def test_results_are_immutable_after_close(django_capture_on_commit_callbacks):
    round_, subject, team, operator, member = _closed_round(django_capture_on_commit_callbacks)
    rows = list(SubjectResult.objects.values_list("pk", "total", "is_published"))
    with pytest.raises(DomainError, match="已结束"):
        services.subject_result_compute(subject=subject, trigger="test")
    with pytest.raises(DomainError, match="已结束"):
        services.consensus_record(
            actor=team[0], subject=subject, indicator=leaf(round_, "1.1"), points="2", red_line_hit=False, reason="改"
        )
    with pytest.raises(DomainError, match="已结束"):
        services.round_close(actor=operator, round=round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.subject_result_recompute_later(subject.pk)  # the task skips a closed round
    assert list(SubjectResult.objects.values_list("pk", "total", "is_published")) == rows
