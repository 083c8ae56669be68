"""The operator's home: every count card is a link to the list it counts, filtered to what it counts."""

import re

import pytest
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


def _stat_links(page: str) -> dict:
    """{data-testid: (href, number)} of every count shown as a stat."""
    return {
        testid: (href.replace("&amp;", "&"), int(number))
        for href, testid, number in re.findall(
            r'<a class="stat" href="([^"]+)" data-testid="([^"]+)">\s*(\d+)\s*</a>', page
        )
    }


def test_every_count_card_links_to_the_list_it_counts(client, operator):
    OrganisationFactory.create_batch(2, verification_status="pending")
    EntryFactory.create_batch(3, status="submitted")
    ScenarioFactory(status="submitted")
    client.force_login(operator)
    page = client.get(reverse("accounts:role-home", args=["operator"])).content.decode()
    links = _stat_links(page)
    assert links["pending-count"] == (reverse("accounts:operator-organisations") + "?verification_status=pending", 2)
    assert links["capability-review-count"] == (reverse("capability_list:review-queue"), 3)
    assert links["scenario-review-count"] == (reverse("scenarios:review-queue"), 1)
    assert links["eligibility-count"] == (reverse("contests:eligibility-queue") + "?status=submitted", 0)
    assert links["case-queue-count"] == (reverse("evaluation:case-queue"), 0)
    assert '<div class="stat"' not in page  # no count left that is not a link
    assert reverse("contests:create") in page
    # …and each list shows as many rows as its card said.
    for testid, (href, count) in links.items():
        listing = client.get(href).content.decode()
        rows = listing.split("<tbody>")[1].split("</tbody>")[0]
        assert rows.count("<tr") == max(count, 1), testid
