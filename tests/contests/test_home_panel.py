"""The judge's home page: the contests' to-do panel (回避承诺 to sign, sheets to score, the next one
linked) and, for an evaluation expert, the evaluation rounds' to-do."""

import pytest
from django.urls import reverse

from contests import services
from tests.conftest import home_panel
from tests.contests.conftest import full_sheet, make_eligible_entries, make_panel, move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _panel(client, judge) -> str:
    return home_panel(client, judge, "judge", "judge")


def test_a_judges_home_page_shows_the_judging_panel_that_contests_registers(client):
    judge = UserFactory(organisation=OrganisationFactory(kind="institute", name="宁波大学"), roles=["judge"])
    panel = _panel(client, judge)
    assert "评审须知" not in panel and "评审待办" in panel and "工作单位：宁波大学" in panel
    assert "暂无待评分的方案。" in panel
    assert f'href="{reverse("contests:judge-home")}"' in panel


def test_the_panel_leads_a_judge_from_the_commitment_to_each_sheet_until_all_are_submitted(
    client, challenge, contest_operator
):
    entries = make_eligible_entries(challenge, contest_operator, 3)
    chair, judge = make_panel(challenge, contest_operator, 2)
    newcomer = UserFactory(roles=["judge"])
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=newcomer)
    move_to(challenge.contest, "roadshow")

    panel = _panel(client, newcomer)  # on the panel, not yet signed: nothing of the entries shown
    assert "待签署回避承诺" in panel and challenge.contest.name in panel and "待评分方案" not in panel
    services.recusal_commitment_sign(actor=newcomer, contest=challenge.contest)
    panel = _panel(client, newcomer)
    assert "待签署回避承诺" not in panel and "待评分方案 3 份" in panel and "草稿" not in panel
    first = reverse("contests:score-sheet", args=[entries[0].pk])
    assert f'href="{first}"' in panel

    services.sheet_save(actor=newcomer, entry=entries[0], points=full_sheet(challenge.contest), submit=False)
    assert "待评分方案 3 份（其中草稿 1 份）" in _panel(client, newcomer)
    services.sheet_save(actor=newcomer, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    panel = _panel(client, newcomer)
    assert "待评分方案 2 份" in panel and f'href="{reverse("contests:score-sheet", args=[entries[1].pk])}"' in panel
    services.recusal_declare(actor=newcomer, entry=entries[1], reason="与该企业负责人系同学")
    panel = _panel(client, newcomer)
    assert "待评分方案 1 份" in panel and f'href="{reverse("contests:score-sheet", args=[entries[2].pk])}"' in panel
    services.sheet_save(actor=newcomer, entry=entries[2], points=full_sheet(challenge.contest), submit=True)
    assert "暂无待评分的方案。" in _panel(client, newcomer)


def _sheet_button(client, entry) -> str:
    """The label of the entry's button on 我的评审."""
    page = client.get(reverse("contests:judge-home")).content.decode()
    return page.split(f'data-testid="score-{entry.pk}">')[1].split("</a>")[0]


def test_nothing_is_waiting_outside_scoring_or_once_the_chair_has_locked_it(client, challenge, contest_operator):
    entries = make_eligible_entries(challenge, contest_operator, 2)
    chair, judge = make_panel(challenge, contest_operator, 2)
    unsigned = UserFactory(roles=["judge"])
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=unsigned)
    move_to(challenge.contest, "eligibility")  # before the roadshow: signed, but nothing to score yet
    assert "暂无待评分的方案。" in _panel(client, judge)
    assert _sheet_button(client, entries[0]) == "查看方案"  # 我的评审 says the same: the material, not a sheet
    move_to(challenge.contest, "roadshow")
    assert "待评分方案 2 份" in _panel(client, judge)
    assert _sheet_button(client, entries[0]) == "评分"
    services.scoring_lock(actor=chair, challenge=challenge)
    assert "暂无待评分的方案。" in _panel(client, judge)
    assert _sheet_button(client, entries[0]) == "查看方案"
    move_to(challenge.contest, "notice")  # scoring over: an unsigned commitment is no longer asked for
    panel = _panel(client, unsigned)
    assert "待签署回避承诺" not in panel and "暂无待评分的方案。" in panel
