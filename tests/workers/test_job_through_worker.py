import io
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from tests.factories.accounts import OrganisationFactory, UserFactory, government

pytestmark = pytest.mark.worker


def _wait_until_finished(job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish in {seconds} s (state {job.state}, {job.progress}%)")


def test_export_job_runs_in_a_real_worker_and_its_result_is_on_the_job_page(celery_worker, client):
    operator = UserFactory(organisation=government(), roles=["operator"])
    for number in range(1200):  # enough rows for the worker to report progress part-way
        OrganisationFactory(name=f"宁波工人测试企业{number:04d}")
    client.force_login(operator)

    response = client.post(reverse("accounts:operator-organisation-export"), {})
    job_id = Job.objects.get().pk
    assert response.url == reverse("core:job-detail", args=[job_id])
    # Nothing ran in this process: the job waits for the worker.
    seen_states = {Job.objects.get(pk=job_id).state}
    seen_progress = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(reverse("core:job-status", args=[job_id]))
        job = status.context["job"]
        seen_states.add(job.state)
        seen_progress.add(job.progress)
        if job.is_finished:
            break
        time.sleep(0.05)
    job = _wait_until_finished(job_id)
    assert job.state == "succeeded", job.error
    assert "pending" in seen_states or "running" in seen_states
    assert 100 in seen_progress

    page = client.get(reverse("core:job-detail", args=[job_id])).content.decode()
    assert 'aria-valuenow="100"' in page and "下载结果" in page
    download = client.get(reverse("core:job-download", args=[job_id]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + 1200 + 1  # header, the companies, the operator's bureau
    assert any(row[0] == "宁波工人测试企业0000" for row in rows)
