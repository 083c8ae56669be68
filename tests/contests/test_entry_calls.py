""" "我要揭榜" wherever an open challenge shows: the scenario's page, the open-challenge list and the
company's 推荐场景 — a button for company users while registration is open, the way to the entry
their organisation already made, or when registration opens or closed."""

import pytest
from django.urls import reverse

from contests import services
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def _company(name="宁波甬视智能科技有限公司", **kwargs):
    return UserFactory(organisation=OrganisationFactory(name=name, **kwargs), roles=["company"])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_company_user_enters_an_open_challenge_from_its_scenario_page(client, challenge):
    move_to(challenge.contest, "registration")
    client.force_login(_company())
    page = _page(client, reverse("scenarios:detail", args=[challenge.scenario_id]))
    assert f'data-testid="enter-challenge-{challenge.pk}"' in page
    assert reverse("contests:entry-create", args=[challenge.pk]) in page and "我要揭榜" in page


def test_no_button_for_people_who_may_not_enter_only_when_registration_closes(client, challenge):
    move_to(challenge.contest, "registration")
    url = reverse("scenarios:detail", args=[challenge.scenario_id])
    for reader in (None, challenge.scenario.created_by, UserFactory(organisation=OrganisationFactory(), roles=[])):
        client.logout()
        if reader:
            client.force_login(reader)
        page = _page(client, url)
        assert reverse("contests:entry-create", args=[challenge.pk]) not in page
        assert "揭榜报名进行中" in page and "企业用户登录后可揭榜" in page


def test_before_registration_the_page_says_when_it_opens_and_after_when_it_closed(client, challenge):
    client.force_login(_company())
    url = reverse("scenarios:detail", args=[challenge.scenario_id])
    page = _page(client, url)  # 发榜: registration not yet open
    assert "揭榜报名将于" in page and reverse("contests:entry-create", args=[challenge.pk]) not in page
    move_to(challenge.contest, "roadshow")
    page = _page(client, url)
    assert (
        "揭榜报名已于" in page and "截止" in page and reverse("contests:entry-create", args=[challenge.pk]) not in page
    )


def test_an_unverified_company_is_told_to_get_verified_first(client, challenge):
    move_to(challenge.contest, "registration")
    client.force_login(_company(verification_status="pending"))
    page = _page(client, reverse("contests:open-challenges"))
    assert "通过机构认证后方可揭榜" in page and reverse("contests:entry-create", args=[challenge.pk]) not in page


def test_a_company_that_entered_is_led_to_its_entry_as_lead_or_member(client, challenge):
    move_to(challenge.contest, "registration")
    lead, member = _company(), _company("余姚光电智造有限公司")
    entry = services.entry_create(
        actor=lead, challenge=challenge, title="车位检测方案", summary="视频车位检测。", members=[member.organisation]
    )
    for user in (lead, member):
        client.force_login(user)
        for url in (reverse("contests:open-challenges"), reverse("scenarios:detail", args=[challenge.scenario_id])):
            page = _page(client, url)
            assert f'data-testid="entry-challenge-{challenge.pk}"' in page and "查看我的揭榜" in page
            assert reverse("contests:entry-detail", args=[entry.pk]) in page
            assert reverse("contests:entry-create", args=[challenge.pk]) not in page


def test_the_open_challenge_list_answers_in_fixed_queries(client, challenge, django_assert_num_queries):
    move_to(challenge.contest, "registration")
    company = _company()
    client.force_login(company)
    client.get(reverse("contests:open-challenges"))  # warm the session
    # session, user (with roles and unread count) (the menu's items from the cache); the
    # challenges (with their domains), the reader's own entries among them, the reader's organisation
    with django_assert_num_queries(5):
        client.get(reverse("contests:open-challenges"))
    move_to(challenge.contest, "challenges")
    for number in range(3):
        scenario = ScenarioFactory(status="published", title=f"第{number}个场景")
        services.challenge_create(
            actor=scenario.created_by,
            contest=challenge.contest,
            scenario=scenario,
            award_cap="100000",
            requirements="要求",
        )
    move_to(challenge.contest, "registration")
    services.entry_create(actor=company, challenge=challenge, title="车位检测方案", summary="视频车位检测。")
    with django_assert_num_queries(6):
        page = client.get(reverse("contests:open-challenges")).content.decode()
    assert page.count('data-testid="open-challenge"') == 4 and page.count("我要揭榜") == 3


