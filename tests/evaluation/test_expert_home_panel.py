# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""An evaluation expert's home page: the rounds in 专家评分 whose 回避承诺 or sheets wait for them."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.choices import RoundStatus
from tests.conftest import home_panel
from tests.evaluation.conftest_rounds import Scene, _reference_data  # noqa: F401
from tests.factories import evaluation as ev

pytestmark = pytest.mark.django_db


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("accounts:role-home", args=["judge"])).content.decode()


def _panel(client, user) -> str:
    return home_panel(client, user, "judge", "evaluation-expert")


def test_the_panel_leads_an_expert_from_the_commitment_to_the_sheet_until_it_is_submitted(client):
    scene = Scene(sign=False)
    expert = scene.experts[1]
    panel = _panel(client, expert)
    assert f"{scene.round.title}：待签署回避承诺" in panel
    assert f'href="{reverse("evaluation:round-commitment", args=[scene.round.pk])}"' in panel
    assert "待评分对象" not in panel

    services.evaluation_commitment_sign(actor=expert, round=scene.round)
    panel = _panel(client, expert)
    assert "待签署回避承诺" not in panel and f"{scene.round.title}：待评分对象 1 个" in panel
    assert f'href="{reverse("evaluation:sheet", args=[scene.subject.pk])}"' in panel

    services.evaluation_sheet_save(actor=expert, subject=scene.subject, points=scene.full_points())  # a draft
    assert "待评分对象 1 个" in _panel(client, expert)
    services.evaluation_sheet_save(actor=expert, subject=scene.subject, points=scene.full_points(), submit=True)
    panel = _panel(client, expert)
    assert "待评分对象" not in panel and "专家评分中的评估均已提交评分。" in panel


def test_no_panel_for_a_judge_on_no_round_in_scoring(client):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT)
    assert 'data-testid="panel-evaluation-expert"' not in _page(client, scene.experts[0])
    outsider = ev.evaluation_round(status=RoundStatus.SCORING, experts=1).experts.get().expert
    assert 'data-testid="panel-evaluation-expert"' in _page(client, outsider)
