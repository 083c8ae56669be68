"""The result page, the lead's consensus queue and the round report page: who sees what, and when."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Job
from evaluation import services
from evaluation.models import SubjectResult
from tests.evaluation.conftest_results import (
    LEAVES,
    add_subject,
    leaf,
    make_round,
    subject_user,
    submit_columns,
    submit_sheet,
)
from tests.factories.accounts import UserFactory, operator_user

pytestmark = pytest.mark.django_db


def _scored(experts=3, points=8):
    round_, subject, team = make_round(experts=experts)
    for expert in team:
        submit_sheet(subject, expert, points)
    services.subject_result_compute(subject=subject, trigger="test")
    return round_, subject, team


def test_operator_sees_total_grade_dimensions_radar_and_table_equivalent(client):
    round_, subject, team = _scored(points=8)
    other = add_subject(round_, "对照对象")
    for expert in team:
        submit_sheet(other, expert, 6)
    services.subject_result_compute(subject=other, trigger="test")
    client.force_login(operator_user())
    page = client.get(reverse("evaluation:result", args=[subject.pk])).content.decode()
    assert 'data-testid="total">80.00<' in page and 'data-testid="grade">良<' in page
    assert 'data-testid="radar"' in page and 'role="img"' in page and "radar-average" in page
    # The table says what the chart shows: 80 % for the subject, the round's average 70 %.
    assert '<th scope="row">决策</th><td>25.00</td><td>20.00</td><td>80.00%</td><td>70.00%</td>' in page
    assert "1.1 需求理解" in page and '<script src="http' not in page


def test_an_expert_sees_the_result_only_after_submitting_their_own_sheet(client):
    round_, subject, team = make_round(experts=3)
    submit_sheet(subject, team[1], 9)
    services.subject_result_compute(subject=subject, trigger="test")
    client.force_login(team[2])
    assert client.get(reverse("evaluation:result", args=[subject.pk])).status_code == 404
    client.force_login(team[0])  # the lead too
    assert client.get(reverse("evaluation:result", args=[subject.pk])).status_code == 404
    client.force_login(team[1])
    assert client.get(reverse("evaluation:result", args=[subject.pk])).status_code == 200


def test_subject_people_see_the_result_only_once_the_round_is_closed(client, django_capture_on_commit_callbacks):
    round_, subject, team = _scored(points=8)
    member = subject_user(subject)
    stranger = UserFactory(roles=["company"])
    url = reverse("evaluation:result", args=[subject.pk])
    client.force_login(member)
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator_user(), round=round_)
    assert 'data-testid="grade">良<' in client.get(url).content.decode()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=["official"]))
    assert client.get(url).status_code == 200


def test_reading_the_result_page_writes_no_result(client):
    round_, subject, team = _scored()
    client.force_login(operator_user())
    before = SubjectResult.objects.count()
    client.get(reverse("evaluation:result", args=[subject.pk]))
    assert SubjectResult.objects.count() == before


def test_the_lead_adds_a_finding_on_the_result_page(client):
    round_, subject, team = _scored()
    organisation = subject.subject_organisations.first().organisation
    client.force_login(team[0])
    response = client.post(
        reverse("evaluation:result", args=[subject.pk]),
        {
            "severity": "serious",
            "description": "未开展用户培训",
            "recommendation": "组织培训",
            "organisation": organisation.pk,
            "due_date": "2099-01-01",
        },
    )
    assert response.status_code == 302 and subject.findings.get().created_by == team[0]
    client.force_login(team[1])
    assert client.post(reverse("evaluation:result", args=[subject.pk]), {"severity": "minor"}).status_code == 404


def test_the_consensus_queue_shows_nothing_before_the_lead_has_submitted_their_own_sheet(client):
    round_, subject, team = make_round(experts=3)
    submit_columns(subject, team[1:], {"1.1": [2, 9]})
    services.subject_result_compute(subject=subject, trigger="test")
    client.force_login(team[0])
    page = client.get(reverse("evaluation:consensus")).content.decode()
    assert 'data-testid="consensus-empty"' in page and team[1].display_name not in page


def test_the_consensus_queue_shows_the_experts_points_to_the_lead_and_records_a_decision(client):
    round_, subject, team = make_round(experts=3)
    others = {code: [8, 8, 8] for code in ["1.2", "2.1", "3.1", "3.2", "4.1"]}
    submit_columns(subject, team, {"1.1": [2, 8, 9], **others})
    services.subject_result_compute(subject=subject, trigger="test")
    client.force_login(team[0])
    page = client.get(reverse("evaluation:consensus")).content.decode()
    assert page.count('data-testid="consensus-item"') == 1 and team[1].display_name in page
    response = client.post(
        reverse("evaluation:consensus"),
        {"subject": subject.pk, "indicator": leaf(round_, "1.1").pk, "points": "8.5", "reason": "合议一致"},
    )
    assert response.status_code == 302
    assert SubjectResult.objects.filter(subject=subject).latest().results["pending_consensus"] == []
    client.force_login(team[1])
    assert client.get(reverse("evaluation:consensus")).status_code == 404


def test_consensus_queue_query_count_is_fixed(client, django_assert_num_queries):
    round_, subject, team = make_round(experts=3)
    subjects = [subject, add_subject(round_, "第二个对象"), add_subject(round_, "第三个对象")]
    for item in subjects:
        submit_columns(item, team, {"1.1": [2, 8, 9], "2.1": [1, 9, 10]})
        services.subject_result_compute(subject=item, trigger="test")
    client.force_login(team[0])
    client.get(reverse("evaluation:consensus"))
    # session, user (with roles and unread count), the lead's rounds (view); the queue: rounds, the lead's own
    # sheets, subjects, results, the scores with their experts (the menu's items from the cache).
    with django_assert_num_queries(8):
        response = client.get(reverse("evaluation:consensus"))
    assert response.content.decode().count('data-testid="consensus-item"') == 6


def test_closing_from_the_report_page_publishes_and_the_report_downloads(client, django_capture_on_commit_callbacks):
    round_, subject, team = _scored(points=9.5)
    operator = operator_user()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:report", args=[round_.pk]), {"action": "close"})
    assert response.status_code == 302
    page = client.get(reverse("evaluation:report", args=[round_.pk])).content.decode()
    assert "智慧港口调度场景" in page and "95.00" in page and 'data-testid="report-download"' in page
    client.force_login(operator_user())  # another operator, not the one who closed it
    download = client.get(reverse("evaluation:report-download", args=[round_.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["汇总", "1-智慧港口调度场景", "问题清单"]
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert rows[0][:3] == ("评价对象", "总分", "等级") and rows[1][:3] == ("智慧港口调度场景", 95, "优")
    assert Job.objects.get(kind="evaluation.round_report").state == "succeeded"


def test_before_the_close_the_report_is_for_operators_only(client):
    round_, subject, team = _scored()
    for person in (team[0], subject_user(subject), UserFactory(roles=["official"])):
        client.force_login(person)
        assert client.get(reverse("evaluation:report", args=[round_.pk])).status_code == 404
        assert client.get(reverse("evaluation:report-download", args=[round_.pk])).status_code == 404


def test_the_closed_report_is_published_to_the_subjects_and_officials_to_read_only(
    client, django_capture_on_commit_callbacks
):
    round_, subject, team = _scored(points=9.5)
    other = add_subject(round_, "宁波北仑港区调度")
    for expert in team:
        submit_sheet(other, expert, 7)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator_user(), round=round_)
    report = reverse("evaluation:report", args=[round_.pk])
    reader = subject_user(subject)
    client.force_login(reader)
    page = client.get(report).content.decode()
    assert "智慧港口调度场景" in page and "宁波北仑港区调度" in page and 'data-testid="report-download"' in page
    # Their own result page is linked; the other subject's is not, and no operator action shows.
    assert reverse("evaluation:result", args=[subject.pk]) in page
    assert reverse("evaluation:result", args=[other.pk]) not in page
    assert 'value="close"' not in page and 'value="report"' not in page
    assert "本单位的评估结果和问题清单见评价对象链接" in page
    assert (
        reverse("evaluation:report", args=[round_.pk])
        in client.get(reverse("evaluation:result", args=[subject.pk])).content.decode()
    )
    download = client.get(reverse("evaluation:report-download", args=[round_.pk]))
    assert download.status_code == 200
    # Reading changes nothing: a subject's user may not regenerate the report.
    assert client.post(report, {"action": "report"}).status_code == 404
    assert Job.objects.filter(kind="evaluation.round_report").count() == 1
    client.force_login(UserFactory(roles=["official"]))
    official_page = client.get(report)
    assert official_page.status_code == 200
    # An official has no subject in the round: no sentence pointing at links that are not there.
    assert "本单位的评估结果和问题清单见评价对象链接" not in official_page.content.decode()


def test_the_closed_report_stays_closed_to_outsiders(client, django_capture_on_commit_callbacks):
    round_, subject, team = _scored(points=9.5)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator_user(), round=round_)
    link = subject.subject_organisations.select_related("organisation").first()
    outsiders = [
        UserFactory(roles=["company"]),  # another organisation
        UserFactory(organisation=link.organisation, roles=[]),  # a member without a working role
        team[1],  # an expert of the team is not a subject
    ]
    for person in outsiders:
        client.force_login(person)
        assert client.get(reverse("evaluation:report", args=[round_.pk])).status_code == 404
        assert client.get(reverse("evaluation:report-download", args=[round_.pk])).status_code == 404


def test_report_page_query_count_is_fixed(client, django_assert_num_queries):
    round_, subject, team = _scored()
    for index in range(3):
        item = add_subject(round_, f"对象{index}")
        submit_sheet(item, team[0], 7)
        services.subject_result_compute(subject=item, trigger="test")
    client.force_login(operator_user())
    # session, user (with roles and unread count); round; subjects; results; dimensions.
    with django_assert_num_queries(6):
        client.get(reverse("evaluation:report", args=[round_.pk]))


def test_the_indicator_table_reads_in_the_frameworks_order_with_points_to_two_places(client):
    round_, subject, team = make_round(experts=3)
    submit_columns(subject, team, {code: ["8", "8.5", "9"] for code in ("1.1", "1.2", "2.1", "3.1", "3.2", "4.1")})
    services.subject_result_compute(subject=subject, trigger="test")
    client.force_login(operator_user())
    page = client.get(reverse("evaluation:result", args=[subject.pk])).content.decode()
    table = page[page.index('data-testid="indicators"') :]
    codes = re.findall(r'<th scope="row">(\d(?:\.\d)+) ', table)
    assert codes == ["1.1", "1.2", "2.1", "3.1", "3.2", "4.1"]  # not 1.1, 2.1, 3.1, 4.1, 1.2, 3.2
    assert "<td>8.50</td>" in table


def test_the_report_page_leads_back_to_the_round_and_says_what_follows_the_close(
    client, django_capture_on_commit_callbacks
):
    round_, subject, team = _scored(points=9.5)
    client.force_login(operator_user())
    url = reverse("evaluation:report", args=[round_.pk])
    page = client.get(url).content.decode()
    assert f'href="{reverse("evaluation:round-detail", args=[round_.pk])}"' in page
    assert "方可结束本轮评估" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "close"})
    page = client.get(url).content.decode()
    assert 'data-testid="report-next"' in page and f'href="{reverse("evaluation:case-queue")}"' in page


def test_officials_find_the_closed_rounds_and_their_grades_in_fixed_queries(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    round_, subject, team = _scored(points=9.5)
    other = add_subject(round_, "宁波北仑港区调度")
    for expert in team:
        submit_sheet(other, expert, 7)
    open_round, _subject, _team = _scored()  # still scoring: not listed
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator_user(), round=round_)
    official = UserFactory(roles=["official"])
    client.force_login(official)
    client.get(reverse("evaluation:published"))
    # session, user (with roles — kept for the page and the menu — and unread messages); the closed rounds,
    # their grade counts, the grade bands
    with django_assert_num_queries(5):
        response = client.get(reverse("evaluation:published"))
    page = response.content.decode()
    assert page.count('data-testid="published-round"') == 1
    assert "优 1" in page and "中 1" in page and "良 0" in page
    assert reverse("evaluation:report", args=[round_.pk]) in page
    assert client.get(reverse("evaluation:report", args=[round_.pk])).status_code == 200
    client.force_login(subject_user(subject))
    assert client.get(reverse("evaluation:published")).status_code == 404


def test_before_the_close_the_report_tells_operators_what_holds_each_subject_up(client):
    round_, subject, team = _scored(points=9.5)
    waiting = add_subject(round_, "宁波北仑港区调度")
    submit_sheet(waiting, team[0], 7)
    services.subject_result_compute(subject=waiting, trigger="test")
    empty = add_subject(round_, "宁波镇海炼化园区巡检")
    disputed = add_subject(round_, "宁波梅山港区集卡调度")
    for expert, points in zip(team, [2, 9, 9], strict=True):  # spread 7 > 0.40 × 10: the lead's consensus
        submit_sheet(disputed, expert, {**{code: 8 for code in LEAVES}, "1.1": points})
    services.subject_result_compute(subject=disputed, trigger="test")
    client.force_login(operator_user())
    page = client.get(reverse("evaluation:report", args=[round_.pk])).content.decode()
    cells = page.split('data-testid="report-pending"')[1:]
    assert "可结束" in cells[0]
    assert "待提交评价表 2 份" in cells[1]
    assert "尚无专家提交评价表" in cells[2] and empty.title in page
    assert "待合议" in cells[3] and "1.1" in cells[3]


def test_a_finding_for_another_organisation_is_listed_without_a_link_it_could_not_open(
    client, django_capture_on_commit_callbacks
):
    """The publisher reads the findings on its scenario's result, but one addressed to the supplier is
    the supplier's to open: a link to it would answer 404."""
    round_, subject, team = _scored(points=8)
    operator = operator_user()
    supplier = subject.subject_organisations.get(role="supplier").organisation
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(actor=operator, round=round_)
    finding = services.finding_create(
        actor=operator,
        subject=subject,
        severity="general",
        description="验收报告缺少第三方检测数据",
        recommendation="补充检测报告",
        organisation=supplier,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    finding_url = reverse("evaluation:finding", args=[finding.pk])
    publisher = subject_user(subject)
    client.force_login(publisher)
    page = client.get(reverse("evaluation:result", args=[subject.pk])).content.decode()
    assert "验收报告缺少第三方检测数据" in page and finding_url not in page
    assert client.get(finding_url).status_code == 404
    client.force_login(UserFactory(organisation=supplier, roles=["company"]))
    assert finding_url in client.get(reverse("evaluation:result", args=[subject.pk])).content.decode()
    assert client.get(finding_url).status_code == 200
