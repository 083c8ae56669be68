"""定期调度 selectors other topics call (驾驶舱, monthly report): results and fixed query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from steering import selectors, services
from steering.models import ProgrammeTask, ReportingCycle, TaskUnit, UnitReport
from tests.conftest import TEST_PASSWORD
from tests.factories.steering import city_leader, open_cycle, report_of, unit_reporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cycles():
    today = timezone.localdate()
    past = open_cycle(
        due_on=today - datetime.timedelta(days=2), opens_on=today - datetime.timedelta(days=25), label="上期"
    )
    current = open_cycle(due_on=today + datetime.timedelta(days=10), label="本期")
    return past, current


def test_lamp_matrix_gives_the_worst_colour_and_counts_per_task_and_cycle(two_cycles, django_assert_num_queries):
    past, current = two_cycles
    services.lamps_refresh()
    report_of(current, task_code=2, unit="市科技局").__class__.objects.filter(
        pk=report_of(current, task_code=2, unit="市科技局").pk
    ).update(lamp="yellow")
    # 1 tasks, 2 counts by task × cycle × colour
    with django_assert_num_queries(2):
        matrix = selectors.lamp_matrix(cycles=[past, current])
    row1, row2 = matrix["rows"][0], matrix["rows"][1]
    assert row1["cells"][0]["colour"] == "red"  # past is overdue for every unit of task 一
    assert row1["cells"][0]["counts"] == {"red": TaskUnit.objects.filter(task__code=1).count()}
    assert row2["cells"][1]["colour"] == "yellow"
    assert row2["cells"][1]["counts"]["yellow"] == 1


def test_reporting_matrix_on_time_late_missing(two_cycles, operator, django_assert_num_queries):
    past, _current = two_cycles
    reporter = unit_reporter()
    services.report_submit(actor=reporter, report=report_of(past), narrative="补报。", percentage=10)
    # 1 tasks, 2 reports with their units and first submission
    with django_assert_num_queries(2):
        matrix = selectors.reporting_matrix(cycle=past)
    assert [t.code for t in matrix["tasks"]] == [1, 2, 3, 4, 5, 6]
    row = next(r for r in matrix["rows"] if r["unit"].short_name == "市国资委")
    assert row["cells"][0]["state"] == "late" and row["cells"][1] is None and row["cells"][2]["state"] == "missing"
    assert matrix["totals"]["late"] == 1
    assert matrix["totals"]["missing"] == TaskUnit.objects.count() - 1


def test_task_progress_by_milestones_and_by_lead_report(operator):
    task1 = ProgrammeTask.objects.get(code=1)
    on = datetime.date(2026, 7, 1)
    assert selectors.task_progress(task1, on=on) == {
        "actual": 0,
        "planned": 40,
        "behind": 40,
        "method": "milestones",
        "method_label": "按里程碑权重计算",
    }
    first = task1.milestones.order_by("due_on").first()
    services.milestone_update(
        actor=operator,
        milestone=first,
        title=first.title,
        due_on=first.due_on,
        weight=first.weight,
        done_on=datetime.date(2026, 3, 20),
    )
    assert selectors.task_progress(task1, on=on)["actual"] == 15
    task6 = ProgrammeTask.objects.get(code=6)
    cycle = open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=5))
    for unit, percentage in (("市经信局", 40), ("市科技局", 60)):
        report = report_of(cycle, task_code=6, unit=unit)
        services.report_submit(
            actor=unit_reporter(unit), report=report, narrative="联合体指引已发布。", percentage=percentage
        )
        services.report_accept(actor=operator, report=report)
    progress = selectors.task_progress(task6, on=timezone.localdate())
    assert progress["actual"] == 50 and progress["method_label"] == "按牵头单位最近一次已采纳报送"


def test_attention_reports_and_open_notices(two_cycles, operator, django_assert_num_queries):
    past, current = two_cycles
    services.lamps_refresh()
    notice = services.notice_issue(
        actor=operator, report=report_of(past), reason="逾期", response_due_on=timezone.localdate()
    )
    with django_assert_num_queries(1):
        attention = list(selectors.attention_reports(today=timezone.localdate()))
    assert {r.cycle_id for r in attention} == {past.pk}
    assert len(attention) == TaskUnit.objects.count()
    with django_assert_num_queries(1):
        notices = [(n.unit.short_name, n.report.task.code) for n in selectors.open_supervision_notices()]
    assert notices == [("市国资委", 1)]
    services.notice_answer(actor=unit_reporter(), notice=notice, response="已补报")
    services.notice_close(actor=operator, notice=notice)
    assert not selectors.open_supervision_notices().exists()


def test_reports_for_unit_user_puts_the_ones_to_file_first(two_cycles, django_assert_num_queries):
    past, current = two_cycles
    reporter = unit_reporter()
    services.report_submit(actor=reporter, report=report_of(past), narrative="已报。", percentage=10)
    reporter = type(reporter).objects.get(pk=reporter.pk)
    with django_assert_num_queries(3):  # the user's roles, their units, then the reports
        reports = list(selectors.reports_for_unit_user(reporter))
    assert {r.unit.short_name for r in reports} == {"市国资委"}
    assert reports[-1].pk == report_of(past).pk  # the filed one last
    assert reports[0].cycle_id == past.pk  # the overdue unfiled one first
    assert list(selectors.reports_for_unit_user(city_leader())) == []


def test_page_query_counts_do_not_grow_with_the_data(client, operator, django_assert_max_num_queries):
    client.login(username=operator.username, password=TEST_PASSWORD)
    today = timezone.localdate()
    open_cycle(due_on=today, label="一期")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("steering:programme-tasks"))
    for n in range(3):
        open_cycle(due_on=today + datetime.timedelta(days=n + 1), label=f"加期{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("steering:programme-tasks"))
    cycle = open_cycle(due_on=today, label="矩阵期")
    with django_assert_max_num_queries(20) as matrix_page:
        client.get(reverse("steering:programme-cycle", args=[cycle.pk]))
    assert UnitReport.objects.filter(cycle=cycle).count() > len(matrix_page.captured_queries)


def test_reports_for_unit_user_lists_closed_cycles_newest_first(reference_data):
    today = timezone.localdate()
    older = open_cycle(due_on=today - datetime.timedelta(days=70), label="前两期")
    newer = open_cycle(due_on=today - datetime.timedelta(days=40), label="上一期")
    ReportingCycle.objects.filter(pk__in=[older.pk, newer.pk]).update(status="closed")
    current = open_cycle(due_on=today + datetime.timedelta(days=10), label="本期")
    labels = [report.cycle.label for report in selectors.reports_for_unit_user(unit_reporter())]
    assert labels.index("本期") < labels.index("上一期") < labels.index("前两期")
    assert labels[0] == current.label
