"""Closing a monthly 定期调度 cycle freezes its data and queues the monthly report
(steering.monthly_report), built by a real worker with progress; an official downloads it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Job
from steering import services
from steering.models import DispatchReport, ReportingCycle
from tests.factories.accounts import operator_user
from tests.factories.steering import city_leader, report_of, unit_reporter
from tests.workers.test_job_through_worker import _wait_until_finished

pytestmark = pytest.mark.worker


def test_closing_a_month_builds_its_report_in_the_worker(celery_worker, client):
    operator = operator_user()
    reporter = unit_reporter("市国资委")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    cycle, _created = services.cycle_open_monthly(today=last_month)
    services.report_submit(
        actor=reporter,
        report=report_of(cycle),
        narrative="首批市属国企创新场景清单经专家论证后确定35项，已有22项通过门户发布。",
        percentage=58,
        problems="部分企业对考核加分口径仍有疑问。",
        next_steps="印发考核加分口径说明。",
    )
    services.cycle_close(actor=operator, cycle=ReportingCycle.objects.get(pk=cycle.pk))  # commits: to the worker

    frozen = DispatchReport.objects.get(cycle=cycle)
    job = _wait_until_finished(Job.objects.get(kind="steering.monthly_report").pk)
    assert job.state == "succeeded", job.error
    assert job.progress == 100
    assert frozen.data["month"] == last_month.strftime("%Y-%m")
    client.force_login(city_leader())
    download = client.get(reverse("steering:report-download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content) if download.streaming else download.content
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == [
        "封面与口径",
        "十百千目标",
        "六项任务",
        "报送情况",
        "逾期与督办",
        "包容期",
        "国企考核",
        "附表",
    ]
    tasks = [row for row in workbook["六项任务"].iter_rows(values_only=True) if row and row[0]]
    assert any("35项" in str(cell) for row in tasks for cell in row)
