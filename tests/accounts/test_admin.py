"""Organisations and people in the system administrator's admin: read-only, changelists of fixed cost."""

import pytest

from accounts.models import Organisation, User
from tests.admin_checks import assert_read_only, changelist_queries, system_administrator
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_system_administrator_reads_people_and_organisations_and_changes_neither(client):
    person = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    client.force_login(system_administrator())
    assert_read_only(client, person)
    assert_read_only(client, person.organisation)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/").content.decode()
    assert "企业用户" in page and person.password not in page  # the roles are shown, the password hash is not


def test_the_people_and_organisation_changelists_take_the_same_queries_for_one_row_as_for_many(client):
    client.force_login(system_administrator())
    counts = {model: changelist_queries(client, model) for model in (User, Organisation)}
    for _ in range(4):
        UserFactory(organisation=OrganisationFactory(), roles=["company"])
    assert {model: changelist_queries(client, model) for model in (User, Organisation)} == counts
