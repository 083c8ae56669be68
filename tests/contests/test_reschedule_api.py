"""POST /api/v1/contests/{id}/reschedule/: the same service and rule as the 调整日程 page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import ROUND_FIELDS
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _payload(contest, reason="专家时间冲突", **moves) -> dict:
    starts = {field: contest.round_start(name) for name, field in ROUND_FIELDS.items()}
    return {**{field: value.isoformat() for field, value in {**starts, **moves}.items()}, "reason": reason}


def test_operator_reschedules_through_the_api_and_it_is_audited(make_contest, contest_operator):
    contest = make_contest("registration")
    later = contest.eligibility_open_at + timedelta(hours=12)
    api = APIClient()
    api.force_authenticate(contest_operator)
    response = api.post(
        reverse("v1:contest-reschedule", args=[contest.pk]), _payload(contest, eligibility_open_at=later), format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["current_round"] == "registration"
    contest.refresh_from_db()
    assert contest.eligibility_open_at == later
    assert AuditRecord.objects.get(action="contest.reschedule").reason == "专家时间冲突"


def test_reopening_a_round_is_a_400_with_the_reason(make_contest, contest_operator):
    contest = make_contest("eligibility")
    api = APIClient()
    api.force_authenticate(contest_operator)
    response = api.post(
        reverse("v1:contest-reschedule", args=[contest.pk]),
        _payload(contest, eligibility_open_at=timezone.now() + timedelta(hours=3)),
        format="json",
    )
    assert response.status_code == 400 and "已经开始" in response.json()["detail"]
    assert not AuditRecord.objects.filter(action="contest.reschedule").exists()


def test_others_may_not_reschedule_and_a_missing_contest_is_404(make_contest, contest_operator):
    contest = make_contest("challenges")
    api = APIClient()
    api.force_authenticate(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert (
        api.post(reverse("v1:contest-reschedule", args=[contest.pk]), _payload(contest), format="json").status_code
        == 404
    )
    api.force_authenticate(contest_operator)
    assert (
        api.post(reverse("v1:contest-reschedule", args=[999999]), _payload(contest), format="json").status_code == 404
    )
    response = api.post(reverse("v1:contest-reschedule", args=[contest.pk]), {"reason": ""}, format="json")
    assert response.status_code == 400
