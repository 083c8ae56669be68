"""Who gets into the admin (the 系统管理员 role, nobody else), what it shows them, and that
business records there are read-only while reference data edits are audited."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory

from accounts import services
from accounts.models import District
from capability_list.models import Holiday
from core.admin import ReferenceDataAdmin
from core.models import AuditRecord
from tests.admin_checks import admin_url, system_administrator
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

DOMAIN_CHANGELISTS = [
    "scenarios/scenario",
    "scenarios/domain",
    "capability_list/capabilityentry",
    "capability_list/enquiry",
    "contests/contest",
    "contests/challenge",
    "contests/contestentry",
    "contests/award",
    "accounts/organisation",
]


def test_the_system_administrator_sees_the_domain_models_on_the_admin_index(client):
    client.force_login(system_administrator())
    page = client.get("/admin/").content.decode()
    for path in DOMAIN_CHANGELISTS:
        assert f'href="/admin/{path}/"' in page, path
    assert "auditrecord" not in page  # the audit log is the auditors' (三员分立)
    assert "场景开放门户" in page and "Django" not in page


@pytest.mark.parametrize("path", DOMAIN_CHANGELISTS)
def test_the_system_administrator_opens_each_domain_changelist(client, path):
    client.force_login(system_administrator())
    assert client.get(f"/admin/{path}/").status_code == 200


@pytest.mark.parametrize("model_admin", list(admin.site._registry.values()), ids=lambda model_admin: str(model_admin))
def test_every_registered_changelist_opens_for_the_system_administrator(client, model_admin):
    client.force_login(system_administrator())
    assert client.get(admin_url(model_admin.model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: UserFactory(roles=["auditor"]), id="auditor"),
        pytest.param(
            lambda: UserFactory(organisation=OrganisationFactory(kind="government"), roles=["operator"]), id="operator"
        ),
        pytest.param(
            lambda: UserFactory(organisation=OrganisationFactory(), roles=["company"], is_organisation_admin=True),
            id="company",
        ),
        pytest.param(
            lambda: UserFactory(organisation=OrganisationFactory(kind="government"), roles=["official"]), id="official"
        ),
        pytest.param(lambda: UserFactory(roles=["judge"]), id="judge"),
    ],
)
def test_other_roles_get_no_admin(client, make_user):
    client.force_login(make_user())
    for url in ["/admin/", "/admin/scenarios/scenario/", "/admin/contests/contestentry/", "/admin/accounts/district/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/"), url


def test_the_admin_role_opens_the_admin_and_its_revocation_closes_it(client):
    granter = system_administrator()
    person = UserFactory(roles=[])
    services.role_grant(actor=granter, user=person, role="admin")
    person.refresh_from_db()
    client.force_login(person)
    assert client.get("/admin/scenarios/scenario/").status_code == 200

    services.role_revoke(actor=granter, user=person, role="admin", reason="调岗")
    assert client.get("/admin/scenarios/scenario/").status_code == 302


def test_business_records_are_read_only_for_the_system_administrator_and_a_superuser():
    requests = []
    for user in (system_administrator(), UserFactory(is_staff=True, is_superuser=True)):
        request = RequestFactory().get("/admin/")
        request.user = user
        requests.append(request)
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ReferenceDataAdmin):
            continue
        for request in requests:
            assert model_admin.has_view_permission(request), model_admin
            assert not model_admin.has_add_permission(request), model_admin
            assert not model_admin.has_change_permission(request), model_admin
            assert not model_admin.has_delete_permission(request), model_admin
            for inline in model_admin.get_inline_instances(request):
                assert not (
                    inline.has_add_permission(request, None)
                    or inline.has_change_permission(request)
                    or inline.has_delete_permission(request)
                ), inline


def test_every_changelist_joins_the_foreign_keys_it_shows():
    """The per-app tests count queries on the main changelists; this holds every other one to the
    same rule: a foreign key in list_display is in list_select_related, so no query per row."""
    for model_admin in admin.site._registry.values():
        joined = {path.split("__")[0] for path in model_admin.list_select_related or []}
        for name in model_admin.list_display:
            try:
                field = model_admin.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one or field.one_to_one:
                assert name in joined, f"{model_admin}: {name}"


def test_only_districts_and_holidays_are_edited_in_the_admin():
    editable = {
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ReferenceDataAdmin)
    }
    assert editable == {"DistrictAdmin", "HolidayAdmin"}


def test_a_holiday_added_changed_and_deleted_in_the_admin_is_audited(client):
    sysadmin = system_administrator()
    client.force_login(sysadmin)
    response = client.post(admin_url(Holiday, "add"), {"date": "2026-10-01", "name": "国庆节", "is_working_day": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = Holiday.objects.get(date=datetime.date(2026, 10, 1))
    client.post(
        admin_url(Holiday, "change", holiday.pk), {"date": "2026-10-01", "name": "国庆节（调整）", "is_working_day": ""}
    )
    client.post(admin_url(Holiday, "delete", holiday.pk), {"post": "yes"})

    assert not Holiday.objects.exists()
    records = list(AuditRecord.objects.filter(object_type="capability_list.holiday").order_by("id"))
    assert [(record.action, record.actor) for record in records] == [
        ("holiday.admin_save", sysadmin),
        ("holiday.admin_save", sysadmin),
        ("holiday.admin_delete", sysadmin),
    ]
    assert records[1].changes == [("name", "国庆节", "国庆节（调整）")]


def test_a_district_is_changed_with_an_audit_record_and_never_deleted(client):
    client.force_login(system_administrator())
    district = District.objects.get(code="yinzhou")
    data = {
        "code": district.code,
        "name": district.name,
        "name_en": district.name_en,
        "sort_order": 99,
        "is_active": "",
    }
    assert client.post(admin_url(District, "change", district.pk), data).status_code == 302
    district.refresh_from_db()
    assert district.sort_order == 99 and not district.is_active
    record = AuditRecord.objects.get(action="district.admin_save")
    assert ("is_active", True, False) in record.changes

    assert client.get(admin_url(District, "delete", district.pk)).status_code == 403
    assert District.objects.filter(pk=district.pk).exists()
