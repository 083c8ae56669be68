"""/api/v1/evaluation-results/ and /api/v1/evaluation-findings/: the pages' rules, fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from evaluation import services
from tests.evaluation.conftest_results import add_subject, make_round, subject_user, submit_sheet
from tests.factories.accounts import UserFactory, operator_user

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/evaluation-results/"
FINDINGS = "/api/v1/evaluation-findings/"


def _scored_round(subjects=3):
    round_, subject, team = make_round(experts=3)
    items = [subject] + [add_subject(round_, f"对象{index}") for index in range(subjects - 1)]
    for item in items:
        for expert in team:
            submit_sheet(item, expert, 8)
        services.subject_result_compute(subject=item, trigger="test")
    return round_, items, team


def test_results_list_has_a_fixed_query_count(client, django_assert_num_queries):
    round_, items, team = _scored_round(subjects=4)
    client.force_login(operator_user())
    # session, user (with roles); count; rows with their subjects.
    with django_assert_num_queries(4):
        response = client.get(RESULTS)
    assert response.json()["count"] == 4 and response.json()["results"][0]["total"] == "80.00"


def test_an_expert_reads_results_only_for_subjects_with_their_own_sheet_submitted(client):
    round_, subject, team = make_round(experts=3)
    submit_sheet(subject, team[1], 9)
    result = services.subject_result_compute(subject=subject, trigger="test")
    client.force_login(team[2])
    assert client.get(RESULTS).json()["count"] == 0
    assert client.get(f"{RESULTS}{result.pk}/").status_code == 404
    client.force_login(team[1])
    assert client.get(f"{RESULTS}{result.pk}/").json()["total"] == "90.00"


def test_subject_people_read_only_the_published_result_after_close(client, django_capture_on_commit_callbacks):
    round_, items, team = _scored_round(subjects=2)
    member = subject_user(items[0])
    client.force_login(member)
    assert client.get(RESULTS).json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator_user(), round=round_)
    body = client.get(RESULTS).json()
    assert [row["subject"] for row in body["results"]] == [items[0].pk] and body["results"][0]["is_published"]


def _finding(subject):
    return services.finding_create(
        actor=operator_user(),
        subject=subject,
        severity="minor",
        description="材料缺失",
        recommendation="补充",
        organisation=subject.subject_organisations.get(role="supplier").organisation,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )


def test_findings_list_has_a_fixed_query_count_and_the_organisation_acts(client, django_assert_num_queries):
    round_, subject, team = make_round(experts=1)
    finding = _finding(subject)
    for index in range(3):
        _finding(add_subject(round_, f"对象{index}"))
    rectifier = UserFactory(organisation=finding.organisation, roles=["company"])
    client.force_login(operator_user())
    # session, user (with roles); count; rows with subject, round, organisation and indicator.
    with django_assert_num_queries(4):
        assert client.get(FINDINGS).json()["count"] == 4
    client.force_login(rectifier)
    assert client.get(FINDINGS).json()["count"] == 1
    response = client.post(f"{FINDINGS}{finding.pk}/submit/", {"rectification": "已整改"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert client.post(f"{FINDINGS}{finding.pk}/verify/").status_code == 404
    assert client.post(f"{FINDINGS}{finding.pk}/submit/", {"rectification": "再交"}).status_code == 400


def test_operator_returns_with_a_reason_or_gets_a_chinese_400(client):
    round_, subject, team = make_round(experts=1)
    finding = _finding(subject)
    rectifier = UserFactory(organisation=finding.organisation, roles=["company"])
    services.finding_submit(actor=rectifier, finding=finding, rectification="已整改")
    client.force_login(operator_user())
    response = client.post(f"{FINDINGS}{finding.pk}/verify/", {})
    assert response.status_code == 200 and response.json()["status"] == "verified"
    response = client.post(f"{FINDINGS}{finding.pk}/return/", {"reason": "缺材料"})
    assert response.status_code == 400 and "待核实" in response.json()["detail"]


def test_a_foreign_finding_is_a_404_and_a_member_without_a_working_role_sees_none(client):
    round_, subject, team = make_round(experts=1)
    finding = _finding(subject)
    client.force_login(UserFactory(roles=["company"]))
    assert client.get(f"{FINDINGS}{finding.pk}/").status_code == 404
    assert client.post(f"{FINDINGS}{finding.pk}/submit/", {"rectification": "x"}).status_code == 404
    client.force_login(UserFactory(organisation=finding.organisation, roles=[]))
    assert client.get(FINDINGS).json()["count"] == 0
