"""Helpers for the admin tests of each app: the system administrator, what a changelist costs, and
the refusals a read-only admin gives."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import UserFactory


def system_administrator():
    """A 系统管理员 as accounts.services.people makes one: the role, and is_staff with it."""
    return UserFactory(roles=["admin"], is_staff=True)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist_queries(client, model) -> int:
    """The number of queries the model's changelist takes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200, response
    return len(queries)


def assert_read_only(client, instance) -> None:
    """The record can be looked at, and not added, changed or deleted, through the admin."""
    model = type(instance)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    view = client.get(admin_url(model, "change", instance.pk))
    assert view.status_code == 200 and b'name="_save"' not in view.content
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", instance.pk), {}).status_code == 403
    assert client.get(admin_url(model, "delete", instance.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", instance.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=instance.pk).exists()