def test_recommended_scenarios_carry_the_call_to_enter(client, challenge):
    move_to(challenge.contest, "registration")
    company = _company()
    entry = EntryFactory(company=company.organisation, status="listed", name="路侧高位视频车位检测系统")
    match_for(challenge.scenario, entry)
    other = ScenarioFactory(status="published", title="不在大赛中的场景")
    match_for(other, entry, score=60.0)
    client.force_login(company)
    page = _page(client, reverse("matching:recommendations"))
    assert page.count('data-testid="recommendation-row"') == 2
    assert page.count("我要揭榜") == 1
    assert reverse("contests:entry-create", args=[challenge.pk]) in page


def test_recommended_scenarios_calls_follow_the_moment_and_the_reader_though_the_rows_are_stored(client, challenge):
    """The rows of 推荐场景 are kept in the cache (matching.recommendation_rows); the calls are not:
    registration opening, or the company having entered, shows on the next visit."""
    company = _company()
    match_for(challenge.scenario, EntryFactory(company=company.organisation, status="listed"))
    client.force_login(company)
    url, entering = reverse("matching:recommendations"), reverse("contests:entry-create", args=[challenge.pk])
    page = _page(client, url)  # 发榜: the rows are stored with registration not yet open
    assert "揭榜报名将于" in page and entering not in page
    move_to(challenge.contest, "registration")
    assert entering in _page(client, url)
    services.entry_create(actor=company, challenge=challenge, title="车位检测方案", summary="视频车位检测。")
    assert entering not in _page(client, url)


def test_a_contest_rescheduled_to_open_gives_its_call_on_a_stored_recommendations_page(client, challenge):
    """The stored rows remember which scenarios have calls (none while the contest is ahead): a change
    of the contest's dates makes that stale."""
    from datetime import timedelta

    from django.db.models import F

    from contests.models import ROUND_FIELDS, Contest

    later = timedelta(days=3)  # the contest not yet open, written without a signal
    Contest.objects.filter(pk=challenge.contest_id).update(
        **{field: F(field) + later for field in ROUND_FIELDS.values()}
    )
    company = _company()
    match_for(challenge.scenario, EntryFactory(company=company.organisation, status="listed"))
    client.force_login(company)
    url = reverse("matching:recommendations")
    assert "scenario-call" not in _page(client, url)
    move_to(Contest.objects.get(pk=challenge.contest_id), "registration")
    assert reverse("contests:entry-create", args=[challenge.pk]) in _page(client, url)


def test_stored_recommendations_rows_last_no_longer_than_until_a_contest_opens_its_challenges(
    client, challenge, monkeypatch
):
    """A contest about to open: its scenario has no call yet, and gets one at that moment without a write."""
    from datetime import timedelta

    from django.db.models import F

    from contests.models import ROUND_FIELDS, Contest
    from matching import recommendation_rows

    shift = timedelta(hours=1, seconds=90)  # challenges open 90 s from now, the other rounds after
    Contest.objects.filter(pk=challenge.contest_id).update(
        **{field: F(field) + shift for field in ROUND_FIELDS.values()}
    )
    stored = []
    monkeypatch.setattr(
        recommendation_rows, "scope_store", lambda key, version, value, timeout: stored.append((value, timeout))
    )
    company = _company()
    match_for(challenge.scenario, EntryFactory(company=company.organisation, status="listed"))
    client.force_login(company)
    assert "scenario-call" not in _page(client, reverse("matching:recommendations"))
    ((_rows, _pagination, with_calls), timeout) = stored[0]
    assert with_calls == [] and 0 < timeout <= 90
