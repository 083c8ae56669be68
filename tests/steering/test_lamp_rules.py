"""The lamp rules at their boundaries with rules held in memory (steering.services.programme:
evaluate_lamp, planned_percentages, lamps_refresh): default thresholds, the due day itself, which
statuses count as unfiled, the worst colour, and what the hourly refresh writes."""

import datetime

import pytest
from django.utils import timezone

from steering import services
from steering.choices import LAMP_SEVERITY
from steering.models import LampRule, TaskMilestone, UnitReport
from steering.services.programme import evaluate_lamp, planned_percentages
from tests.factories.steering import open_cycle, report_of

TODAY = datetime.date(2026, 11, 20)


def _rule(kind, colour="red", **parameters):
    return LampRule(kind=kind, parameters=parameters, colour=colour, label=f"{kind}:{colour}")


def _lamp(rules, **kwargs):
    arguments = {
        "today": TODAY,
        "status": "not_started",
        "due_on": TODAY + datetime.timedelta(days=10),
        "reported": None,
        "planned": 0,
        "silent_since": None,
    }
    return evaluate_lamp(rules=rules, **{**arguments, **kwargs})[0]


def test_the_colours_rank_green_blue_yellow_red():
    """Rule: worst colour wins, in the order green < blue < yellow < red."""
    assert [LAMP_SEVERITY[c] for c in ("green", "blue", "yellow", "red")] == [0, 1, 2, 3]
    rules = [_rule("overdue", "blue"), _rule("overdue", "red"), _rule("overdue", "yellow")]
    assert _lamp(rules, due_on=TODAY - datetime.timedelta(days=1)) == "red"
    assert (
        _lamp([_rule("overdue", "yellow"), _rule("overdue", "blue")], due_on=TODAY - datetime.timedelta(days=1))
        == "yellow"
    )


@pytest.mark.parametrize(
    "status, lit",
    [("not_started", True), ("draft", True), ("returned", True), ("submitted", False), ("accepted", False)],
)
def test_overdue_counts_only_unfiled_reports_and_not_on_the_due_day(status, lit):
    """Rule: 逾期未报 = not filed (not started, draft, returned) and today after the due date."""
    rule = [_rule("overdue")]
    assert (_lamp(rule, status=status, due_on=TODAY - datetime.timedelta(days=1)) == "red") is lit
    assert _lamp(rule, status=status, due_on=TODAY) == "green"


@pytest.mark.parametrize("days_left, lit", [(-1, False), (0, True), (3, True), (4, False)])
def test_due_within_days_defaults_to_three_and_ends_at_the_due_day(days_left, lit):
    """Rule: 临近截止 lights from `days` (default 3) days before the due date until the due day."""
    rule = [_rule("due_within_days", "blue")]
    assert (_lamp(rule, due_on=TODAY + datetime.timedelta(days=days_left)) == "blue") is lit
    assert _lamp(rule, status="submitted", due_on=TODAY) == "green"


@pytest.mark.parametrize("days_left, lit", [(5, True), (6, False)])
def test_due_within_days_takes_its_threshold(days_left, lit):
    """Rule: the operator's `days` replaces the default."""
    rule = [_rule("due_within_days", "blue", days=5)]
    assert (_lamp(rule, due_on=TODAY + datetime.timedelta(days=days_left)) == "blue") is lit


@pytest.mark.parametrize("behind, lit", [(9, False), (10, True), (30, True), (31, False)])
def test_behind_plan_between_its_bounds_inclusive(behind, lit):
    """Rule: 落后序时进度 lights when planned − reported is within [min_points, max_points]."""
    rule = [_rule("behind_plan_points", "yellow", min_points=10, max_points=30)]
    assert (_lamp(rule, planned=50, reported=50 - behind) == "yellow") is lit


def test_behind_plan_defaults_to_ten_points_without_an_upper_bound_and_needs_a_report():
    """Rule: min_points defaults to 10, no max_points means no upper bound; no report, no verdict."""
    rule = [_rule("behind_plan_points")]
    assert _lamp(rule, planned=100, reported=90) == "red"
    assert _lamp(rule, planned=100, reported=91) == "green"
    assert _lamp(rule, planned=100, reported=0) == "red"
    assert _lamp(rule, planned=100, reported=None) == "green"


@pytest.mark.parametrize("silent_days, lit", [(29, False), (30, True)])
def test_silent_days_default_to_thirty(silent_days, lit):
    """Rule: 长期未报送 lights after `days` (default 30) days without a submission."""
    rule = [_rule("silent_days", "yellow")]
    assert (_lamp(rule, silent_since=TODAY - datetime.timedelta(days=silent_days)) == "yellow") is lit
    assert _lamp(rule, silent_since=None) == "green"
    assert (
        _lamp([_rule("silent_days", "yellow", days=10)], silent_since=TODAY - datetime.timedelta(days=10)) == "yellow"
    )


