"""Read-only admin of the ground floor's records, for the system administrator role.

The audit log is not here: only auditors read it, on their own page (三员分立).
"""

from django.contrib import admin

from core.models import Job, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Business state changes through services, so that it is checked and audited; here it is only read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "state", "progress", "requested_by", "created_at"]
    list_filter = ["state", "kind"]
