"""The person of a signed-in request is loaded with their roles and unread count in one query
(issue #20: they were two more queries on every page), and both are read fresh on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import person_signed_in
from accounts.services.roles import role_assign
from core import services as core_services
from core.selectors import unread_notification_count
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    person = UserFactory(organisation=OrganisationFactory(kind="company"), roles=["company"])
    client.force_login(person)
    return person


def test_a_page_loads_the_roles_and_unread_count_with_the_person(client, member):
    core_services.notify(recipients=[member], title="机构已通过认证", email=False)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("matching:recommendations")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum(sql.startswith('SELECT "accounts_user"."id"') for sql in statements) == 1
    separate = ('SELECT "accounts_roleassignment"', 'SELECT COUNT(*) AS "__count" FROM "core_notification"')
    assert not [sql for sql in statements if sql.startswith(separate)]


def test_the_person_carries_every_role_held_and_none_without_any():
    person = UserFactory(roles=["company", "judge"])
    assert person_signed_in(person.pk).roles == frozenset({"company", "judge"})
    assert person_signed_in(UserFactory(roles=[]).pk).roles == frozenset()
    assert person_signed_in(0) is None


def test_a_role_granted_or_revoked_counts_from_the_next_request(client, member):
    url = reverse("matching:recommendations")
    member.role_assignments.all().delete()
    assert client.get(url).status_code == 404
    role_assign(actor=None, user=member, role="company")
    assert client.get(url).status_code == 200


def test_the_unread_count_follows_new_and_read_messages(client, member):
    core_services.notify(recipients=[member], title="新的邀请", email=False)
    core_services.notify(recipients=[member], title="场景已发布", email=False)
    assert 'data-testid="unread-count">2<' in client.get(reverse("core:notifications")).content.decode()
    client.post(reverse("core:notifications-read-all"))
    assert 'data-testid="unread-count"' not in client.get(reverse("core:notifications")).content.decode()


def test_marking_read_forgets_the_count_loaded_with_the_person(member):
    core_services.notify(recipients=[member], title="新的邀请", email=False)
    person = person_signed_in(member.pk)
    assert unread_notification_count(person) == 1
    core_services.notification_mark_read(user=person)
    assert unread_notification_count(person) == 0


def test_a_message_to_the_person_forgets_the_count_loaded_with_them(member):
    person = person_signed_in(member.pk)
    assert unread_notification_count(person) == 0
    core_services.notify(recipients=[person], title="新的邀请", email=False)
    assert unread_notification_count(person) == 1
