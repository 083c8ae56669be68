import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, Organisation
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_authentication(api, company_member):
    response = api.post(reverse("v1:auth-token"), {"username": company_member.username, "password": "Secret-pass-2026"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    me = api.get(reverse("v1:me")).json()
    assert me["username"] == company_member.username and me["roles"] == ["company"]
    assert me["organisation"]["credit_code"] == company_member.organisation.credit_code


def test_anonymous_requests_are_refused_in_chinese(api):
    response = api.get(reverse("v1:organisation-list"))
    assert response.status_code in (401, 403)
    assert "身份认证信息未提供" in response.json()["detail"]


def test_company_sees_only_its_own_organisation_and_a_foreign_id_is_404(api, company_member):
    other = OrganisationFactory()
    api.force_authenticate(company_member)
    listing = api.get(reverse("v1:organisation-list")).json()
    assert [row["id"] for row in listing["results"]] == [company_member.organisation_id]
    assert api.get(reverse("v1:organisation-detail", args=[other.pk])).status_code == 404


def test_operator_verifies_through_the_api(api, operator):
    pending = OrganisationFactory(verification_status="pending")
    api.force_authenticate(operator)
    response = api.post(reverse("v1:organisation-verify", args=[pending.pk]), {"note": "核验通过"}, format="json")
    assert response.status_code == 200 and response.json()["verification_status"] == "verified"
    again = api.post(reverse("v1:organisation-verify", args=[pending.pk]), {}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == "该机构已通过认证。"


def test_reject_without_reason_is_a_400_and_changes_nothing(api, operator):
    pending = OrganisationFactory(verification_status="pending")
    api.force_authenticate(operator)
    response = api.post(reverse("v1:organisation-reject", args=[pending.pk]), {"reason": ""}, format="json")
    assert response.status_code == 400 and "不能为空" in str(response.json()["reason"])
    response = api.post(reverse("v1:organisation-reject", args=[pending.pk]), {"reason": ["不是字符串"]}, format="json")
    assert response.status_code == 400
    assert Organisation.objects.get(pk=pending.pk).verification_status == "pending"


def test_company_cannot_verify(api, company_member):
    pending = OrganisationFactory(verification_status="pending")
    api.force_authenticate(company_member)
    assert api.post(reverse("v1:organisation-verify", args=[pending.pk])).status_code in (403, 404)
    assert Organisation.objects.get(pk=pending.pk).verification_status == "pending"


def test_notifications_api(api, company_member):
    from core import services as core_services

    core_services.notify(recipients=[company_member], title="甲", email=False)
    core_services.notify(recipients=[UserFactory()], title="别人的", email=False)
    api.force_authenticate(company_member)
    assert api.get(reverse("v1:notification-unread-count")).json() == {"unread": 1}
    assert [row["title"] for row in api.get(reverse("v1:notification-list")).json()["results"]] == ["甲"]
    assert api.post(reverse("v1:notification-mark-read"), {"ids": ["x"]}, format="json").status_code == 400
    assert api.post(reverse("v1:notification-mark-read"), {}, format="json").json() == {"marked": 1}
    assert api.get(reverse("v1:notification-unread-count")).json() == {"unread": 0}


def test_jobs_api_starts_an_export_and_reports_it(api, operator, django_capture_on_commit_callbacks):
    api.force_authenticate(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("v1:job-list"), {"kind": "accounts.organisation_directory", "params": {}}, format="json"
        )
    assert response.status_code == 201
    job = api.get(reverse("v1:job-detail", args=[response.json()["id"]])).json()
    assert job["state"] == "succeeded" and job["progress"] == 100 and job["download_url"].endswith("/download/")


def test_jobs_api_refuses_unknown_kinds_and_roles(api, company_member):
    api.force_authenticate(company_member)
    assert api.post(reverse("v1:job-list"), {"kind": "nope"}, format="json").json()["detail"] == "未知的任务类型。"
    response = api.post(reverse("v1:job-list"), {"kind": "accounts.organisation_directory"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "您无权发起此任务。"


def test_audit_api_is_for_auditors_only(api, auditor, operator):
    api.force_authenticate(operator)
    assert api.get(reverse("v1:audit-record-list")).status_code == 404
    api.force_authenticate(auditor)
    assert api.get(reverse("v1:audit-record-list")).status_code == 200


def test_organisation_list_uses_a_fixed_number_of_queries(api, operator, django_assert_num_queries):
    OrganisationFactory.create_batch(3)
    _token, key = services.api_token_issue(actor=operator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get(reverse("v1:me"))  # the token's first use is written down (then at most once a minute)
    # roles, count, rows (the token and its user come from the cache: accounts.api.authentication)
    with django_assert_num_queries(3):
        api.get(reverse("v1:organisation-list"))
    OrganisationFactory.create_batch(25)
    with django_assert_num_queries(3):
        api.get(reverse("v1:organisation-list"), {"page_size": 50})


def test_each_token_request_answers_a_new_key_kept_only_as_its_digest(api, company_member):
    first = api.post(reverse("v1:auth-token"), {"username": company_member.username, "password": "Secret-pass-2026"})
    second = api.post(reverse("v1:auth-token"), {"username": company_member.username, "password": "Secret-pass-2026"})
    keys = {first.json()["token"], second.json()["token"]}
    assert len(keys) == 2
    stored = ApiToken.objects.filter(user=company_member)
    assert stored.count() == 2
    assert not any(key in str(row.__dict__) for row in stored for key in keys)


def test_jobs_api_starts_only_what_may_be_started_directly(api, operator, company_member):
    """POST /api/v1/jobs/ once ran any kind with any params: one association member confirmed
    another's import batch by naming its id. Kinds owned by an action (imports, editions, the
    score summary) are refused here, and the others' parameters are checked."""
    from core.models import Job

    api.force_authenticate(operator)
    for kind, params in [
        ("capability_list.import_apply", {"batch": 1}),
        ("capability_list.import_check", {"batch": 1}),
        ("capability_list.edition_workbook", {"edition": 1}),
        ("contests.score_summary", {"contest": 1}),
    ]:
        response = api.post(reverse("v1:job-list"), {"kind": kind, "params": params}, format="json")
        assert response.status_code == 400 and "不能直接发起" in response.json()["detail"], kind
    response = api.post(
        reverse("v1:job-list"),
        {"kind": "accounts.organisation_directory", "params": {"batch": 7, "kind": "company"}},
        format="json",
    )
    assert response.status_code == 400 and response.json()["detail"] == "不支持的参数：batch。"
    assert not Job.objects.exists()

    api.force_authenticate(company_member)
    response = api.post(
        reverse("v1:job-list"), {"kind": "scenarios.catalogue_export", "params": {"q": "停车"}}, format="json"
    )
    assert response.status_code == 201 and Job.objects.get().params == {"q": "停车"}
