"""Closing an evaluation round queues its report (evaluation.round_report), built by a real worker."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import services
from tests.evaluation.conftest_results import add_subject, make_round, submit_sheet
from tests.factories.accounts import operator_user
from tests.workers.test_job_through_worker import _wait_until_finished

pytestmark = pytest.mark.worker


def test_round_close_report_is_built_by_the_worker_with_progress_per_subject(celery_worker, client):
    round_, subject, team = make_round(experts=3)
    other = add_subject(round_, "宁波北仑港区调度")
    for item, points in ((subject, 9.5), (other, 7)):
        for expert in team:
            submit_sheet(item, expert, points)
    operator = operator_user()
    services.round_close(actor=operator, round=round_)  # commits: the job goes to the worker

    round_.refresh_from_db()
    job = _wait_until_finished(round_.report_job_id)
    assert job.state == "succeeded", job.error
    assert job.progress == 100 and job.result_name.startswith(f"evaluation-report-{round_.pk}-")
    client.force_login(operator)
    download = client.get(reverse("evaluation:report-download", args=[round_.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["汇总", "1-智慧港口调度场景", "2-宁波北仑港区调度", "问题清单"]
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert [row[:3] for row in rows[1:]] == [("智慧港口调度场景", 95, "优"), ("宁波北仑港区调度", 70, "中")]
