"""定期调度 pages: who sees what (404 otherwise), the journey through the forms, hostile input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from steering import services
from steering.models import ReportingCycle, UnitReport
from tests.conftest import TEST_PASSWORD
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.steering import city_leader, open_cycle, report_of, unit_reporter

pytestmark = pytest.mark.django_db

NARRATIVE = "组织市属国企梳理轨道建设、环境卫生等领域的新技术需求，形成首批场景清单。"


def signed_in(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def cycle():
    return open_cycle(due_on=timezone.localdate() + datetime.timedelta(days=7), label="2026年12月调度")


@pytest.fixture
def reporter():
    return unit_reporter("市国资委")


def test_reporter_sees_their_reports_and_files_one(client, cycle, reporter):
    signed_in(client, reporter)
    page = client.get(reverse("steering:programme-mine"))
    assert page.status_code == 200
    text = page.content.decode().split('data-testid="my-reports"')[1]
    assert "2026年12月调度" in text and "建立国资国企主动释放应用场景的新机制" in text
    assert "推动新技术、新产品落地应用" in text  # support on task 三
    assert "能力清单" not in text  # task 二 is not theirs
    report = report_of(cycle)
    url = reverse("steering:programme-report", args=[report.pk])
    # The policy text of the task being reported on is at hand, with the way to its milestones.
    form_page = client.get(url).content.decode().split('data-testid="report-task"')[1].split("</details>")[0]
    assert report.task.policy_text and report.task.policy_text in form_page
    task_page = reverse("steering:programme-task", args=[report.task.code])
    assert task_page in form_page and client.get(task_page).status_code == 200
    saved = client.post(url, {"action": "save", "narrative": NARRATIVE, "percentage": "25"})
    assert saved.status_code == 302
    submitted = client.post(url, {"action": "submit", "narrative": NARRATIVE, "percentage": "30"}, follow=True)
    assert "已提交第1版" in submitted.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted" and report.versions.get().percentage == 30


def test_returned_report_shows_the_reason_and_the_difference_after_refiling(client, cycle, reporter, operator):
    report = report_of(cycle)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
    signed_in(client, operator)
    url = reverse("steering:programme-report", args=[report.pk])
    refused = client.post(url, {"action": "decide", "decision": "return", "reason": ""})
    assert refused.status_code == 400 and "退回须填写理由" in refused.content.decode()
    client.post(url, {"action": "decide", "decision": "return", "reason": "请补充各国企场景数量"})
    signed_in(client, reporter)
    mine = client.get(reverse("steering:programme-mine")).content.decode()
    assert "请补充各国企场景数量" in mine
    client.post(url, {"action": "submit", "narrative": NARRATIVE + "\n市轨道交通集团 9 项", "percentage": "35"})
    page = client.get(url).content.decode()
    assert "第2版" in page and "+ 市轨道交通集团 9 项" in page and "与上一版的差异" in page


def test_operator_reviews_from_the_queue(client, cycle, reporter, operator):
    report = report_of(cycle)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
    signed_in(client, operator)
    queue = client.get(reverse("steering:programme-review")).content.decode()
    assert "市国资委" in queue and "第1版" in queue
    client.post(reverse("steering:programme-report", args=[report.pk]), {"action": "decide", "decision": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted"
    assert "没有待审核的报送" in client.get(reverse("steering:programme-review")).content.decode()


def test_other_units_report_is_404(client, cycle):
    signed_in(client, unit_reporter("市教育局"))
    report = report_of(cycle)  # 市国资委's
    assert client.get(reverse("steering:programme-report", args=[report.pk])).status_code == 404
    assert client.post(reverse("steering:programme-report", args=[report.pk]), {"action": "submit"}).status_code == 404


def test_city_leader_reads_everything_but_changes_nothing(client, cycle, reporter):
    report = report_of(cycle)
    services.report_submit(actor=reporter, report=report, narrative=NARRATIVE, percentage=30)
    signed_in(client, city_leader())
    page = client.get(reverse("steering:programme-report", args=[report.pk]))
    assert page.status_code == 200 and NARRATIVE in page.content.decode()
    assert "审核" not in page.content.decode().split("报送版本")[0].split("</h1>")[1]
    assert client.get(reverse("steering:programme-tasks")).status_code == 200
    assert client.get(reverse("steering:programme-cycle", args=[cycle.pk])).status_code == 200
    assert client.get(reverse("steering:programme-mine")).status_code == 404
    assert client.get(reverse("steering:programme-review")).status_code == 404
    posted = client.post(
        reverse("steering:programme-report", args=[report.pk]), {"action": "decide", "decision": "accept"}
    )
    assert posted.status_code == 404
    assert client.post(reverse("steering:programme-cycle", args=[cycle.pk]), {"action": "close"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.parametrize("role", ["judge", "company", "publisher"])
def test_other_roles_get_404(client, cycle, role):
    user = UserFactory(organisation=OrganisationFactory(), roles=[role])
    signed_in(client, user)
    report = report_of(cycle)
    for url in [
        reverse("steering:programme-mine"),
        reverse("steering:programme-tasks"),
        reverse("steering:programme-task", args=[1]),
        reverse("steering:programme-cycles"),
        reverse("steering:programme-cycle", args=[cycle.pk]),
        reverse("steering:programme-report", args=[report.pk]),
        reverse("steering:programme-notices"),
        reverse("steering:programme-units"),
    ]:
        assert client.get(url).status_code == 404, url


def test_tasks_page_shows_units_progress_and_method(client, operator):
    signed_in(client, operator)
    text = client.get(reverse("steering:programme-tasks")).content.decode()
    assert "市国资委" in text and "高新区管委会" in text
    assert "按里程碑权重计算" in text and "按牵头单位最近一次已采纳报送" in text
    detail = client.get(reverse("steering:programme-task", args=[5])).content.decode()
    assert "试点建设一批应用场景示范区" in detail and "各区（县、市）和管委会" in detail


def test_operator_opens_and_closes_a_cycle_and_sees_the_matrix(client, operator):
    signed_in(client, operator)
    today = timezone.localdate()
    response = client.post(
        reverse("steering:programme-cycles"),
        {"label": "2026年岁末专项调度", "opens_on": today.isoformat(), "due_on": today.isoformat()},
    )
    cycle = ReportingCycle.objects.get(label="2026年岁末专项调度")
    assert response.status_code == 302
    matrix = client.get(reverse("steering:programme-cycle", args=[cycle.pk])).content.decode()
    assert "待报送" in matrix and "市综合行政执法局" in matrix
    client.post(reverse("steering:programme-cycle", args=[cycle.pk]), {"action": "close"})
    cycle.refresh_from_db()
    assert cycle.status == "closed"


def test_operator_links_a_unit_to_its_organisation(client, operator):
    from steering.models import ProgrammeUnit

    organisation = OrganisationFactory(kind="government", name="宁波市水利局")
    unit = ProgrammeUnit.objects.get(short_name="市水利局")
    signed_in(client, operator)
    client.post(reverse("steering:programme-units"), {"unit": unit.pk, "organisation": organisation.pk})
    unit.refresh_from_db()
    assert unit.organisation == organisation
    company = OrganisationFactory()
    refused = client.post(reverse("steering:programme-units"), {"unit": unit.pk, "organisation": company.pk})
    assert refused.status_code == 400


def _error_messages(response) -> str:
    html = response.content.decode()
    return html.split('<ul class="messages">')[1].split("</ul>")[0] if '<ul class="messages">' in html else ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "操作无效"),
        ({"action": "explode"}, "操作无效"),
        ({"action": "submit", "percentage": "9999999999999999999999"}, "完成百分比"),
        ({"action": "submit", "percentage": "三十"}, "完成百分比"),
        ({"action": "submit", "narrative": "", "percentage": ""}, "请填写工作进展"),
        ({"action": "detach", "attachment": "abc"}, "整数"),
        ({"action": "detach", "attachment": "99999999999999999999"}, "小于或等于"),
        ({"action": "attach"}, "附件"),
    ],
)
def test_hostile_posts_are_400_with_a_chinese_message(client, cycle, reporter, data, message):
    signed_in(client, reporter)
    response = client.post(reverse("steering:programme-report", args=[report_of(cycle).pk]), data)
    assert response.status_code == 400
    assert message in _error_messages(response)
    assert report_of(cycle).status == "not_started"


def test_detaching_a_foreign_attachment_is_404(client, cycle, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    other = unit_reporter("市教育局")
    other_report = UnitReport.objects.filter(cycle=cycle, unit__short_name="市教育局").first()
    attachment = services.report_attach(
        actor=other, report=other_report, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    signed_in(client, reporter)
    response = client.post(
        reverse("steering:programme-report", args=[report_of(cycle).pk]),
        {"action": "detach", "attachment": attachment.pk},
    )
    assert response.status_code == 404
    assert client.get(reverse("steering:programme-attachment", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/steering/programme/reports/abc/",
        "/steering/programme/reports/99999999999999999999/",
        "/steering/programme/tasks/7/",
        "/steering/programme/tasks/99999999999999999999/",
        "/steering/programme/cycles/0/",
        "/steering/programme/cycles/99999999999999999999/",
        "/steering/programme/notices/99999999999999999999/",
        "/steering/programme/attachments/99999999999999999999/",
    ],
)
def test_bad_ids_are_404(client, operator, path):
    signed_in(client, operator)
    assert client.get(path).status_code == 404


def test_milestone_form_refuses_bad_weight_with_a_message(client, operator):
    signed_in(client, operator)
    response = client.post(
        reverse("steering:programme-task", args=[1]),
        {"title": "补充节点", "due_on": "2027-03-01", "weight": "500"},
    )
    assert response.status_code == 400 and "权重" in response.content.decode()


def test_notice_pages_flow(client, operator, reporter):
    today = timezone.localdate()
    cycle = open_cycle(due_on=today - datetime.timedelta(days=2), opens_on=today - datetime.timedelta(days=20))
    services.lamps_refresh()
    report = report_of(cycle)
    signed_in(client, operator)
    client.post(
        reverse("steering:programme-report", args=[report.pk]),
        {
            "action": "notice",
            "reason": "逾期未报，请说明",
            "response_due_on": (today + datetime.timedelta(days=3)).isoformat(),
        },
    )
    notice = report.notices.get()
    signed_in(client, reporter)
    assert "逾期未报，请说明" in client.get(reverse("steering:programme-notices")).content.decode()
    client.post(reverse("steering:programme-notice", args=[notice.pk]), {"action": "answer", "response": "已补报"})
    assert client.post(reverse("steering:programme-notice", args=[notice.pk]), {"action": "close"}).status_code == 404
    signed_in(client, operator)
    client.post(reverse("steering:programme-notice", args=[notice.pk]), {"action": "close", "note": "办结"})
    notice.refresh_from_db()
    assert notice.status == "closed"
    signed_in(client, unit_reporter("市教育局"))
    assert client.get(reverse("steering:programme-notice", args=[notice.pk])).status_code == 404


def test_operator_sets_the_due_day_and_reminder_days(client, operator):
    from core.models import AuditRecord
    from steering import services as steering_services

    signed_in(client, operator)
    response = client.post(
        reverse("steering:programme-cycles"),
        {"action": "settings", "monthly_due_day": "20", "remind_days_before": "5，2", "remind_days_after": "1, 7"},
    )
    assert response.status_code == 302
    summary = client.get(reverse("steering:programme-cycles")).content.decode()
    assert "20日截止" in summary and "5、2" in summary and "7、1" in summary
    assert AuditRecord.objects.filter(action="steering.settings.update").exists()
    cycle, _ = steering_services.cycle_open_monthly(today=datetime.date(2027, 3, 1))
    assert cycle.due_on == datetime.date(2027, 3, 20)
    bad = client.post(
        reverse("steering:programme-cycles"),
        {"action": "settings", "monthly_due_day": "20", "remind_days_before": "三天", "remind_days_after": ""},
    )
    assert bad.status_code == 400 and "提醒天数须为逗号分隔的整数" in _error_messages(bad)
    signed_in(client, city_leader())
    assert (
        client.post(reverse("steering:programme-cycles"), {"action": "settings", "monthly_due_day": "1"}).status_code
        == 404
    )


def test_operator_marks_a_milestone_done_on_the_task_page(client, operator):
    from steering.models import ProgrammeTask

    task = ProgrammeTask.objects.get(code=3)
    milestone = task.milestones.order_by("due_on").first()
    signed_in(client, operator)
    response = client.post(
        reverse("steering:programme-task", args=[3]),
        {
            "milestone": milestone.pk,
            "title": milestone.title,
            "due_on": milestone.due_on.isoformat(),
            "weight": milestone.weight,
            "done_on": "2026-04-28",
            "note": "赛题已于4月28日发布",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("steering:programme-task", args=[3])).content.decode()
    assert "赛题已于4月28日发布" in page and "2026-04-28" in page
    foreign = ProgrammeTask.objects.get(code=1).milestones.first()
    assert (
        client.post(
            reverse("steering:programme-task", args=[3]),
            {"milestone": foreign.pk, "title": "x", "due_on": "2026-01-01", "weight": 1},
        ).status_code
        == 404
    )


def test_the_operators_home_page_lists_the_programmes_work_waiting(client, django_assert_num_queries, reference_data):
    from steering.selectors import operator_work_counts

    operator = operator_user()
    with django_assert_num_queries(3):  # the reports' two counts, the notices, the uses
        assert operator_work_counts() == {"to_review": 0, "red": 0, "notices_to_close": 0, "uses_to_verify": 0}
    client.force_login(operator)
    page = client.get(reverse("accounts:role-home", args=["operator"])).content.decode()
    assert 'data-testid="panel-steering-work"' in page and reverse("steering:programme-review") in page


def test_a_task_is_numbered_in_the_readers_language_and_as_the_policy_in_records(client, reference_data):
    from django.utils import translation

    from steering.models import ProgrammeTask

    task = ProgrammeTask.objects.get(code=3)
    assert task.numeral == "三" and str(task).startswith("任务三：")
    with translation.override("en"):
        assert task.numeral == "3" and str(task).startswith("任务三：")  # records and audit labels keep the policy's
    leader = city_leader()
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("steering:programme-tasks")).content.decode()
    assert "Task 3" in page and "任务三" not in page


def test_the_cycles_page_shows_the_lamp_rules_and_an_operator_saves_one(client, reference_data):
    from steering.models import LampRule

    rule = LampRule.objects.get(kind="silent_days")
    client.force_login(city_leader())
    page = client.get(reverse("steering:programme-cycles")).content.decode()
    assert 'data-testid="lamp-rules"' in page and 'name="action" value="lamp_rule"' not in page  # read-only
    assert "<title>报送期次" in page and "<section" not in page.split("</title>")[0]
    client.force_login(operator_user())
    bad = client.post(reverse("steering:programme-cycles"), {"action": "lamp_rule", "rule": rule.pk, "days": "0"})
    assert bad.status_code == 400
    saved = client.post(
        reverse("steering:programme-cycles"), {"action": "lamp_rule", "rule": rule.pk, "days": "45", "active": "on"}
    )
    assert saved.status_code == 302
    rule.refresh_from_db()
    assert rule.parameters["days"] == 45 and rule.active
    assert client.post(reverse("steering:programme-cycles"), {"action": "lamp_rule", "rule": 999999}).status_code in (
        400,
        404,
    )
