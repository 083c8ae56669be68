"""The Django admin, for the 系统管理员 role: read-mostly.

Who gets in, and with what: granting the 系统管理员 role sets is_staff and puts the person in the
group of that name, revoking it undoes both (accounts.services.roles); Django's admin site admits
active staff only, and every page checks Django's model permissions, which that group alone holds
(a data migration gives it exactly what the pages below need: accounts.reference_data). Nobody else
is staff, and production has no superuser (accounts/checks.py, PortalUserManager.create_superuser):
auditors read the audit log on their own page, business roles work in the portal.

Business state changes through services, so that it is checked and audited: ReadOnlyAdmin shows it
and changes nothing, even for a superuser. Reference data that no service or page maintains
(districts, holidays) is edited here, in ReferenceDataAdmin. Every change the admin makes — the
additions, changes and deletions Django writes to its own LogEntry — also goes to the portal's
audit log (AuditedAdmin), once, with the audited fields before and after. The audit log itself is
not here: only auditors read it (三员分立).
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import Job, Notification
from core.services.audit import audit_record, snapshot

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = admin.site.index_title = _("系统管理")


class AuditedAdmin(admin.ModelAdmin):
    """Every addition, change and deletion the admin logs (Django's LogEntry) is also an audit
    record: action '<model>.admin_save' (added or changed) or '<model>.admin_delete', with
    `audited_fields` before and after (all the model's own editable fields when none are named)."""

    audited_fields: list[str] = []

    def _audited_fields(self, obj) -> list[str]:
        return self.audited_fields or [
            field.name for field in obj._meta.concrete_fields if not field.primary_key and field.editable
        ]

    def save_model(self, request, obj, form, change):
        # What was stored before the change, for the record log_change writes once it is saved.
        if change:
            stored = obj.__class__.objects.filter(pk=obj.pk).first()
            obj._audit_before = snapshot(stored, self._audited_fields(obj)) if stored is not None else None
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "admin_save", before=None, after=snapshot(obj, self._audited_fields(obj)))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        before = obj.__dict__.pop("_audit_before", None)
        self._audit(request, obj, "admin_save", before=before, after=snapshot(obj, self._audited_fields(obj)))
        return entry

    def log_deletions(self, request, queryset):
        # Called before the deletion, with the objects still there.
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, obj, "admin_delete", before=snapshot(obj, self._audited_fields(obj)), after=None)
        return entries

    def _audit(self, request, obj, verb, *, before, after):
        audit_record(
            actor=request.user, action=f"{obj._meta.model_name}.{verb}", target=obj, before=before, after=after
        )


class ReadOnlyAdmin(AuditedAdmin):
    """Business state changes through services, so that it is checked and audited; here it is only
    read (with the view permission the 系统管理员 group holds)."""

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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(AuditedAdmin):
    """Reference data the system administrator maintains here (no service or page does), with the
    add and change permissions (and delete, where `deletable`) of the 系统管理员 group. Each change
    is audited by AuditedAdmin: `audited_fields` before and after."""

    deletable = False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


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
