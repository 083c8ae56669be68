"""Lamps (亮灯) from rules held as data, reminders at most once a day, and the 督办单 flow."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from steering import services
from steering.models import LampRule, TaskMilestone, UnitReport
from steering.services.programme import evaluate_lamp
from steering.tasks import lamps_refresh_task, report_reminders_task
from tests.factories.steering import open_cycle, report_of, unit_reporter

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _lamp(**kwargs):
    arguments = {
        "rules": list(LampRule.objects.filter(active=True)),
        "today": TODAY,
        "status": "not_started",
        "due_on": TODAY + datetime.timedelta(days=10),
        "reported": None,
        "planned": 0,
        "silent_since": TODAY,
    }
    return evaluate_lamp(**{**arguments, **kwargs})


def test_nothing_due_and_on_plan_is_green():
    assert _lamp() == ("green", [])


@pytest.mark.parametrize(("days_left", "colour"), [(4, "green"), (3, "blue"), (0, "blue")])
def test_due_within_three_days_is_blue(days_left, colour):
    assert _lamp(due_on=TODAY + datetime.timedelta(days=days_left))[0] == colour


def test_a_submitted_report_is_not_due_anymore():
    assert _lamp(status="submitted", due_on=TODAY)[0] == "green"


@pytest.mark.parametrize(
    ("planned", "reported", "colour"), [(50, 41, "green"), (50, 40, "yellow"), (50, 20, "yellow"), (50, 19, "red")]
)
def test_behind_plan_10_to_30_points_is_yellow_more_is_red(planned, reported, colour):
    assert _lamp(status="accepted", planned=planned, reported=reported)[0] == colour


def test_overdue_is_red():
    colour, reasons = _lamp(due_on=TODAY - datetime.timedelta(days=1))
    assert colour == "red" and reasons == ["逾期未报送"]


def test_silent_for_30_days_is_yellow():
    assert _lamp(silent_since=TODAY - datetime.timedelta(days=29))[0] == "green"
    assert _lamp(silent_since=TODAY - datetime.timedelta(days=30)) == ("yellow", ["连续30天未报送"])


def test_worst_colour_wins_and_every_reason_is_kept():
    colour, reasons = _lamp(due_on=TODAY + datetime.timedelta(days=2), silent_since=TODAY - datetime.timedelta(days=45))
    assert colour == "yellow" and reasons == ["临期提示：距截止不足3天", "连续30天未报送"]


def test_a_rule_switched_off_no_longer_lights():
    LampRule.objects.filter(kind="overdue").update(active=False)
    assert _lamp(due_on=TODAY - datetime.timedelta(days=1))[0] == "green"


def test_a_report_not_filed_by_its_due_date_is_red_after_the_hourly_job():
    today = timezone.localdate()
    cycle = open_cycle(due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5))
    report = report_of(cycle)
    assert report.lamp == "green"
    changed = lamps_refresh_task()
    report.refresh_from_db()
    assert changed >= 1 and report.lamp == "red" and "逾期未报送" in report.lamp_reasons
    assert report.lamp_since is not None
    assert lamps_refresh_task() == 0  # nothing changed since


def test_submitting_clears_the_overdue_lamp_at_once():
    today = timezone.localdate()
    cycle = open_cycle(due_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=5))
    report = report_of(cycle)
    services.lamps_refresh()
    TaskMilestone.objects.filter(task=report.task).update(due_on=today + datetime.timedelta(days=300))
    services.report_submit(
        actor=unit_reporter(), report=report, narrative="迟报：已完成国企场景清单征集。", percentage=10
    )
    report.refresh_from_db()
    assert report.lamp == "green"


def test_reminders_before_and_after_the_due_date_at_most_once_a_day():
    today = timezone.localdate()
    reporter = unit_reporter()
    soon = open_cycle(due_on=today + datetime.timedelta(days=3), label="临期期次")
    late = open_cycle(due_on=today - datetime.timedelta(days=1), label="逾期期次")
    quiet = open_cycle(due_on=today + datetime.timedelta(days=2), label="无提醒期次")
    assert report_reminders_task() > 0
    titles = list(Notification.objects.filter(recipient=reporter).values_list("title", flat=True))
    tasks_of_unit = UnitReport.objects.filter(
        cycle=soon, unit__short_name="市国资委"
    ).count()  # lead 1, support 3 and 4
    assert tasks_of_unit == 3
    assert sum(t.startswith("提醒") and "临期期次" in t for t in titles) == tasks_of_unit
    assert sum(t.startswith("逾期") and "逾期期次" in t for t in titles) == tasks_of_unit
    assert not any("无提醒期次" in t for t in titles)
    assert report_of(soon).last_reminded_on == today and report_of(late).last_reminded_on == today
    assert report_of(quiet).last_reminded_on is None
    count = Notification.objects.count()
    assert report_reminders_task() == 0
    assert Notification.objects.count() == count


def test_no_reminder_for_a_submitted_report():
    today = timezone.localdate()
    reporter = unit_reporter()
    cycle = open_cycle(due_on=today + datetime.timedelta(days=1))
    services.report_submit(actor=reporter, report=report_of(cycle), narrative="已完成。", percentage=50)
    report_reminders_task()
    assert report_of(cycle).last_reminded_on is None


def _red_report():
    today = timezone.localdate()
    cycle = open_cycle(due_on=today - datetime.timedelta(days=3), opens_on=today - datetime.timedelta(days=20))
    services.lamps_refresh()
    return report_of(cycle)


def test_supervision_notice_issue_answer_close(operator):
    reporter = unit_reporter()
    report = _red_report()
    due = timezone.localdate() + datetime.timedelta(days=5)
    notice = services.notice_issue(
        actor=operator, report=report, reason="本月进展逾期未报，请说明原因。", response_due_on=due
    )
    assert Notification.objects.filter(recipient=reporter, title__startswith="督办单").exists()
    with pytest.raises(DomainError, match="未办结"):
        services.notice_issue(actor=operator, report=report, reason="重复", response_due_on=due)
    with pytest.raises(DomainError, match="答复后"):
        services.notice_close(actor=operator, notice=notice)
    with pytest.raises(PermissionDenied):
        services.notice_answer(actor=unit_reporter("市教育局"), notice=notice, response="不是我们")
    services.notice_answer(actor=reporter, notice=notice, response="因系统切换延误，已于今日补报。")
    services.notice_close(actor=operator, notice=notice, note="已补报，办结。")
    notice.refresh_from_db()
    assert notice.status == "closed" and notice.response.startswith("因系统切换")
    actions = set(AuditRecord.objects.filter(object_type="steering.supervisionnotice").values_list("action", flat=True))
    assert actions == {"steering.notice.issue", "steering.notice.answer", "steering.notice.close"}


def test_notice_only_on_a_red_report(operator):
    cycle = open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=20))
    with pytest.raises(DomainError, match="红灯"):
        services.notice_issue(
            actor=operator, report=report_of(cycle), reason="催办", response_due_on=timezone.localdate()
        )
    assert not UnitReport.objects.filter(lamp="red").exists()


def test_an_operator_widens_the_due_soon_warning_and_the_open_cycles_relight_at_once(operator):
    today = timezone.localdate()
    cycle = open_cycle(due_on=today + datetime.timedelta(days=5), opens_on=today - datetime.timedelta(days=5))
    services.lamps_refresh()
    assert report_of(cycle).lamp == "green"  # 5 days left: not yet within the default 3
    rule = LampRule.objects.get(kind="due_within_days")

    services.lamp_rule_update(actor=operator, rule=rule, active=True, days=7)

    report = report_of(cycle)
    assert report.lamp == "blue" and report.lamp_reasons == [
        "临期提示：距截止不足7天"
    ]  # the words follow the threshold
    record = AuditRecord.objects.get(action="steering.lamp_rule.update")
    assert record.before["parameters"]["days"] == 3 and record.after["parameters"]["days"] == 7


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("due_within_days", {"days": 0}, "天数"),
        ("due_within_days", {"days": "三"}, "天数"),
        ("behind_plan_points", {"min_points": 40, "max_points": 20}, "上限不能小于下限"),
        ("behind_plan_points", {"min_points": 101}, "落后下限"),
    ],
)
def test_a_lamp_rule_refuses_thresholds_out_of_range_and_changes_nothing(operator, kind, values, message):
    rule = LampRule.objects.filter(kind=kind).first()
    before = dict(rule.parameters)
    with pytest.raises(DomainError, match=message):
        services.lamp_rule_update(actor=operator, rule=rule, active=True, **values)
    rule.refresh_from_db()
    assert rule.parameters == before


def test_only_operators_change_lamp_rules(reference_data):
    rule = LampRule.objects.get(kind="silent_days")
    with pytest.raises(PermissionDenied):
        services.lamp_rule_update(actor=unit_reporter(), rule=rule, active=False, days=30)
