"""The Django admin, for the 系统管理员 role: read-mostly.

Who gets in: granting the 系统管理员 role sets is_staff (accounts.services.people), revoking it
clears it, and Django's admin site admits active staff only. Nobody else is staff: auditors read
the audit log on their own page, business roles work in the portal. Staff hold no Django model
permissions, so the admin classes below let them view what is registered; superusers (made with
createsuperuser for the machine's operators) keep Django's own rights on top.

Business state changes through services, so that it is checked and audited: ReadOnlyAdmin shows it
and changes nothing, even for a superuser. Reference data that no service or page maintains
(districts, holidays) is edited here, in ReferenceDataAdmin, and every change leaves an audit
record like a service's. The audit log itself is not here: only auditors read it (三员分立).
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import Job, Notification
from core.services.audit import audit_record, snapshot

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = admin.site.index_title = _("系统管理")


def is_system_admin(request) -> bool:
    """The person holds the 系统管理员 role (is_staff follows the role, see the module docstring)."""
    user = request.user
    return user.is_active and user.is_staff


class SystemAdminViewMixin:
    """The system administrator may see the model in the admin; Django's permissions still apply too."""

    def has_module_permission(self, request):
        return is_system_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request) or super().has_view_permission(request, obj)


class ReadOnlyAdmin(SystemAdminViewMixin, admin.ModelAdmin):
    """Business state changes through services, so that it is checked and audited; here it is only read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Related records shown under their parent, read-only; `select_related` names the foreign keys
    the rows show, so the page takes one query per inline, not one per row."""

    extra = 0
    select_related: list[str] = []

    def get_readonly_fields(self, request, obj=None):
        return self.fields  # all of them, non-editable ones (auto_now_add …) included

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(SystemAdminViewMixin, admin.ModelAdmin):
    """Reference data the system administrator maintains here (no service or page does). Each
    change is audited: `audited_fields` before and after, under the action '<model>.admin_save'."""

    audited_fields: list[str] = []
    deletable = False

    def has_add_permission(self, request):
        return is_system_admin(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_system_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.deletable and (is_system_admin(request) or super().has_delete_permission(request, obj))

    def save_model(self, request, obj, form, change):
        before = snapshot(obj.__class__.objects.get(pk=obj.pk), self.audited_fields) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_save",
            target=obj,
            before=before,
            after=snapshot(obj, self.audited_fields),
        )

    def delete_model(self, request, obj):
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request, obj):
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_delete",
            target=obj,
            before=snapshot(obj, self.audited_fields),
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "state", "progress", "requested_by", "created_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["title", "requested_by__username"]
