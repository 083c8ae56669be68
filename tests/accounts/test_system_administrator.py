"""三员分立 for real (#18): the 系统管理员 works in the admin through the model permissions of the group
of that name, which a data migration fills with exactly what the admin's pages need; the role opens
and closes it; no superuser in production; every change made in the admin reaches the audit log once."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import services
from accounts.checks import superusers_absent
from accounts.models import District, User
from accounts.reference_data import SYSTEM_ADMINISTRATOR_GROUP
from core.admin import AuditedAdmin, ReferenceDataAdmin
from core.models import AuditRecord
from scenarios.models import Scenario
from tests.admin_checks import admin_url, system_administrator
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def permissions_the_admin_needs() -> set[str]:
    """From the admin's registry: view every model shown (inlines too); add and change the
    reference data edited there; delete where it may be deleted."""
    needed = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        needed.add(f"{meta.app_label}.view_{meta.model_name}")
        if isinstance(model_admin, ReferenceDataAdmin):
            needed |= {f"{meta.app_label}.add_{meta.model_name}", f"{meta.app_label}.change_{meta.model_name}"}
            if model_admin.deletable:
                needed.add(f"{meta.app_label}.delete_{meta.model_name}")
        for inline in model_admin.inlines:
            needed.add(f"{inline.model._meta.app_label}.view_{inline.model._meta.model_name}")
    return needed


def test_the_group_holds_exactly_the_permissions_the_admin_pages_need():
    group = Group.objects.get(name=SYSTEM_ADMINISTRATOR_GROUP)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert held == permissions_the_admin_needs()


def test_granting_the_role_gives_the_group_and_revoking_it_takes_it_away(client):
    granter = system_administrator()
    person = UserFactory(roles=[])
    services.role_grant(actor=granter, user=person, role="admin")
    person = User.objects.get(pk=person.pk)
    assert person.is_staff and not person.is_superuser
    assert person.groups.filter(name=SYSTEM_ADMINISTRATOR_GROUP).exists()
    assert person.has_perm("scenarios.view_scenario") and not person.has_perm("scenarios.change_scenario")

    services.role_revoke(actor=granter, user=person, role="admin", reason="调岗")
    person = User.objects.get(pk=person.pk)
    assert not person.is_staff and not person.groups.exists() and not person.has_perm("scenarios.view_scenario")


def test_staff_without_the_group_sees_nothing_in_the_admin(client):
    """The admin's pages rest on Django's permissions, not on is_staff alone."""
    client.force_login(UserFactory(roles=[], is_staff=True))
    assert client.get(admin_url(Scenario, "changelist")).status_code == 403
    assert client.get(admin_url(District, "changelist")).status_code == 403
    assert "scenarios/scenario" not in client.get("/admin/").content.decode()


def test_every_admin_page_audits_its_changes():
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, AuditedAdmin), model_admin


def test_a_change_in_the_admin_is_one_audit_record_with_before_and_after(client):
    """ReferenceDataAdmin audited in save_model before; now Django's log entry brings it, once."""
    client.force_login(system_administrator())
    district = District.objects.get(code="haishu")
    data = {"code": "haishu", "name": "海曙区", "name_en": "Haishu", "sort_order": 42, "is_active": "on"}
    assert client.post(admin_url(District, "change", district.pk), data).status_code == 302
    records = AuditRecord.objects.filter(object_type="accounts.district", object_id=str(district.pk))
    assert records.count() == 1
    assert ("sort_order", 1, 42) in records.get().changes


def test_an_edit_from_the_changelist_is_audited_too(client):
    client.force_login(system_administrator())
    district = District.objects.get(code="beilun")
    rows = District.objects.order_by("sort_order", "name")
    data = {"form-TOTAL_FORMS": str(rows.count()), "form-INITIAL_FORMS": str(rows.count()), "_save": "保存"}
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-sort_order"] = str(77 if row.pk == district.pk else row.sort_order)
        data[f"form-{index}-is_active"] = "on" if row.is_active else ""
    response = client.post(admin_url(District, "changelist"), data)
    assert response.status_code == 302, response.content.decode()[:1000]
    record = AuditRecord.objects.get(object_type="accounts.district", object_id=str(district.pk))
    assert record.action == "district.admin_save" and ("sort_order", 4, 77) in record.changes


def test_createsuperuser_is_refused_where_no_superuser_is_allowed(settings):
    settings.PORTAL_ALLOW_SUPERUSER = False
    with pytest.raises(CommandError, match="grant_system_administrator"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.com")
    assert not User.objects.filter(username="root").exists()


def test_the_deploy_check_fails_while_a_superuser_exists_in_production(settings):
    settings.PORTAL_ALLOW_SUPERUSER = False
    assert superusers_absent() == []
    UserFactory(username="root", is_superuser=True, is_staff=True)
    errors = superusers_absent()
    assert [error.id for error in errors] == ["accounts.E001"] and "root" in errors[0].msg
    settings.PORTAL_ALLOW_SUPERUSER = True
    assert superusers_absent() == []


def test_the_first_administrator_is_granted_from_the_command_line_and_audited():
    out = io.StringIO()
    call_command("grant_system_administrator", "wugang", "--email", "wugang@example.com", stdout=out)
    user = User.objects.get(username="wugang")
    assert user.roles == frozenset({"admin"}) and user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.has_perm("capability_list.change_holiday")
    assert AuditRecord.objects.filter(action="role.grant", object_id=str(user.pk), actor=None).exists()

    judge = UserFactory(roles=["judge"])
    with pytest.raises(CommandError, match="三员分立"):
        call_command("grant_system_administrator", judge.username, stdout=io.StringIO())
