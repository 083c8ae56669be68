""" "我的揭榜": a company finds its own entries in every state, each with its next step."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from contests import services
from contests.choices import EntryStatus, Round
from contests.entry_steps import next_step
from tests.contests.conftest import make_eligible_entries, move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _company(name):
    return UserFactory(organisation=OrganisationFactory(name=name), roles=["company"])


def test_the_lead_and_a_consortium_member_each_find_the_entry_with_their_next_step(client, challenge):
    move_to(challenge.contest, "registration")
    lead, member = _company("宁波甬视智能科技有限公司"), _company("余姚光电智造有限公司")
    entry = services.entry_create(
        actor=lead, challenge=challenge, title="车位检测方案", summary="视频车位检测。", members=[member.organisation]
    )
    client.force_login(lead)
    page = client.get(reverse("contests:my-entries")).content.decode()
    assert "车位检测方案" in page and "牵头单位" in page and "完善方案并签署信用承诺后提交" in page
    client.force_login(member)
    page = client.get(reverse("contests:my-entries")).content.decode()
    assert "车位检测方案" in page and "联合体成员" in page and "答复联合体邀请" in page
    assert reverse("contests:entry-detail", args=[entry.pk]) in page


def test_an_ineligible_entry_says_why(client, challenge, contest_operator):
    move_to(challenge.contest, "registration")
    lead = _company("宁波新材锐科材料有限公司")
    entry = services.entry_create(actor=lead, challenge=challenge, title="新材料方案", summary="方案摘要。")
    services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    services.entry_review_eligibility(actor=contest_operator, entry=entry, eligible=False, reason="缺少检测报告")
    client.force_login(lead)
    page = client.get(reverse("contests:my-entries")).content.decode()
    assert "资格审查未通过：缺少检测报告" in page


def test_no_one_sees_another_organisations_entries_and_membership_is_not_a_role(client, challenge, contest_operator):
    (entry,) = make_eligible_entries(challenge, contest_operator, 1)
    client.force_login(_company("宁波别家科技有限公司"))
    assert 'data-testid="my-entry"' not in client.get(reverse("contests:my-entries")).content.decode()
    colleague_without_role = UserFactory(organisation=entry.lead, roles=[])
    client.force_login(colleague_without_role)
    assert client.get(reverse("contests:my-entries")).status_code == 404
    client.force_login(UserFactory(organisation=entry.lead, roles=["judge"]))
    assert client.get(reverse("contests:my-entries")).status_code == 404


def test_the_list_answers_in_fixed_queries(client, challenge, contest_operator, django_assert_num_queries):
    second = _another_challenge(challenge)  # while 发榜 is open
    move_to(challenge.contest, "registration")
    lead = _company("宁波海智物联网技术有限公司")
    partner = OrganisationFactory(name="宁波伙伴有限公司")
    services.entry_create(actor=lead, challenge=challenge, title="方案一", summary="摘要。", members=[partner])
    client.force_login(lead)
    client.get(reverse("contests:my-entries"))

    def count():
        with django_assert_num_queries(5) as captured:  # the menu's items from the cache
            client.get(reverse("contests:my-entries"))
        return len(captured.captured_queries)

    # session, user (with roles and unread messages) and the evaluation items (menu); the entries with
    # challenge, contest, scenario, lead, award, agreement and slot joined; their consortium
    # members, and the members' organisations
    small = count()
    others = [OrganisationFactory(name=f"宁波伙伴{number}有限公司") for number in range(3)]
    services.entry_create(actor=lead, challenge=second, title="方案二", summary="摘要。", members=others)
    assert count() == small


def _another_challenge(challenge):
    from tests.factories.scenarios import ScenarioFactory

    scenario = ScenarioFactory(status="published", title="智慧公厕管理")
    return services.challenge_create(
        actor=scenario.created_by,
        contest=challenge.contest,
        scenario=scenario,
        award_cap="500000",
        requirements="覆盖全部公厕",
    )


def _stub(status, *, current, award=None, agreement=None, slot=None, members=(), lead_id=1):
    order = [choice.value for choice in Round]
    contest = SimpleNamespace(
        pk=9,
        current_round=lambda now=None: current,
        is_at_or_after=lambda name, now=None: order.index(current) >= order.index(name),
    )
    return SimpleNamespace(
        pk=5,
        lead_id=lead_id,
        status=status,
        eligibility_note="",
        challenge=SimpleNamespace(contest=contest),
        members=SimpleNamespace(all=lambda: list(members)),
        award=award,
        agreement=agreement,
        roadshow_slot=slot,
    )


@pytest.mark.parametrize(
    "entry, expected, urgent",
    [
        (_stub(EntryStatus.SUBMITTED, current="eligibility"), "等待资格审查", False),
        (_stub(EntryStatus.ELIGIBLE, current="eligibility"), "资格审查通过，等待路演安排", False),
        (_stub(EntryStatus.ELIGIBLE, current="review"), "等待评审结果", False),
        (_stub(EntryStatus.ELIGIBLE, current="notice"), "查看公示（公示期内可提出异议）", False),
        (_stub(EntryStatus.ELIGIBLE, current="results"), "查看结果发布", False),
        (_stub(EntryStatus.ELIGIBLE, current="results", award=object()), "获得奖励，协商联合攻关任务书", True),
        (
            _stub(EntryStatus.ELIGIBLE, current="results", award=object(), agreement=object()),
            "获得奖励，按任务书推进并报送进展",
            True,
        ),
        (_stub(EntryStatus.DRAFT, current="eligibility"), "报名已截止，方案未提交", False),
        (_stub(EntryStatus.WITHDRAWN, current="results"), "方案已撤回", False),
    ],
)
def test_each_state_has_its_next_step(entry, expected, urgent):
    step = next_step(entry, organisation_id=1)
    assert step.text == expected and step.urgent == urgent
