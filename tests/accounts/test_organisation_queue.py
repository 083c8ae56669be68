"""The organisation verification queue: its search, and a decision on the organisation's page that
goes back to the queue as the operator left it."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("accounts:operator-organisations") + "?q=%E7%94%AC%E8%A7%86&verification_status=pending"


def test_search_finds_the_organisation_and_links_it_with_the_way_back(client, operator):
    wanted = OrganisationFactory(name="宁波甬视智能科技有限公司", verification_status="pending")
    OrganisationFactory(name="宁波云付科技有限公司", verification_status="pending")
    client.force_login(operator)
    page = client.get(QUEUE).content.decode()
    assert "宁波云付科技有限公司" not in page
    link = f"{reverse('accounts:operator-organisation-detail', args=[wanted.pk])}?back={quote(QUEUE, safe='/')}"
    assert link in page
    assert 'name="back"' in client.get(link).content.decode()


def test_verifying_goes_back_to_the_filtered_queue(client, operator):
    pending = OrganisationFactory(verification_status="pending")
    client.force_login(operator)
    response = client.post(
        reverse("accounts:operator-organisation-detail", args=[pending.pk]), {"action": "verify", "back": QUEUE}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    pending.refresh_from_db()
    assert pending.is_verified


def test_returning_goes_back_to_the_queue_and_nowhere_else(client, operator):
    pending = OrganisationFactory(verification_status="pending")
    client.force_login(operator)
    response = client.post(
        reverse("accounts:operator-organisation-detail", args=[pending.pk]),
        {"action": "reject", "reason": "营业执照与名称不符", "back": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:operator-organisation-detail", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.verification_status == "rejected"
