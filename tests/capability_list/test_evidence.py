"""Evidence files of 三首 credentials: checked on upload, stored privately, served only to the
entry's managers and to operators, shown to the reviewer."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capability_list import services
from capability_list.models import CapabilityEntryRevision, Credential, CredentialEvidence
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def entry(company):
    entry = EntryFactory(company=company, status="submitted", name="高位视频车位检测终端")
    Credential.objects.create(entry=entry, kind="first_set", certificate_number="NB-1", level="municipal", year=2024)
    return entry


def _upload(client, entry, name="证书.pdf", content=PDF, certificate="first_set|NB-1"):
    return client.post(
        reverse("capability_list:evidence-upload", args=[entry.pk]),
        {"certificate": certificate, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_the_company_uploads_a_certificate_scan_stored_privately(client, entry, company_member):
    client.force_login(company_member)
    page = _upload(client, entry).content.decode()
    evidence = CredentialEvidence.objects.get()
    assert "证明材料已上传" in page and "证书.pdf" in page
    assert evidence.kind == "pdf" and evidence.certificate_number == "NB-1" and evidence.size == len(PDF)
    assert evidence.file.name.startswith("private/capability_evidence/") and "证书" not in evidence.file.name
    assert Path(settings.MEDIA_ROOT, evidence.file.name).read_bytes() == PDF
    assert settings.MEDIA_URL not in page  # never a public media address
    assert AuditRecord.objects.filter(action="capability.evidence_upload", object_id=str(entry.pk)).exists()
    download = client.get(reverse("capability_list:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证书.docx", b"PK\x03\x04" + b"\x00" * 40, "不支持的文件类型"),
        ("证书.exe", b"MZ" + b"\x00" * 40, "不支持的文件类型"),
        ("证书.png", PDF, "内容与扩展名不符"),
        ("证书.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
        ("证书.pdf", b"", "空文件"),  # Django's own FileField refusal
    ],
)
def test_a_refused_file_says_why_and_stores_nothing(client, entry, company_member, name, content, message):
    client.force_login(company_member)
    page = _upload(client, entry, name=name, content=content).content.decode()
    assert message in page
    assert not CredentialEvidence.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_evidence_only_for_a_certificate_of_the_entry(client, entry, company_member):
    client.force_login(company_member)
    _upload(client, entry, certificate="first_set|NB-404")
    assert not CredentialEvidence.objects.exists()
    with pytest.raises(DomainError, match="请选择本条目登记的三首认定证书"):
        services.credential_evidence_upload(
            actor=company_member,
            entry=entry,
            credential_kind="first_set",
            certificate_number="NB-404",
            uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        )


def test_evidence_for_a_certificate_of_the_change_waiting_for_review(entry, company_member):
    entry.status = "listed"
    entry.save()
    CapabilityEntryRevision.objects.create(
        entry=entry,
        created_by=company_member,
        credentials=[{"kind": "first_version", "certificate_number": "RJ-9", "level": "provincial", "year": 2025}],
    )
    evidence = services.credential_evidence_upload(
        actor=company_member,
        entry=entry,
        credential_kind="first_version",
        certificate_number="RJ-9",
        uploaded_file=SimpleUploadedFile("rj.png", PNG),
    )
    assert evidence.kind == "png"


def test_the_file_is_served_to_the_owner_and_operators_only(client, entry, company_member, operator):
    evidence = services.credential_evidence_upload(
        actor=company_member,
        entry=entry,
        credential_kind="first_set",
        certificate_number="NB-1",
        uploaded_file=SimpleUploadedFile("证书.pdf", PDF),
    )
    url = reverse("capability_list:evidence-download", args=[evidence.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    for outsider in (
        UserFactory(organisation=OrganisationFactory(), roles=["company"]),
        UserFactory(organisation=entry.company, roles=["publisher"]),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(reverse("capability_list:evidence-remove", args=[evidence.pk])).status_code == 404
        assert _upload(client, entry).status_code == 404
        with pytest.raises(PermissionDenied):
            services.credential_evidence_upload(
                actor=outsider,
                entry=entry,
                credential_kind="first_set",
                certificate_number="NB-1",
                uploaded_file=SimpleUploadedFile("x.pdf", PDF),
            )
    client.force_login(operator)
    assert client.get(url).status_code == 200
    queue = client.get(reverse("capability_list:review-queue")).content.decode()
    assert url in queue  # the reviewer downloads it from the review queue
    assert url in client.get(reverse("capability_list:detail", args=[entry.pk])).content.decode()
    assert CredentialEvidence.objects.count() == 1


def test_the_company_removes_a_file_given_by_mistake(client, entry, company_member):
    evidence = services.credential_evidence_upload(
        actor=company_member,
        entry=entry,
        credential_kind="first_set",
        certificate_number="NB-1",
        uploaded_file=SimpleUploadedFile("错的.pdf", PDF),
    )
    client.force_login(company_member)
    client.post(reverse("capability_list:evidence-remove", args=[evidence.pk]))
    assert not CredentialEvidence.objects.exists()
    assert AuditRecord.objects.filter(action="capability.evidence_remove").exists()
