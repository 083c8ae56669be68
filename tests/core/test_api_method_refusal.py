"""A method an API address does not take answers 404, not 405, to whoever may not see the object the
address names (config.api_errors): DRF checks the method before it looks the object up."""

import pytest

from tests.factories.scenarios import ScenarioFactory, publisher_user, soe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_a_post_to_a_foreign_draft_is_not_found_and_to_ones_own_not_allowed(client):
    owner = publisher_user(organisation=soe())
    stranger = publisher_user(organisation=soe())
    draft = ScenarioFactory(status="draft", publisher=owner.organisation, created_by=owner)
    address = f"/api/v1/scenarios/{draft.pk}/"

    client.force_login(stranger)
    assert client.get(address).status_code == 404
    assert client.post(address, {}, content_type="application/json").status_code == 404

    client.force_login(owner)
    assert client.get(address).status_code == 200
    assert client.post(address, {}, content_type="application/json").status_code == 405
