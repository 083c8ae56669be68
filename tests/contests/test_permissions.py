"""contests.permissions: what an operator, a judge, a company, a publisher and a stranger may do."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from contests import permissions, services
from contests.models import ContestEntry
from core.errors import PermissionDenied
from core.permissions import require
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(challenge, entrant, judge, contest_operator):
    """The five kinds of person, and a submitted entry by the entrant with the judge on its panel."""
    move_to(challenge.contest, "registration")
    entry = services.entry_submit(
        actor=entrant,
        entry=services.entry_create(actor=entrant, challenge=challenge, title="视频桩方案", summary="摘要"),
        commitment_accepted=True,
    )
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=judge, is_chair=True)
    return {
        "operator": contest_operator,
        "judge": judge,
        "company": entrant,
        "publisher": challenge.created_by,
        "stranger": UserFactory(organisation=OrganisationFactory()),
        "anonymous": AnonymousUser(),
        "entry": entry,
    }


def _who(people, predicate) -> set[str]:
    return {
        name
        for name in ("operator", "judge", "company", "publisher", "stranger", "anonymous")
        if predicate(people[name])
    }


def test_only_operators_manage_contests_and_officials_oversee_them(people):
    assert _who(people, permissions.may_manage_contest) == {"operator"}
    assert _who(people, permissions.can_oversee_contests) == {"operator"}
    assert permissions.can_oversee_contests(UserFactory(roles=["official"]))
    assert not permissions.may_manage_contest(UserFactory(roles=["official"]))


def test_roles_of_the_contest(people):
    assert _who(people, permissions.is_judge) == {"judge"}
    assert _who(people, permissions.is_company) == {"company"}
    assert _who(people, permissions.can_enter_contests) == {"company"}
    assert _who(people, permissions.can_publish_challenges) == {"publisher"}
    assert not permissions.can_enter_contests(UserFactory(roles=["company"]))  # no organisation
    assert not permissions.can_publish_challenges(UserFactory(roles=["publisher"]))


def test_only_the_lead_company_is_lead_of_the_entry(people):
    entry = people["entry"]
    assert _who(people, lambda user: permissions.is_lead_of(user, entry)) == {"company"}
    colleague = UserFactory(organisation=entry.lead, roles=["company"])
    assert permissions.is_lead_of(colleague, entry)


def test_a_judge_acts_for_themself_and_operators_for_any_judge(people):
    judge = people["judge"]
    assert _who(people, lambda user: permissions.may_act_for_judge(user, judge)) == {"operator", "judge"}


def test_only_the_chair_is_chair(people):
    challenge = people["entry"].challenge
    assert _who(people, lambda user: permissions.is_panel_chair(user, challenge)) == {"judge"}


def test_can_score_needs_an_eligible_entry_the_signed_commitment_and_no_recusal(people):
    entry, judge = people["entry"], people["judge"]
    assert _who(people, lambda user: permissions.can_score(user, entry)) == set()  # not yet eligible, not signed
    move_to(entry.challenge.contest, "eligibility")
    entry = services.entry_review_eligibility(actor=people["operator"], entry=entry, eligible=True)
    assert not permissions.can_score(judge, entry)  # the 回避承诺 is not signed
    services.recusal_commitment_sign(actor=judge, contest=entry.challenge.contest)
    entry = ContestEntry.objects.get(pk=entry.pk)
    assert _who(people, lambda user: permissions.can_score(user, entry)) == {"judge"}
    services.recusal_declare(actor=judge, entry=entry, reason="曾为该企业提供咨询")
    assert not permissions.can_score(judge, entry)


def test_a_conflicted_judge_cannot_score(people):
    entry, operator = people["entry"], people["operator"]
    move_to(entry.challenge.contest, "eligibility")
    entry = services.entry_review_eligibility(actor=operator, entry=entry, eligible=True)
    colleague = UserFactory(organisation=entry.lead, roles=["judge"])  # same organisation as the entrant
    entry.challenge.panel.create(judge=colleague, assigned_by=operator)
    services.recusal_commitment_sign(actor=colleague, contest=entry.challenge.contest)
    assert not permissions.can_score(colleague, entry)


def test_cooperation_parties_are_operators_the_lead_and_the_publisher(people):
    entry = people["entry"]
    assert _who(people, lambda user: permissions.is_cooperation_party(user, entry)) == {
        "operator",
        "company",
        "publisher",
    }


def test_require_answers_404_and_services_refuse_non_operators(people):
    require(True)
    with pytest.raises(Http404):
        require(False)
    permissions.require_contest_manager(people["operator"])
    for name in ("judge", "company", "publisher", "stranger"):
        with pytest.raises(PermissionDenied, match="只有运营管理人员"):
            permissions.require_contest_manager(people[name])


def test_operator_only_api_actions_answer_404_to_everyone_else(people):
    api = APIClient()
    url = reverse("v1:challenge-panel", args=[people["entry"].challenge_id])
    for name in ("judge", "company", "publisher", "stranger"):
        api.force_authenticate(people[name])
        assert api.get(url).status_code == 404, name
    api.force_authenticate(people["operator"])
    assert api.get(url).status_code == 200
