import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import services as core_services
from core.errors import DomainError, PermissionDenied
from core.jobs import register_job
from core.models import AuditRecord, Job
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _read_xlsx(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_operator_exports_organisations_and_downloads_the_workbook(
    client, operator, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="宁波测试甲公司", kind="company")
    OrganisationFactory(name='=HYPERLINK("http://evil")', kind="company")
    OrganisationFactory(name="宁波某协会", kind="association")
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:operator-organisation-export"), {"kind": "company"})
    job = Job.objects.get()
    assert response.url == reverse("core:job-detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "succeeded" and job.progress == 100 and job.params == {"kind": "company"}

    page = client.get(response.url).content.decode()
    assert "已完成" in page and 'aria-valuenow="100"' in page and "下载结果" in page

    rows = _read_xlsx(client.get(reverse("core:job-download", args=[job.pk])))
    assert rows[0][:3] == ("机构名称", "统一社会信用代码", "机构类型")
    names = {row[0] for row in rows[1:]}
    assert "宁波测试甲公司" in names and "宁波某协会" not in names
    # A name that looks like a formula is written as text, never evaluated by Excel.
    assert '\'=HYPERLINK("http://evil")' in names
    assert AuditRecord.objects.filter(action="job.download", object_id=str(job.pk)).exists()


def test_job_pages_are_private_to_the_requester(client, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = core_services.job_create(actor=operator, kind="accounts.organisation_directory")
    other_operator = UserFactory(organisation=operator.organisation, roles=["operator"])
    client.force_login(other_operator)
    for name in ("core:job-detail", "core:job-status", "core:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_only_allowed_roles_start_an_export(company_member):
    with pytest.raises(PermissionDenied):
        core_services.job_create(actor=company_member, kind="accounts.organisation_directory")
    with pytest.raises(DomainError, match="未知的任务类型"):
        core_services.job_create(actor=company_member, kind="no.such.job")
    assert not Job.objects.exists()


def test_a_failing_job_records_its_error_and_tells_the_requester(client, operator, django_capture_on_commit_callbacks):
    @register_job("tests.failing", title="会失败的任务", may_start=lambda user: True)
    def failing(job, report):
        report(40, "处理中")
        raise DomainError("第 3 行数据有误")

    with django_capture_on_commit_callbacks(execute=True):
        job = core_services.job_create(actor=operator, kind="tests.failing")
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "第 3 行数据有误"
    client.force_login(operator)
    status = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert "第 3 行数据有误" in status and "hx-get" not in status  # finished: the page stops polling
    assert operator.notifications.filter(title__contains="任务失败").exists()


def test_a_finished_job_is_not_run_twice(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = core_services.job_create(actor=operator, kind="accounts.organisation_directory")
    job.refresh_from_db()
    finished_at = job.finished_at
    core_services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert AuditRecord.objects.filter(action="job.succeed").count() == 1


def test_running_job_page_polls_for_progress(client, operator):
    job = Job.objects.create(
        kind="accounts.organisation_directory",
        title="机构名录导出",
        requested_by=operator,
        state="running",
        progress=40,
        progress_message="已写入 200 / 500",
    )
    client.force_login(operator)
    page = client.get(reverse("core:job-detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "40%" in page and "已写入 200 / 500" in page