def test_every_reason_that_fires_is_kept_in_rule_order():
    """Rule: the lamp keeps the label of each rule that fires."""
    rules = [_rule("silent_days", "yellow"), _rule("overdue", "red"), _rule("due_within_days", "blue")]
    colour, reasons = evaluate_lamp(
        rules=rules,
        today=TODAY,
        status="draft",
        due_on=TODAY - datetime.timedelta(days=1),
        reported=None,
        planned=0,
        silent_since=TODAY - datetime.timedelta(days=40),
    )
    assert colour == "red" and reasons == ["silent_days:yellow", "overdue:red"]


@pytest.mark.django_db
def test_the_plan_on_a_day_sums_the_weights_of_the_milestones_due_by_then():
    """Rule: planned % of a task on a date = the weights of its milestones due on or before it."""
    milestones = list(TaskMilestone.objects.order_by("due_on", "pk"))
    first = milestones[0]
    task_total = sum(m.weight for m in milestones if m.task_id == first.task_id and m.due_on <= first.due_on)
    assert planned_percentages(first.due_on)[first.task_id] == task_total
    before = planned_percentages(first.due_on - datetime.timedelta(days=1))
    assert before.get(first.task_id, 0) == task_total - sum(
        m.weight for m in milestones if m.task_id == first.task_id and m.due_on == first.due_on
    )


@pytest.mark.django_db
def test_the_refresh_changes_only_the_given_reports_and_stamps_the_time_of_a_new_colour():
    """Rule: lamps_refresh writes colour, reasons and since of the reports whose lamp changed."""
    today = timezone.localdate()
    late = open_cycle(due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5))
    other = open_cycle(
        due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5), label="另一期次"
    )
    report = report_of(late)
    assert services.lamps_refresh(report_ids=[report.pk]) == 1
    report.refresh_from_db()
    assert report.lamp == "red" and report.lamp_since is not None
    assert report_of(other).lamp == "green"  # not asked for
    assert services.lamps_refresh(cycle_ids=[other.pk]) == UnitReport.objects.filter(cycle=other).count()
    assert services.lamps_refresh(report_ids=[report.pk]) == 0


def test_a_rule_of_another_kind_never_judges_the_plan():
    """Rule: only a 落后序时进度 rule compares planned and reported progress."""
    assert _lamp([_rule("silent_days", "yellow")], planned=100, reported=0) == "green"
    assert (
        _lamp([_rule("due_within_days", "blue")], planned=100, reported=0, due_on=TODAY + datetime.timedelta(days=20))
        == "green"
    )


@pytest.mark.django_db
def test_the_refresh_judges_the_day_given_leaves_closed_cycles_and_skips_inactive_rules():
    """Rule: lamps_refresh applies the active rules, on the day it is given, to open cycles only."""
    today = timezone.localdate()
    upcoming = open_cycle(due_on=today + datetime.timedelta(days=20))
    report = report_of(upcoming)
    services.lamps_refresh(today=today + datetime.timedelta(days=21), report_ids=[report.pk])
    report.refresh_from_db()
    assert report.lamp == "red"  # overdue on the day given

    closed = open_cycle(
        due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5), label="已关闭期次"
    )
    closed.status = "closed"
    closed.save()
    services.lamps_refresh()
    assert report_of(closed).lamp == "green"  # a closed cycle's lamps stay as they were

    late = open_cycle(
        due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5), label="逾期期次"
    )
    LampRule.objects.filter(kind="overdue").update(active=False)
    services.lamps_refresh()
    assert "逾期未报送" not in report_of(late).lamp_reasons


@pytest.mark.django_db
def test_the_refresh_reads_the_latest_submitted_percentage_of_each_report():
    """Rule: behind plan compares the plan with the report's own latest submitted percentage."""
    from tests.factories.steering import unit_reporter

    today = timezone.localdate()
    cycle = open_cycle(due_on=today + datetime.timedelta(days=20))
    report = report_of(cycle)
    TaskMilestone.objects.filter(task=report.task).update(due_on=today - datetime.timedelta(days=1))
    services.report_submit(actor=unit_reporter(), report=report, narrative="进展。", percentage=10)
    report.refresh_from_db()
    assert report.lamp == "red" and any("落后" in reason for reason in report.lamp_reasons)
    other = UnitReport.objects.filter(cycle=cycle).exclude(pk=report.pk).first()
    services.lamps_refresh(report_ids=[other.pk])
    other.refresh_from_db()
    assert not any("落后" in reason for reason in other.lamp_reasons)  # nothing submitted: no verdict


@pytest.mark.django_db
def test_new_reasons_of_the_same_colour_are_written_without_a_new_since():
    """Rule: a lamp is rewritten when its colour or its reasons change; since moves with the colour."""
    today = timezone.localdate()
    cycle = open_cycle(due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5))
    report = report_of(cycle)
    services.lamps_refresh(report_ids=[report.pk])
    report.refresh_from_db()
    since = report.lamp_since
    UnitReport.objects.filter(pk=report.pk).update(lamp_reasons=["旧的原因"])
    assert services.lamps_refresh(report_ids=[report.pk]) == 1
    report.refresh_from_db()
    assert report.lamp_reasons == ["逾期未报送"] and report.lamp_since == since
