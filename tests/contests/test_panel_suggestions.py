"""The panel page's suggested judges read the judges' declared fields: 领域匹配 and its reasons."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contests import selectors, services
from contests.models import Challenge, JudgeProfile
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _judge(fields, organisation=None):
    judge = UserFactory(organisation=organisation or OrganisationFactory(kind="institute"), roles=["judge"])
    JudgeProfile.objects.create(user=judge, fields=fields)
    return judge


def _suggestions(challenge):
    """As the panel page reads them: the challenge with its scenario."""
    challenge = Challenge.objects.select_related("contest", "scenario").get(pk=challenge.pk)
    return {row.judge: row for row in selectors.suggest_judges(challenge)}, selectors.suggest_judges(challenge)


def test_a_judge_whose_fields_fall_in_the_challenge_domain_ranks_above_one_whose_fields_do_not(challenge):
    # The challenge's scenario is a 城市治理 · 交通 scenario (智慧停车管理系统, need 车牌识别).
    outsider = _judge(["新材料", "储能"])
    same_category = _judge(["智慧城管"])
    same_domain = _judge(["智慧交通规划"])
    rows, ordered = _suggestions(challenge)
    assert [row.judge for row in ordered][:3] == [same_domain, same_category, outsider]
    assert rows[same_domain].fit == Decimal("1")
    assert rows[same_domain].reasons == ["“智慧交通规划”对应场景领域“交通”（+1）"]
    assert rows[same_category].fit == Decimal("0.5")
    assert rows[same_category].reasons == ["“智慧城管”与场景领域“交通”同属“城市治理”大类（+0.5）"]
    assert rows[outsider].fit == 0
    assert rows[outsider].reasons == ["专业领域与本场景无交集"]


def test_the_figure_adds_up_what_matched_and_each_reason_names_it(challenge):
    # 号牌识别 is the synonym list's variant of 车牌识别, the scenario's need; 边缘计算 is one of
    # the usual technology fields of 交通 scenarios; 城市治理 is the domain's category.
    judge = _judge(["城市治理", "号牌识别", "边缘计算", "新材料"])
    rows, _ordered = _suggestions(challenge)
    assert rows[judge].fit == Decimal("1.25")
    assert rows[judge].reasons == [
        "“城市治理”是场景领域“交通”所属的大类（+0.5）",
        "“号牌识别”见于技术需求“车牌识别”（+0.5）",
        "“边缘计算”是交通场景的常用技术领域（+0.25）",
    ]


def test_a_field_found_in_the_scenario_title_counts_and_an_empty_profile_says_so(challenge):
    judge = _judge(["智慧停车"])
    blank = UserFactory(roles=["judge"])
    rows, _ordered = _suggestions(challenge)
    assert rows[judge].fit == Decimal("0.5") and rows[judge].reasons == ["“智慧停车”见于场景名称（+0.5）"]
    assert rows[blank].fit == 0 and rows[blank].reasons == ["未填写专业领域"]


def test_a_conflicted_judge_is_never_suggested_however_well_the_fields_fit(challenge, judge):
    publisher_staff = _judge(["交通", "车牌识别"], organisation=challenge.scenario.publisher)
    drafter = _judge(["交通", "车牌识别"])
    challenge.drafters.add(drafter)
    rows, _ordered = _suggestions(challenge)
    assert judge in rows
    assert publisher_staff not in rows and drafter not in rows


def test_judges_already_on_the_panel_are_not_suggested_and_workload_breaks_ties(
    challenge, contest_operator, make_contest
):
    from tests.factories.scenarios import ScenarioFactory

    member, busy, free = _judge(["交通"]), _judge(["交通"]), _judge(["交通"])
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=member)
    other = ScenarioFactory(status="published", title="公交站台客流监测")
    other_challenge = services.challenge_create(
        actor=other.created_by, contest=challenge.contest, scenario=other, award_cap="100000", requirements="要求"
    )
    services.panel_assign(actor=contest_operator, challenge=other_challenge, judge=busy)
    rows, ordered = _suggestions(challenge)
    assert member not in rows
    assert [row.judge for row in ordered][:2] == [free, busy] and rows[busy].load == 1


def _count_queries(django_assert_num_queries, challenge, expected):
    challenge = Challenge.objects.select_related("contest", "scenario").get(pk=challenge.pk)
    with django_assert_num_queries(expected):
        return selectors.suggest_judges(challenge, limit=100)


def test_suggestions_cost_the_same_queries_whatever_the_number_of_judges(challenge, django_assert_num_queries):
    for fields in (["交通"], ["车牌识别"]):
        _judge(fields)
    # domains, need items, the domain's usual fields, the judges (with profiles, organisations and
    # workload); then the conflicts: entries, consortium members, declared employers' codes,
    # declared relationships, drafters (the organisations' credit codes only beside a declared
    # employer's code, which no judge here has).
    assert len(_count_queries(django_assert_num_queries, challenge, 9)) == 2
    for index in range(8):
        services.relationship_declare(
            actor=(judge := _judge(["智慧城管", f"领域{index}"])),
            judge=judge,
            organisation=OrganisationFactory(kind="company"),
            kind="collaboration",
        )
    assert len(_count_queries(django_assert_num_queries, challenge, 9)) == 10


def test_the_panel_page_shows_the_figure_and_what_matched(client, challenge, contest_operator):
    judge = _judge(["交通", "车牌识别"])
    client.force_login(contest_operator)
    page = client.get(reverse("contests:panel", args=[challenge.pk])).content.decode()
    row = page.split(f'data-testid="suggestion-{judge.username}"')[1].split("</tr>")[0]
    assert '<strong data-testid="fit">1.5</strong>' in row
    assert "“交通”对应场景领域“交通”（+1）" in row and "“车牌识别”见于技术需求“车牌识别”（+0.5）" in row
