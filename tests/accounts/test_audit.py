import pytest
from django.db import connection
from django.urls import reverse

from accounts import services
from core import services as core_services
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_login_and_failed_login_are_audited_with_the_client_address(client, company_member):
    client.post(
        reverse("accounts:login"), {"username": company_member.username, "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(
        reverse("accounts:login"),
        {"username": company_member.username, "password": "Secret-pass-2026"},
        REMOTE_ADDR="10.1.2.3",
    )
    failed = AuditRecord.objects.get(action="auth.login_failed")
    assert failed.after == {"username": company_member.username} and failed.ip_address == "10.1.2.3"
    login = AuditRecord.objects.get(action="auth.login")
    assert login.actor == company_member and login.ip_address == "10.1.2.3"


def test_auditor_reads_the_log_with_before_and_after(client, auditor, operator):
    organisation = OrganisationFactory(verification_status="pending", name="待审公司")
    services.organisation_verify(actor=operator, organisation=organisation)
    record = AuditRecord.objects.get(action="organisation.verify")
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit-log"), {"action": "organisation."}).content.decode()
    assert "organisation.verify" in page and "待审公司" in page
    detail = client.get(reverse("accounts:audit-detail", args=[record.pk])).content.decode()
    assert "verification_status" in detail and "pending" in detail and "verified" in detail


@pytest.mark.parametrize("role", ["operator", "official", "admin", "company"])
def test_nobody_but_auditors_reads_the_log(client, role):
    from tests.factories.accounts import UserFactory, government

    organisation = OrganisationFactory(kind="company") if role == "company" else government()
    user = UserFactory(organisation=organisation if role != "admin" else None, roles=[role])
    record = core_services.audit_record(actor=user, action="test.action")
    client.force_login(user)
    assert client.get(reverse("accounts:audit-log")).status_code == 404
    assert client.get(reverse("accounts:audit-detail", args=[record.pk])).status_code == 404


def test_auditor_sees_no_business_pages(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("accounts:operator-organisations")).status_code == 404
    assert client.get(reverse("accounts:my-organisation")).status_code == 404


def test_audit_log_page_uses_a_fixed_number_of_queries(client, auditor, django_assert_num_queries, operator):
    for _ in range(3):
        core_services.audit_record(actor=operator, action="test.small")
    client.force_login(auditor)
    # session, user (with roles and unread count), page count, page rows, and the record of this
    # search: its insert (PostgreSQL chains it at commit) or the chain's head and its insert (SQLite)
    queries = 5 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(queries):
        client.get(reverse("accounts:audit-log"))
    for _ in range(40):
        core_services.audit_record(actor=operator, action="test.more")
    with django_assert_num_queries(queries):
        client.get(reverse("accounts:audit-log"))
