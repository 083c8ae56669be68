"""Programme tasks and 定期调度: cycles, filing, frozen versions and the operator's decision."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from steering import services
from steering.choices import ReportStatus
from steering.models import ProgrammeTask, ReportingCycle, TaskMilestone, TaskUnit, UnitReport
from tests.factories.steering import city_leader, open_cycle, report_of, unit_reporter

pytestmark = pytest.mark.django_db

NARRATIVE = "市属国企已报送首批创新场景清单 32 项，其中轨道建设 9 项、环境卫生 6 项。\n下一步组织论证。"


@pytest.fixture
def cycle():
    return open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=10))


@pytest.fixture
def reporter():
    return unit_reporter("市国资委", display_name="国资委规划发展处 王晓梅")


def test_seeded_programme_names_the_policy_units():
    task5 = ProgrammeTask.objects.get(code=5)
    leads = set(task5.task_units.filter(role="lead").values_list("unit__short_name", flat=True))
    assert "市科技局" in leads and "高新区管委会" in leads and "海曙区政府" in leads
    assert set(task5.task_units.filter(role="support").values_list("unit__short_name", flat=True)) == {
        "市发改委",
        "市经信局",
    }
    task1 = ProgrammeTask.objects.get(code=1)
    assert list(task1.task_units.filter(role="lead").values_list("unit__short_name", flat=True)) == ["市国资委"]
    assert task1.task_units.filter(role="support").count() == 11
    for task in ProgrammeTask.objects.all():
        assert sum(task.milestones.values_list("weight", flat=True)) == 100


def test_monthly_cycle_opens_once_with_one_report_per_task_and_unit():
    cycle, created = services.cycle_open_monthly(today=datetime.date(2026, 11, 1))
    again, created_again = services.cycle_open_monthly(today=datetime.date(2026, 11, 1))
    assert created and not created_again and again.pk == cycle.pk
    assert cycle.label == "2026年11月" and cycle.due_on == datetime.date(2026, 11, 25)
    assert ReportingCycle.objects.filter(kind="monthly").count() == 1
    assert UnitReport.objects.filter(cycle=cycle).count() == TaskUnit.objects.count()


def test_monthly_due_day_past_month_end_falls_on_the_last_day():
    from steering.models import ReportingSettings

    ReportingSettings.objects.filter(pk=1).update(monthly_due_day=31)
    cycle, _ = services.cycle_open_monthly(today=datetime.date(2027, 2, 1))
    assert cycle.due_on == datetime.date(2027, 2, 28)


def test_draft_then_submit_freezes_a_version(cycle, reporter):
    report = report_of(cycle)
    services.report_save_draft(actor=reporter, report=report, narrative=NARRATIVE, percentage="35")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.percentage == 35
    version = services.report_submit(actor=reporter, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and version.number == 1
    assert version.narrative == NARRATIVE and version.percentage == 35
    assert AuditRecord.objects.filter(action="steering.report.submit", object_id=str(report.pk)).exists()
    with pytest.raises(DomainError, match="待退回后才能修改"):
        services.report_save_draft(actor=reporter, report=report, narrative="改动", percentage=40)


def test_submit_without_percentage_is_refused(cycle, reporter):
    with pytest.raises(DomainError, match="完成百分比"):
        services.report_submit(actor=reporter, report=report_of(cycle), narrative=NARRATIVE)


@pytest.mark.parametrize("bad", ["101", "-1", "三十", "9999999999999999999"])
def test_percentage_outside_0_100_is_refused(cycle, reporter, bad):
    with pytest.raises(DomainError, match="0到100"):
        services.report_save_draft(actor=reporter, report=report_of(cycle), narrative=NARRATIVE, percentage=bad)


def test_return_needs_a_reason_and_refile_makes_version_two_then_accept(cycle, reporter, operator):
    report = report_of(cycle)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
    with pytest.raises(DomainError, match="退回须填写理由"):
        services.report_return(actor=operator, report=report, reason="   ")
    services.report_return(actor=operator, report=report, reason="请补充重大工程示范应用的项目清单")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notification.objects.filter(recipient=reporter, title__contains="被退回").exists()
    version2 = services.report_submit(
        actor=reporter, report=report, narrative=NARRATIVE + "\n附：重大工程示范应用项目清单", percentage=40
    )
    assert version2.number == 2
    services.report_accept(actor=operator, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    first, second = report.versions.order_by("number")
    assert first.decision == "returned" and first.decision_reason == "请补充重大工程示范应用的项目清单"
    assert second.decision == "accepted" and first.narrative == NARRATIVE


def test_only_operators_decide_and_only_the_unit_files(cycle, reporter):
    report = report_of(cycle)
    other_unit = unit_reporter("市教育局")
    with pytest.raises(PermissionDenied):
        services.report_save_draft(actor=other_unit, report=report, narrative="越权", percentage=1)
    with pytest.raises(PermissionDenied):
        services.report_save_draft(actor=city_leader(), report=report, narrative="越权", percentage=1)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=reporter, report=report)


def test_a_closed_cycle_takes_no_more_filing(cycle, reporter, operator):
    services.cycle_close(actor=operator, cycle=cycle)
    with pytest.raises(DomainError, match="已关闭"):
        services.report_save_draft(actor=reporter, report=report_of(cycle), narrative=NARRATIVE, percentage=3)
    with pytest.raises(DomainError, match="已关闭"):
        services.cycle_close(actor=operator, cycle=cycle)


def test_attachments_are_frozen_with_the_version(cycle, reporter):
    report = report_of(cycle)
    pdf = SimpleUploadedFile("国企场景清单.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    attachment = services.report_attach(actor=reporter, report=report, uploaded_file=pdf)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=20)
    version = report.versions.get()
    assert list(version.attachments.all()) == [attachment]


def test_disguised_attachment_is_refused(cycle, reporter):
    fake = SimpleUploadedFile("清单.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="不符"):
        services.report_attach(actor=reporter, report=report_of(cycle), uploaded_file=fake)


def test_milestone_edit_is_audited_and_weights_cannot_pass_100(operator):
    task = ProgrammeTask.objects.get(code=2)
    milestone = task.milestones.order_by("due_on").first()
    services.milestone_update(
        actor=operator,
        milestone=milestone,
        title=milestone.title,
        due_on=milestone.due_on,
        weight=milestone.weight,
        done_on=datetime.date(2026, 3, 28),
        note="已印发征集通知",
    )
    record = AuditRecord.objects.get(action="steering.milestone.update")
    assert record.before["done_on"] is None and record.after["done_on"] == "2026-03-28"
    with pytest.raises(DomainError, match="不能超过 100"):
        services.milestone_add(actor=operator, task=task, title="新增节点", due_on=datetime.date(2027, 1, 1), weight=5)
    assert TaskMilestone.objects.filter(task=task).count() == 4


def test_ad_hoc_cycle_needs_dates_in_order(operator):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="截止日期不能早于"):
        services.cycle_open_ad_hoc(actor=operator, label="专项", opens_on=today, due_on=today - datetime.timedelta(1))
    cycle = services.cycle_open_ad_hoc(actor=operator, label="2026年第四季度专项调度", opens_on=today, due_on=today)
    assert cycle.reports.count() == TaskUnit.objects.count()
