"""The operators' queue of submitted progress reports: search and filters at a fixed query count,
and the decision on the report's page that goes back to the queue as the operator left it."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from steering import services
from steering.models import ProgrammeTask
from tests.factories.accounts import operator_user
from tests.factories.steering import open_cycle, unit_reporter

pytestmark = pytest.mark.django_db

NARRATIVE = "本月推动市属国企发布应用场景 12 项。"


@pytest.fixture
def submitted():
    cycle = open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=7), label="2026年12月调度")
    reports = {}
    for short_name in ("市国资委", "市科技局"):
        reporter = unit_reporter(short_name)
        report = cycle.reports.filter(unit__short_name=short_name).order_by("task__code").first()
        services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
        reports[short_name] = report
    return reports


def _rows(response) -> str:
    return response.content.decode().split('data-testid="review-queue"')[1].split("<tbody>")[1].split("</tbody>")[0]


def test_queue_searches_by_unit_and_filters_by_task(client, submitted):
    client.force_login(operator_user())
    rows = _rows(client.get(reverse("steering:programme-review"), {"q": "国资委"}))
    assert rows.count("<tr>") == 1 and "市国资委" in rows
    task = submitted["市科技局"].task
    rows = _rows(client.get(reverse("steering:programme-review"), {"task": task.pk}))
    assert "市科技局" in rows
    other = ProgrammeTask.objects.exclude(pk__in=[report.task_id for report in submitted.values()]).first()
    rows = _rows(client.get(reverse("steering:programme-review"), {"task": other.pk}))
    assert "没有待审核的报送。" in rows


def test_queue_uses_a_fixed_number_of_queries(client, submitted, django_assert_num_queries):
    client.force_login(operator_user())
    # session, user (with roles and unread count); the cycle and task choices of the filter form; count and
    # page of reports (cycle, task, unit, latest version annotated).
    with django_assert_num_queries(6):
        response = client.get(reverse("steering:programme-review"))
    assert _rows(response).count("<tr>") == 2


def test_deciding_on_the_report_page_returns_to_the_filtered_queue(client, submitted):
    client.force_login(operator_user())
    queue_url = reverse("steering:programme-review") + "?q=%E5%9B%BD%E8%B5%84%E5%A7%94"
    report = submitted["市国资委"]
    link = f"{reverse('steering:programme-report', args=[report.pk])}?back={quote(queue_url, safe='/')}"
    assert link in client.get(queue_url).content.decode()
    assert 'name="back"' in client.get(link).content.decode()
    response = client.post(
        reverse("steering:programme-report", args=[report.pk]),
        {"action": "decide", "decision": "accept", "back": queue_url},
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    report.refresh_from_db()
    assert report.status == "accepted"
