"""Who may see each judge's points per criterion (#18): the score summary (评分汇总表) and the
score sheets. An official could export the workbook, even while the contest was being scored,
when the panel members themselves see nothing. Now: the operators who run the contest, once
scoring is over (from 公示 on); never while it is open; officials read the published results
(ranks and totals). Anyone who may not see the ranking or the export gets 404."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.choices import JobState
from core.models import Job
from tests.admin_checks import system_administrator
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory, government

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "company",
    "entrant",
    "publisher",
    "association",
    "judge_on_panel",
    "chair",
    "judge_elsewhere",
    "official",
    "leader",
    "auditor",
    "sysadmin",
    "operator",
]


def _person(role, challenge, entries, judges, operator):
    return {
        "anonymous": None,
        "company": lambda: UserFactory(organisation=OrganisationFactory(), roles=["company"]),
        "entrant": lambda: UserFactory(organisation=entries[0].lead, roles=["company"]),
        "publisher": lambda: challenge.created_by,
        "association": lambda: UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"]),
        "judge_on_panel": lambda: judges[1],
        "chair": lambda: judges[0],
        "judge_elsewhere": lambda: UserFactory(roles=["judge"]),
        "official": lambda: UserFactory(organisation=government(name="宁波市国资委"), roles=["official"]),
        "leader": lambda: UserFactory(roles=["official"]),
        "auditor": lambda: UserFactory(roles=["auditor"]),
        "sysadmin": system_administrator,
        "operator": lambda: operator,
    }[role]


def _client(client, role, scored, contest_operator):
    challenge, entries, judges = scored
    make = _person(role, challenge, entries, judges, contest_operator)
    if make is not None:
        client.force_login(make())
    return client


def _export_answers(client, challenge, capture) -> list:
    with capture(execute=True):
        return [
            client.post(reverse("contests:ranking", args=[challenge.pk]), {"action": "export"}),
            client.post(reverse("contests:awards", args=[challenge.contest_id]), {"action": "export"}),
        ]


@pytest.mark.parametrize("role", ROLES)
def test_nobody_exports_the_judges_points_while_scoring_is_open(
    client, role, scored, contest_operator, django_capture_on_commit_callbacks
):
    challenge, entries, judges = scored
    _client(client, role, scored, contest_operator)
    answers = _export_answers(client, challenge, django_capture_on_commit_callbacks)
    assert not Job.objects.exists()
    statuses = [answer.status_code for answer in answers]
    if role == "anonymous":
        assert all(answer.status_code == 302 and "/accounts/login/" in answer.url for answer in answers)
    elif role == "operator":
        # The operator may see the ranking: told why there is no workbook yet, and no button offers one.
        assert statuses == [302, 302]
        page = client.get(answers[0].url).content.decode()
        assert "评分结束（公示开始）后才能生成" in page and 'data-testid="export-summary"' not in page
    else:
        assert statuses == [404, 404], role


@pytest.mark.parametrize("role", ROLES)
def test_after_publication_only_the_operators_export_and_download_it(
    client, role, scored, contest_operator, django_capture_on_commit_callbacks
):
    challenge, entries, judges = scored
    move_to(challenge.contest, "notice")
    _client(client, role, scored, contest_operator)
    answers = _export_answers(client, challenge, django_capture_on_commit_callbacks)
    if role == "operator":
        jobs = list(Job.objects.order_by("pk"))
        assert [answer.url for answer in answers] == [reverse("core:job-detail", args=[job.pk]) for job in jobs]
        assert all(job.state == JobState.SUCCEEDED for job in jobs)
        download = client.get(reverse("core:job-download", args=[jobs[0].pk]))
        workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
        assert "评分明细" in workbook.sheetnames
        return
    assert not Job.objects.exists()
    if role == "anonymous":
        assert all("/accounts/login/" in answer.url for answer in answers)
        return
    assert [answer.status_code for answer in answers] == [404, 404], role
    # Nor the operator's workbook, by its address.
    own = Client()
    own.force_login(contest_operator)
    with django_capture_on_commit_callbacks(execute=True):
        own.post(reverse("contests:awards", args=[challenge.contest_id]), {"action": "export"})
    job = Job.objects.get()
    assert client.get(reverse("core:job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404


def test_the_jobs_api_does_not_start_the_score_summary_for_anyone(scored, contest_operator):
    challenge, entries, judges = scored
    move_to(challenge.contest, "notice")
    api = APIClient()
    for person in (contest_operator, UserFactory(organisation=government(name="宁波市国资委"), roles=["official"])):
        api.force_authenticate(person)
        request = {"kind": "contests.score_summary", "params": {"contest": challenge.contest_id}}
        response = api.post("/api/v1/jobs/", request, format="json")
        assert response.status_code == 400 and response.json()["code"] == "not_requestable", response.json()
        assert not Job.objects.exists()


def test_the_operators_read_other_judges_sheets_only_once_scoring_is_over(scored, contest_operator):
    challenge, entries, judges = scored
    api = APIClient()
    url = reverse("v1:score-sheet-list")
    api.force_authenticate(contest_operator)
    assert api.get(url).json()["count"] == 0
    api.force_authenticate(judges[1])
    assert {sheet["judge"] for sheet in api.get(url).json()["results"]} == {judges[1].pk}

    move_to(challenge.contest, "notice")
    api.force_authenticate(contest_operator)
    assert api.get(url).json()["count"] == 15
    official = UserFactory(organisation=government(name="宁波市国资委"), roles=["official"])
    api.force_authenticate(official)
    assert api.get(url).json()["count"] == 0


def test_officials_read_the_published_ranks_and_totals_without_any_judge(client, scored):
    challenge, entries, judges = scored
    move_to(challenge.contest, "notice")
    client.force_login(UserFactory(organisation=government(name="宁波市国资委"), roles=["official"]))
    page = client.get(reverse("contests:notice", args=[challenge.contest_id])).content.decode()
    assert "84.00" in page and entries[0].title in page
    assert not any(judge.display_name in page for judge in judges)
    assert client.get(reverse("contests:ranking", args=[challenge.pk])).status_code == 404
