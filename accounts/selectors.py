"""Every read of accounts data used by pages, the API and other apps, already scoped to the user."""

from django.db.models import Count, Q, QuerySet

from accounts.choices import Role
from core.models import AuditRecord, Job, Notification
from accounts.models import District, Invitation, Organisation, User


def districts_active() -> QuerySet[District]:
    return District.objects.filter(is_active=True)


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Operators and officials see every organisation; anyone else only their own."""
    queryset = Organisation.objects.select_related("district").annotate(member_count=Count("members", distinct=True))
    if user.has_role(Role.OPERATOR) or user.has_role(Role.OFFICIAL):
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(pk=user.organisation_id)


def organisations_for_export(params: dict) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("district").annotate(member_count=Count("members", distinct=True))
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    if params.get("district"):
        queryset = queryset.filter(district__code=params["district"])
    if params.get("verification_status"):
        queryset = queryset.filter(verification_status=params["verification_status"])
    if params.get("q"):
        queryset = queryset.filter(Q(name__icontains=params["q"]) | Q(credit_code__icontains=params["q"]))
    return queryset.order_by("district__sort_order", "name")


def organisation_members(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.prefetch_related("role_assignments").order_by("-is_organisation_admin", "display_name")


def organisation_open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    from django.utils import timezone

    return organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()).select_related("invited_by")


def audit_records_visible_to(user: User) -> QuerySet[AuditRecord]:
    """Only auditors read the audit log."""
    if not user.has_role(Role.AUDITOR):
        return AuditRecord.objects.none()
    return AuditRecord.objects.all()


def operators_active() -> QuerySet[User]:
    return User.objects.filter(role_assignments__role=Role.OPERATOR, is_active=True)
