import pytest
from django.urls import reverse

from contests.models import EligibilityRule

pytestmark = pytest.mark.django_db


def test_public_pages_list_contests_and_open_challenges(client, challenge):
    page = client.get(reverse("contests:list")).content.decode()
    assert challenge.contest.name in page and "发榜" in page
    page = client.get(reverse("contests:detail", args=[challenge.contest.pk])).content.decode()
    assert "智慧停车管理系统" in page and "¥800,000.00" in page and "场景需求理解" in page
    assert 'data-testid="eligibility-rules"' not in page


def test_operator_rule_editor_explains_the_policy_and_offers_no_size_rule(client, challenge, contest_operator):
    client.force_login(contest_operator)
    page = client.get(reverse("contests:detail", args=[challenge.contest.pk])).content.decode()
    assert "不得仅以企业规模、市场业绩等为由限制参与资格" in page
    assert "规模" not in page.split('data-testid="eligibility-rules"')[1].split("policy-note")[1].split("</p>", 1)[1]
    client.post(reverse("contests:eligibility-rules", args=[challenge.contest.pk]), {"kinds": ["listed_capability"]})
    assert list(EligibilityRule.objects.values_list("kind", flat=True)) == ["listed_capability"]
    response = client.post(reverse("contests:eligibility-rules", args=[challenge.contest.pk]), {"kinds": ["annual_revenue"]}, follow=True)
    assert "不得涉及企业规模或市场业绩" in response.content.decode()
    assert list(EligibilityRule.objects.values_list("kind", flat=True)) == ["listed_capability"]


def test_entry_pages_are_private_and_panel_pages_are_for_operators(client, challenge, entrant):
    from contests import services
    from tests.contests.conftest import move_to
    from tests.factories.accounts import OrganisationFactory, UserFactory

    move_to(challenge.contest, "registration")
    entry = services.entry_create(actor=entrant, challenge=challenge, title="方案", summary="摘要")
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("contests:entry-detail", args=[entry.pk])).status_code == 404
    assert client.post(reverse("contests:entry-detail", args=[entry.pk]), {"action": "submit", "credit_commitment": "on"}).status_code == 404
    assert client.get(reverse("contests:panel", args=[challenge.pk])).status_code == 404
    client.force_login(entrant)
    page = client.get(reverse("contests:entry-detail", args=[entry.pk])).content.decode()
    assert "信用承诺" in page and "本单位承诺" in page


def test_unknown_consortium_member_code_is_a_form_error(client, challenge, entrant):
    from tests.contests.conftest import move_to

    move_to(challenge.contest, "registration")
    client.force_login(entrant)
    response = client.post(reverse("contests:entry-create", args=[challenge.pk]), {"title": "方案", "summary": "摘要", "member_codes": "91330212MA2AXXXXXJ"})
    assert response.status_code == 200 and "未找到这些信用代码对应的单位" in response.content.decode()
