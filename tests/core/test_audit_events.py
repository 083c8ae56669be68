"""What the audit trail records besides the services' own changes (#18): refusals for lack of
permission, every file sent (downloads and exports), password-reset requests, the auditor's own
reading of the log — and the client address, taken from a trusted proxy header only when one is
configured."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api.throttles import PortalAnonThrottle
from core.choices import AuditKind
from core.models import AuditRecord
from core.request_context import RequestOrigin, client_address, reset_origin, set_origin
from core.services import audit_record
from scenarios import services as scenario_services
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db


def _denials():
    return AuditRecord.objects.filter(action="access.denied")


# ---- refusals for lack of permission -----------------------------------------------------------


def test_a_page_of_another_role_answers_404_and_the_attempt_is_recorded(client, company_member):
    client.force_login(company_member)
    response = client.get(reverse("accounts:audit-log"), {"actor": "张"}, REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 404
    denial = _denials().get()
    assert denial.actor == company_member and denial.kind == AuditKind.DENIAL
    assert denial.ip_address == "10.3.3.3"
    assert denial.after == {"what": "accounts:audit-log", "method": "GET", "path": "/audit/"}


def test_an_id_that_does_not_exist_is_a_plain_404_and_no_denial(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("accounts:audit-detail", args=[987654])).status_code == 404
    assert not _denials().exists()


def test_a_visitor_not_signed_in_is_not_recorded(client):
    client.get(reverse("accounts:audit-log"))  # sent to sign in
    assert not _denials().exists()


def test_a_403_raised_by_django_itself_is_recorded_too(company_member):
    from django.core.exceptions import PermissionDenied

    from core.middleware import AuditTrailMiddleware

    request = RequestFactory().get("/somewhere/")
    request.user = company_member
    assert AuditTrailMiddleware(lambda request: None).process_exception(request, PermissionDenied()) is None
    assert _denials().get().after["what"] == "/somewhere/"


def test_an_api_permission_refusal_is_recorded_with_the_endpoint(company_member):
    api = APIClient()
    api.force_authenticate(company_member)
    response = api.get("/api/v1/audit-records/")
    assert response.status_code in (403, 404)
    denial = _denials().get()
    assert denial.actor == company_member and denial.after["what"] == "AuditRecordViewSet.list"
    assert denial.after["path"] == "/api/v1/audit-records/"


def test_a_service_refusing_for_lack_of_permission_is_recorded_and_its_change_is_not_kept(client, reference_data):
    publisher = publisher_user()
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher, status="published")
    client.force_login(publisher)
    client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test")},
    )
    assert not scenario.attachments.exists()
    denial = _denials().get()
    assert denial.actor == publisher and denial.after["what"] == "scenario_attachment_add"
    assert "发榜单位才能上传附件" in denial.reason


# ---- files sent --------------------------------------------------------------------------------


def test_a_stored_file_sent_is_recorded_as_a_download(client, reference_data):
    publisher = publisher_user()
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    attachment = scenario_services.scenario_attachment_add(
        actor=publisher, scenario=scenario, uploaded_file=SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 test")
    )
    client.force_login(publisher)
    response = client.get(reverse("scenarios:attachment-download", args=[scenario.pk, attachment.pk]))
    assert response.status_code == 200
    download = AuditRecord.objects.get(action="file.download")
    assert download.kind == AuditKind.DOWNLOAD and download.actor == publisher
    assert download.object_label == "实施方案.pdf"
    assert download.after["what"] == "scenarios:attachment-download"


def test_a_workbook_built_for_the_request_is_recorded_as_an_export_with_its_filters(client, reference_data):
    ScenarioFactory(status="published", title="智慧停车")
    person = UserFactory(roles=["company"])
    client.force_login(person)
    response = client.get(reverse("scenarios:export"), {"q": "停车"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    export = AuditRecord.objects.get(action="data.export")
    assert export.kind == AuditKind.EXPORT and export.actor == person
    assert export.object_label == "scenarios.xlsx" and export.after["query"] == {"q": "停车"}


def test_an_anonymous_download_is_recorded_as_a_visitor(client):
    assert client.get(reverse("capability_list:import-template")).status_code == 200
    export = AuditRecord.objects.get(action="data.export")
    assert export.actor is None and export.actor_label == "访客"


def test_a_view_that_records_its_own_download_is_not_recorded_twice(
    client, operator, django_capture_on_commit_callbacks
):
    from core.services import job_create

    with django_capture_on_commit_callbacks(execute=True):  # the job runs once its request commits
        job = job_create(actor=operator, kind="accounts.organisation_directory", params={})
    job.refresh_from_db()
    assert job.result_file
    client.force_login(operator)
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 200
    assert AuditRecord.objects.filter(kind__in=[AuditKind.DOWNLOAD, AuditKind.EXPORT]).count() == 1
    assert AuditRecord.objects.get(kind=AuditKind.EXPORT).action == "job.download"


# ---- password reset ------------------------------------------------------------------------------


def test_a_password_reset_request_is_recorded_for_the_account_and_nothing_for_an_unknown_address(client):
    person = UserFactory(roles=["company"])
    client.post(reverse("accounts:password_reset"), {"email": person.email}, REMOTE_ADDR="10.4.4.4")
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    request = AuditRecord.objects.get(action="auth.password_reset_request")
    assert request.object_id == str(person.pk) and request.actor_label == "访客"
    assert request.ip_address == "10.4.4.4" and request.kind == AuditKind.SIGN_IN


# ---- the auditor's own reading -----------------------------------------------------------------


@pytest.fixture
def some_records(operator):
    audit_record(actor=operator, action="award.decide", after={"amount": "500000.00"})
    audit_record(actor=operator, action="access.denied", after={"what": "x"})
    audit_record(actor=operator, action="scenario.update")


def test_the_auditor_filters_by_kind_and_the_search_is_recorded(client, auditor, some_records):
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log"), {"kind": "scoring"}).content.decode()
    assert "award.decide" in page and "scenario.update" not in page and "audit.search" not in page
    search = AuditRecord.objects.get(action="audit.search")
    assert search.actor == auditor and search.kind == AuditKind.AUDIT
    assert search.after == {"filters": {"kind": "scoring", "page": 1}, "count": 1}


def test_opening_a_record_is_recorded(client, auditor, some_records):
    client.force_login(auditor)
    record = AuditRecord.objects.get(action="award.decide")
    assert client.get(reverse("accounts:audit-detail", args=[record.pk])).status_code == 200
    view = AuditRecord.objects.get(action="audit.view")
    assert view.object_id == str(record.pk) and view.object_type == "core.auditrecord"


def test_the_export_is_a_csv_of_the_filtered_log_recorded_once(client, auditor, some_records):
    client.force_login(auditor)
    response = client.get(reverse("accounts:audit-export"), {"kind": "denial"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "链序号", "时间", "事件类别"]
    assert [row[7] for row in rows[1:]] == ["access.denied"]
    export = AuditRecord.objects.get(action="audit.export")
    assert export.after == {"filters": {"kind": "denial"}, "count": 1}
    assert not AuditRecord.objects.filter(action__in=["data.export", "file.download"]).exists()


def test_reading_through_the_api_is_recorded(auditor, some_records):
    api = APIClient()
    api.force_authenticate(auditor)
    listing = api.get("/api/v1/audit-records/", {"kind": "change"})
    assert listing.status_code == 200
    assert [row["action"] for row in listing.json()["results"]] == ["scenario.update"]
    one = listing.json()["results"][0]
    assert api.get(f"/api/v1/audit-records/{one['id']}/").json()["kind"] == "change"
    search = AuditRecord.objects.get(action="audit.search")
    assert search.after == {"filters": {"kind": "change"}, "count": 1}
    assert AuditRecord.objects.get(action="audit.view").object_id == str(one["id"])


# ---- the client address ------------------------------------------------------------------------


def _request(remote="10.0.0.9", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_configured_proxy_a_forwarded_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXY_HEADER = ""
    assert client_address(_request(HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize(
    "header, count, expected",
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the left entry came from the client
        ("6.6.6.6, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),
        ("203.0.113.7", 2, "10.0.0.9"),  # fewer entries than proxies: not through them
        ("not-an-address", 1, "10.0.0.9"),
        ("", 1, "10.0.0.9"),
        ("2001:DB8:0:0::1", 1, "2001:db8::1"),
    ],
)
def test_a_configured_proxy_header_is_read_from_the_right(settings, header, count, expected):
    settings.PORTAL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.PORTAL_TRUSTED_PROXY_COUNT = count
    assert client_address(_request(HTTP_X_FORWARDED_FOR=header)) == expected


def test_the_audit_record_takes_the_address_the_configuration_trusts(client):
    form = {"username": "nobody", "password": "wrong"}
    with override_settings(PORTAL_TRUSTED_PROXY_HEADER="X-Real-IP"):
        client.post(reverse("accounts:login"), form, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.4")
    client.post(reverse("accounts:login"), form, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.5")
    addresses = list(
        AuditRecord.objects.filter(action="auth.login_failed").order_by("id").values_list("ip_address", flat=True)
    )
    assert addresses == ["198.51.100.4", "10.0.0.2"]


def test_api_throttles_count_the_trusted_address_not_a_forged_header():
    token = set_origin(RequestOrigin(ip_address="10.0.0.9"))
    try:
        forged = _request(HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert PortalAnonThrottle().get_ident(forged) == "10.0.0.9"
    finally:
        reset_origin(token)
