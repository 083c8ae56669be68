"""Organisations and people in the admin of the 系统管理员 role (see core.admin for who gets in).

Districts are reference data kept as data (DESIGN.md) that no page maintains: edited here, audited,
never deleted (organisations and scenarios point at them; switch one off instead). Verification,
roles and accounts change through services so that they are checked and audited: read-only here.

Not here: Django's groups (roles are RoleAssignment rows; groups are not used), API tokens,
previous passwords, second-factor devices and recovery codes (credentials: each person obtains
their own with their password; the portal keeps only digests, and nobody else has use for them).
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.models import District, Organisation, RegistrationMail, RoleAssignment, User
from core.admin import ReadOnlyAdmin, ReadOnlyInline, ReferenceDataAdmin

admin.site.unregister(Group)


def _portal_login(request, extra_context=None):
    """The admin has no login form of its own: the portal's asks for the second factor too."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


admin.site.login = _portal_login


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]
    audited_fields = ["code", "name", "name_en", "sort_order", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "kind", "district", "verification_status"]
    list_filter = ["kind", "verification_status", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "credit_code"]


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "granted_by", "granted_at"]
    select_related = ["granted_by"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "display_name", "email", "organisation", "is_active"]
    list_filter = ["is_active", "role_assignments__role"]
    list_select_related = ["organisation"]
    search_fields = ["username", "display_name", "email", "organisation__name"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [RoleAssignmentInline]


@admin.register(RegistrationMail)
class RegistrationMailAdmin(ReadOnlyAdmin):
    """Whether a registration mail went out (a person who got none asks the help desk)."""

    list_display = ["email", "purpose", "created_at", "sent_at", "failed_at", "failure"]
    list_filter = ["purpose"]
    search_fields = ["email"]
