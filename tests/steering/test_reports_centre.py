"""The reports centre: builds with progress and errors, re-running a failed build, the close hook,
downloads by role, hostile input, and the page's query count."""

import datetime

import pytest
from django.urls import reverse

from core.models import Job
from core.tasks import job_run_task
from steering import services
from steering.models import DispatchReport, ReportingCycle
from steering.services.programme import cycle_open_monthly
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.steering import city_leader, unit_reporter
from tests.steering.reports_world import operator

pytestmark = pytest.mark.django_db

CENTRE = reverse("steering:reports")


@pytest.fixture
def cycle(reference_data):
    return cycle_open_monthly(today=datetime.date(2026, 3, 1))[0]


def test_an_official_builds_a_month_and_downloads_it_with_progress_shown(
    client, cycle, django_capture_on_commit_callbacks
):
    leader = city_leader(display_name="分管副市长办公室 李明")
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CENTRE, {"action": "build", "month": "2026-03"})
    assert response.status_code == 302
    job = Job.objects.get(kind="steering.monthly_report")
    assert job.state == "succeeded" and job.progress == 100 and job.requested_by == leader
    page = client.get(CENTRE).content.decode()
    assert "月度调度报告（2026年3月）" in page and "分管副市长办公室 李明" in page and "100%" in page
    download = client.get(reverse("steering:report-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert not DispatchReport.objects.exists()  # the cycle is still open: nothing frozen


def test_progress_is_reported_while_the_job_runs(cycle, monkeypatch):
    from steering import report_workbook

    seen = []
    original = report_workbook.monthly_report_workbook

    def spy(**kwargs):
        kwargs["report"] = lambda percent, message="": seen.append((percent, message))
        return original(**kwargs)

    monkeypatch.setattr(report_workbook, "monthly_report_workbook", spy)
    job = Job.objects.create(
        kind="steering.monthly_report", title="x", params={"month": "2026-03"}, requested_by=operator()
    )
    from core.services.jobs import job_run

    job_run(job_id=job.pk)
    percents = [p for p, _m in seen]
    assert percents == sorted(percents) and percents[0] < 50 and percents[-1] == 95
    assert any("逾期与督办" in m for _p, m in seen)


def test_a_failed_build_shows_its_error_and_can_be_run_again(
    client, cycle, monkeypatch, django_capture_on_commit_callbacks
):
    staff = operator()
    client.force_login(staff)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("steering.report_workbook.monthly_report_workbook", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CENTRE, {"action": "build", "month": "2026-03"})
    failed = Job.objects.get(kind="steering.monthly_report")
    assert failed.state == "failed"
    page = client.get(CENTRE).content.decode()
    assert "任务执行出错" in page and 'data-testid="rerun"' in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CENTRE, {"action": "rerun", "job": failed.pk})
    assert response.status_code == 302
    again = Job.objects.filter(kind="steering.monthly_report").exclude(pk=failed.pk).get()
    assert again.state == "succeeded" and again.params == {"month": "2026-03"}
    # a succeeded build is not "run again"
    response = client.post(CENTRE, {"action": "rerun", "job": again.pk})
    assert response.status_code == 400 and "只有失败的生成任务可以重新运行" in response.content.decode()


def test_closing_a_monthly_cycle_freezes_it_and_queues_the_build(cycle, django_capture_on_commit_callbacks):
    staff = operator()
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(actor=staff, cycle=cycle)
    frozen = DispatchReport.objects.get(cycle=cycle)
    assert frozen.origin == "cycle_close" and frozen.frozen_by == staff and frozen.data["month"] == "2026-03"
    assert Job.objects.get(kind="steering.monthly_report").state == "succeeded"


def test_a_broken_queue_does_not_fail_the_close(cycle, monkeypatch, django_capture_on_commit_callbacks, client):
    staff = operator()

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(job_run_task, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(actor=staff, cycle=cycle)
    assert ReportingCycle.objects.get(pk=cycle.pk).status == "closed"
    job = Job.objects.get(kind="steering.monthly_report")
    assert job.state == "failed" and "未能进入队列" in job.error
    client.force_login(staff)
    assert "未能进入队列" in client.get(CENTRE).content.decode()


def test_a_broken_freeze_does_not_fail_the_close_and_the_next_build_freezes(
    cycle, monkeypatch, django_capture_on_commit_callbacks
):
    staff = operator()
    monkeypatch.setattr("steering.services.reports.monthly_report_data", lambda **kw: 1 / 0)
    services.cycle_close(actor=staff, cycle=cycle)
    assert ReportingCycle.objects.get(pk=cycle.pk).status == "closed" and not DispatchReport.objects.exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.monthly_report_request(actor=staff, month="2026-03")
    assert DispatchReport.objects.get().origin == "build"


@pytest.mark.parametrize("who", ["anonymous", "company", "publisher", "unit_reporter"])
def test_people_who_do_not_steer_get_404(client, cycle, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.monthly_report_request(actor=operator(), month="2026-03")
    if who == "unit_reporter":
        client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    elif who != "anonymous":
        client.force_login(UserFactory(organisation=OrganisationFactory(), roles=[who]))
    for url in (CENTRE, reverse("steering:report-download", args=[job.pk])):
        response = client.get(url)
        assert response.status_code in (302, 404) if who == "anonymous" else response.status_code == 404


def test_department_staff_read_the_centre_too(client, cycle):
    client.force_login(unit_reporter("市科技局"))
    assert client.get(CENTRE).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "build"},
        {"action": "build", "month": "2026-13"},
        {"action": "build", "month": "9999999999"},
        {"action": "build", "month": "2025-01"},
    ],
)
def test_hostile_build_requests_answer_400_in_chinese(client, cycle, data):
    client.force_login(operator())
    response = client.post(CENTRE, data)
    if not data:
        assert response.status_code == 404
        return
    assert response.status_code == 400
    assert "月" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("job", ["abc", "99999999999999999999", "-1", "1e5"])
def test_bad_ids_are_404(client, cycle, job):
    client.force_login(operator())
    assert client.post(CENTRE, {"action": "rerun", "job": job}).status_code == 404
    assert client.get(f"/steering/reports/{job}/download/").status_code == 404


def test_another_kinds_job_is_not_downloadable_here(client, cycle):
    staff = operator()
    other = Job.objects.create(kind="evaluation.round_report", title="评估报告", requested_by=staff)
    client.force_login(staff)
    assert client.get(reverse("steering:report-download", args=[other.pk])).status_code == 404


def _build(requested_by):
    return Job.objects.create(
        kind="steering.monthly_report",
        title="月度调度报告（2026年3月）",
        params={"month": "2026-03"},
        requested_by=requested_by,
    )


def test_the_centre_answers_in_a_fixed_number_of_queries(client, cycle, django_assert_num_queries):
    staff = operator()
    client.force_login(staff)
    for _ in range(3):
        _build(staff)
    client.get(CENTRE)  # warm the per-process caches (navigation, content types)
    with django_assert_num_queries(QUERIES):
        assert client.get(CENTRE).status_code == 200
    for _ in range(15):
        _build(UserFactory())
    with django_assert_num_queries(QUERIES):
        assert client.get(CENTRE).status_code == 200


# session, user (with their roles and unread-messages count), builds count, a page of builds with
# their requesters, the evaluation rounds that have a report, the monthly cycles.
QUERIES = 6
