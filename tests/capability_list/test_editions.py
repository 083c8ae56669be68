import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from capability_list.models import Credential, Edition
from capability_list.services import edition_publish
from core.errors import DomainError, PermissionDenied
from tests.factories.capability_list import EntryFactory, industry

pytestmark = pytest.mark.django_db


def test_operator_publishes_a_batch_as_a_workbook_with_a_sheet_per_industry(
    client, operator, django_capture_on_commit_callbacks
):
    software = EntryFactory(name="电子印章管理系统", status="listed", industry=industry("65"))
    Credential.objects.create(
        entry=software, kind="first_version", certificate_number="RJ-9", level="municipal", year=2024
    )
    EntryFactory(name="=1+1 注入测试", status="listed", industry=industry("39"))
    EntryFactory(name="未入库", status="submitted")
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("capability_list:edition-publish"))
    edition = Edition.objects.get()
    assert response.url == reverse("core:job-detail", args=[edition.job_id])
    edition.refresh_from_db()
    assert edition.state == "published" and edition.batch == 1 and edition.entries.count() == 2
    assert "第1批" in edition.title

    client.logout()
    assert edition.title in client.get(reverse("capability_list:editions")).content.decode()
    content = b"".join(client.get(reverse("capability_list:edition-download", args=[edition.pk])).streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert workbook.sheetnames == ["C 制造业", "I 信息传输、软件和信息技术服务业"]
    software_rows = list(workbook["I 信息传输、软件和信息技术服务业"].iter_rows(values_only=True))
    assert software_rows[1][4] == "电子印章管理系统" and "首版次" in software_rows[1][15]
    assert list(workbook["C 制造业"].iter_rows(values_only=True))[1][4] == "'=1+1 注入测试"

    # The next batch holds only what was listed since.
    with pytest.raises(DomainError, match="没有新入库的条目"):
        edition_publish(actor=operator)
    EntryFactory(name="新产品", status="listed")
    with django_capture_on_commit_callbacks(execute=True):
        second = edition_publish(actor=operator)
    assert second.batch == 2 and list(second.entries.values_list("name", flat=True)) == ["新产品"]


def test_only_operators_publish(company_member):
    EntryFactory(status="listed")
    with pytest.raises(PermissionDenied):
        edition_publish(actor=company_member)
    assert not Edition.objects.exists()
