"""The operators' contest pages: 新建大赛, 调整日程 with its history, and the 资格审查 queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import ROUND_FIELDS, Contest
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


def _round_inputs(first_start) -> dict:
    """The seven datetime-local inputs, one day apart from `first_start`."""
    return {name: _local(first_start + timedelta(days=index)) for index, name in enumerate(ROUND_FIELDS.values())}


def _contest_post(**changes) -> dict:
    data = {
        "name": "2027 宁波场景大赛",
        "year": "2027",
        "award_budget": "3000000",
        "entries_per_company": "2",
        "description": "面向城市治理场景。",
        **_round_inputs(timezone.now() + timedelta(days=1)),
    }
    return {**data, **changes}


def test_only_operators_see_and_open_the_contest_form(client, contest_operator):
    assert "新建大赛" not in client.get(reverse("contests:list")).content.decode()
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert "新建大赛" not in client.get(reverse("contests:list")).content.decode()
    assert client.get(reverse("contests:create")).status_code == 404
    assert client.post(reverse("contests:create"), _contest_post()).status_code == 404
    client.force_login(contest_operator)
    assert reverse("contests:create") in client.get(reverse("contests:list")).content.decode()
    page = client.get(reverse("contests:create")).content.decode()
    assert 'type="datetime-local"' in page and "结果发布" in page
    assert not Contest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"award_budget": "0"}, "奖励预算应大于 0。"),
        ({"award_budget": "三百万"}, "输入一个数字。"),
        ({"entries_per_company": "0"}, "确保该值大于或等于1。"),
        ({"year": "二〇二七"}, "输入整数。"),
        ({"notice_open_at": ""}, "该字段是必填项。"),
    ],
)
def test_bad_contest_input_is_a_chinese_form_error_and_stores_nothing(client, contest_operator, changes, message):
    client.force_login(contest_operator)
    response = client.post(reverse("contests:create"), _contest_post(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contest.objects.exists() and not AuditRecord.objects.filter(action="contest.create").exists()


def test_rounds_out_of_order_are_refused_on_the_form(client, contest_operator):
    client.force_login(contest_operator)
    inputs = _round_inputs(timezone.now() + timedelta(days=1))
    inputs["roadshow_open_at"], inputs["eligibility_open_at"] = (
        inputs["eligibility_open_at"],
        inputs["roadshow_open_at"],
    )
    response = client.post(reverse("contests:create"), _contest_post(**inputs))
    assert response.status_code == 400
    assert "各阶段的开始时间须依次递增" in response.content.decode()
    assert not Contest.objects.exists()


def test_a_created_contest_lands_on_its_page_with_the_next_steps(client, contest_operator):
    client.force_login(contest_operator)
    response = client.post(reverse("contests:create"), _contest_post())
    contest = Contest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("contests:detail", args=[contest.pk])
    assert contest.award_budget == 3000000 and contest.entries_per_company == 2 and contest.year == 2027
    assert contest.created_by == contest_operator and contest.criteria.count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "大赛已创建" in page
    for link in (
        reverse("contests:rubric", args=[contest.pk]),
        reverse("contests:reschedule", args=[contest.pk]),
        f"{reverse('contests:eligibility-queue')}?contest={contest.pk}",
        "#eligibility-rules",
    ):
        assert link in page


def test_reschedule_page_is_for_operators_only(client, make_contest):
    contest = make_contest("registration")
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["publisher"]))
    assert client.get(reverse("contests:reschedule", args=[contest.pk])).status_code == 404
    assert "日程调整记录" not in client.get(reverse("contests:detail", args=[contest.pk])).content.decode()


def _schedule_post(contest, reason="专家时间冲突", **moves) -> dict:
    data = {field: _local(contest.round_start(name)) for name, field in ROUND_FIELDS.items()}
    return {**data, **{field: _local(value) for field, value in moves.items()}, "reason": reason}


def test_reopening_a_finished_round_is_refused_on_the_form(client, make_contest, contest_operator):
    contest = make_contest("eligibility")
    before = {field: getattr(contest, field) for field in ("registration_open_at", "eligibility_open_at")}
    client.force_login(contest_operator)
    response = client.post(
        reverse("contests:reschedule", args=[contest.pk]),
        _schedule_post(contest, eligibility_open_at=timezone.now() + timedelta(hours=2)),
    )
    assert response.status_code == 400
    assert "“资格审查”阶段已经开始，不能把开始时间改到将来。" in response.content.decode()
    contest.refresh_from_db()
    assert {field: getattr(contest, field) for field in before} == before


def test_a_reason_is_required(client, make_contest, contest_operator):
    contest = make_contest("challenges")
    client.force_login(contest_operator)
    response = client.post(reverse("contests:reschedule", args=[contest.pk]), _schedule_post(contest, reason=""))
    assert response.status_code == 400 and "该字段是必填项。" in response.content.decode()
    assert not AuditRecord.objects.filter(action="contest.reschedule").exists()


def test_a_rescheduled_round_shows_in_the_history_and_untouched_rounds_keep_their_seconds(
    client, make_contest, contest_operator
):
    contest = make_contest("registration")
    untouched = contest.registration_open_at  # carries seconds the minute inputs do not show
    assert untouched.second or untouched.microsecond
    later = (contest.eligibility_open_at + timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(contest_operator)
    page = client.get(reverse("contests:reschedule", args=[contest.pk])).content.decode()
    assert "进行中" in page and "揭榜报名" in page
    response = client.post(
        reverse("contests:reschedule", args=[contest.pk]),
        _schedule_post(contest, reason="报名延长一天", eligibility_open_at=later),
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.eligibility_open_at == later and contest.registration_open_at == untouched
    record = AuditRecord.objects.get(action="contest.reschedule")
    assert record.actor == contest_operator
    page = client.get(reverse("contests:detail", args=[contest.pk])).content.decode()
    history = page.split('data-testid="schedule-history"')[1]
    assert "报名延长一天" in history and contest_operator.display_name in history
    assert f"资格审查：{timezone.localtime(later - timedelta(days=1)):%Y-%m-%d}" in history
    assert f"→ {timezone.localtime(later):%Y-%m-%d %H:%M}" in history
    assert "揭榜报名：" not in history  # only the rounds that moved
