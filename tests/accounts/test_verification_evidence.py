"""Files an organisation gives for its verification: uploaded by its admin before verification,
served only to its admins and operators, shown on the operator's review page. And the members'
messages about the verdict, kept as messages that each reader sees in their own language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.models import VerificationEvidence
from core.errors import PermissionDenied
from core.models import AuditRecord, Notification
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def pending():
    return OrganisationFactory(verification_status="pending", name="宁波待认证科技有限公司")


@pytest.fixture
def admin(pending):
    return UserFactory(organisation=pending, roles=["company"], is_organisation_admin=True)


def _upload(client, name="营业执照.jpg", content=JPG):
    return client.post(
        reverse("accounts:verification-evidence-upload"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_the_admin_uploads_a_licence_and_the_operator_downloads_it_from_the_review_page(
    client, pending, admin, operator
):
    client.force_login(admin)
    page = _upload(client).content.decode()
    evidence = VerificationEvidence.objects.get()
    assert "认证材料已上传" in page and "营业执照.jpg" in page and evidence.kind == "jpg"
    assert evidence.file.name.startswith("private/verification_evidence/")
    assert AuditRecord.objects.filter(action="organisation.evidence_upload", object_id=str(pending.pk)).exists()
    client.force_login(operator)
    url = reverse("accounts:verification-evidence", args=[evidence.pk])
    review = client.get(reverse("accounts:operator-organisation-detail", args=[pending.pk])).content.decode()
    assert url in review
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPG


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.xlsx", b"PK\x03\x04" + b"\x00" * 40, "不支持的文件类型"),
        ("营业执照.jpg", PDF, "内容与扩展名不符"),
        ("营业执照.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
    ],
)
def test_a_refused_file_says_why_and_stores_nothing(client, admin, name, content, message):
    client.force_login(admin)
    assert message in _upload(client, name=name, content=content).content.decode()
    assert not VerificationEvidence.objects.exists()


def test_the_file_is_for_the_organisations_admins_and_operators_only(client, pending, admin):
    evidence = services.verification_evidence_upload(actor=admin, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("accounts:verification-evidence", args=[evidence.pk])
    other_admin = UserFactory(organisation=OrganisationFactory(), roles=["company"], is_organisation_admin=True)
    plain_member = UserFactory(organisation=pending, roles=["company"])
    for outsider in (other_admin, plain_member):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(reverse("accounts:verification-evidence-remove", args=[evidence.pk])).status_code == 404
    client.force_login(plain_member)
    assert _upload(client).status_code == 404
    with pytest.raises(PermissionDenied):
        services.verification_evidence_upload(actor=plain_member, uploaded_file=SimpleUploadedFile("b.pdf", PDF))
    assert VerificationEvidence.objects.count() == 1


def test_a_verified_organisation_gives_no_more_files(client, company_member):
    client.force_login(company_member)
    assert _upload(client).status_code == 404
    assert not VerificationEvidence.objects.exists()


def test_the_verdicts_reach_the_members_in_their_own_language(pending, admin, operator):
    services.organisation_reject(actor=operator, organisation=pending, reason="营业执照不清晰")
    services.organisation_request_reverification(actor=admin)
    services.organisation_verify(actor=operator, organisation=pending)
    rejected, verified = Notification.objects.filter(recipient=admin).order_by("id")
    assert rejected.title_message == {"text": "%(name)s 的机构认证未通过", "params": {"name": pending.name}}
    assert rejected.body_message == {"text": "原因：%(reason)s", "params": {"reason": "营业执照不清晰"}}
    assert verified.title_message == {"text": "%(name)s 已通过机构认证", "params": {"name": pending.name}}
    assert verified.body_message == {"text": "贵机构已通过认证，可以参加场景大赛等活动。", "params": {}}
