"""The Django admin is for the 系统管理员 role: reference data only.

Business state (verification, roles, audit, jobs) changes through services so that it is
checked and audited; here those models are read-only. The audit log is not here at all: only
auditors read it, on their own page (三员分立).
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from accounts.models import District, Organisation, RoleAssignment, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "kind", "district", "verification_status"]
    list_filter = ["kind", "verification_status", "district"]
    search_fields = ["name", "credit_code"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = ["role", "granted_by", "granted_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "display_name", "email", "organisation", "is_active"]
    search_fields = ["username", "display_name", "email"]
    list_filter = ["is_active"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [RoleAssignmentInline]
