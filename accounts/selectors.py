"""Every read of accounts data used by pages, the API and other apps, already scoped to the user."""

from django.db.models import Aggregate, CharField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from accounts.choices import OrganisationKind, Role, VerificationStatus
from accounts.models import (
    District,
    Invitation,
    Organisation,
    RegistrationMail,
    RoleAssignment,
    User,
    VerificationEvidence,
)
from accounts.permissions import can_read_all_organisations, can_see_verification_evidence, is_auditor
from core.compiled_queries import compiled_read
from core.models import AuditRecord
from core.selectors import UNREAD_LOADED, unread_notification_count_of_person


class _CommaJoined(Aggregate):
    """The group's values joined by commas: string_agg on PostgreSQL, group_concat on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def person_signed_in(user_id) -> User | None:
    """The person of a signed-in request with what every page reads of them — their roles
    (User.roles) and their unread count (core.selectors.unread_notification_count) — in one query:
    they were two more on every page (issue #20). Read fresh on every request, like the person."""
    user = next(iter(compiled_read(_person_with_roles_and_unread, User._meta.pk.to_python(user_id))), None)
    if user is not None:
        user.__dict__["roles"] = frozenset(filter(None, (user.roles_joined or "").split(",")))
    return user


def _person_with_roles_and_unread(user_id: int) -> QuerySet[User]:
    """person_signed_in's read, compiled once per process (core.compiled_queries): compiling its two
    subqueries took the ORM 1.4 ms a request, more than running them (0.1 ms) or reading the bare
    user (0.5 ms)."""
    roles = (
        RoleAssignment.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(joined=_CommaJoined("role"))
        .values("joined")
    )
    return User.objects.filter(pk=user_id).annotate(
        roles_joined=Subquery(roles), **{UNREAD_LOADED: unread_notification_count_of_person()}
    )


def districts_active() -> QuerySet[District]:
    return District.objects.filter(is_active=True)


def district_by_code(code: str) -> District | None:
    return District.objects.filter(code=code).first()


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Operators and officials see every organisation; anyone else only their own."""
    queryset = Organisation.objects.select_related("district").annotate(member_count=Count("members", distinct=True))
    if can_read_all_organisations(user):
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


def verification_evidence_of(organisation: Organisation) -> QuerySet[VerificationEvidence]:
    return organisation.verification_evidence.select_related("uploaded_by")


def verification_evidence_for(user: User, pk) -> VerificationEvidence:
    """One verification file, for the organisation's admins and operators only (404 for anyone else)."""
    evidence = VerificationEvidence.objects.select_related("organisation").filter(pk=pk).first()
    if evidence is None or not can_see_verification_evidence(user, evidence.organisation):
        raise Http404
    return evidence


def organisation_open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def audit_records_visible_to(user: User) -> QuerySet[AuditRecord]:
    """Only auditors read the audit log."""
    if not is_auditor(user):
        return AuditRecord.objects.none()
    return AuditRecord.objects.all()


def operators_active() -> QuerySet[User]:
    return User.objects.filter(role_assignments__role=Role.OPERATOR, is_active=True)


def verified_organisation_counts_by_kind() -> dict[str, int]:
    """{kind: number} of verified organisations (the public home page's figures)."""
    verified = Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED)
    return dict(verified.values_list("kind").annotate(n=Count("id")).order_by())


def verified_organisations_by_district() -> list[dict]:
    """[{district__name, district__sort_order, n}] of verified organisations, in district order."""
    return list(
        Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED)
        .values("district__name", "district__sort_order")
        .annotate(n=Count("id"))
        .order_by("district__sort_order")
    )


def verified_organisations_by_kind() -> list[dict]:
    """[{label, n}] of verified organisations, by kind."""
    counts = (
        Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    return [{"label": str(OrganisationKind(kind).label), "n": n} for kind, n in counts]


def organisations_pending_for(user: User) -> QuerySet[Organisation]:
    """Organisations awaiting verification, oldest first, as the person may see them."""
    return organisations_visible_to(user).filter(verification_status=VerificationStatus.PENDING).order_by("created_at")


def organisations_pending_count() -> int:
    return Organisation.objects.filter(verification_status=VerificationStatus.PENDING).count()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a link, with its organisation and inviter (None for an unknown token)."""
    return Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()


def invitations_of_organisation(user: User) -> QuerySet[Invitation]:
    """The invitations of the person's own organisation (a foreign invitation is not found)."""
    return Invitation.objects.filter(organisation_id=user.organisation_id)


def registration_mail_of_session(mail_id) -> RegistrationMail | None:
    """The registration mail a visitor's own session points at (the page after registering)."""
    if not isinstance(mail_id, int):
        return None
    return RegistrationMail.objects.filter(pk=mail_id).first()


def accounts_locked() -> list[User]:
    """Accounts whose name is locked by repeated sign-in failures now (accounts.sign_in), for the
    operators: the failures of the last window, less those before an unlock, counted per name."""
    from accounts.sign_in import FAILURE_ACTIONS, FAILURES_PER_NAME, WINDOW

    since = timezone.now() - WINDOW
    unlocked_at = {}
    for after, created_at in AuditRecord.objects.filter(action="auth.unlock", created_at__gte=since).values_list(
        "after", "created_at"
    ):
        name = str((after or {}).get("username", "")).lower()
        unlocked_at[name] = max(created_at, unlocked_at.get(name, created_at))
    counts: dict[str, int] = {}
    for after, created_at in AuditRecord.objects.filter(action__in=FAILURE_ACTIONS, created_at__gte=since).values_list(
        "after", "created_at"
    ):
        name = str((after or {}).get("username", "")).lower()
        if name and created_at >= unlocked_at.get(name, since):
            counts[name] = counts.get(name, 0) + 1
    names = [name for name, count in counts.items() if count >= FAILURES_PER_NAME]
    if not names:
        return []
    return list(
        User.objects.annotate(name_lower=Lower("username"))
        .filter(name_lower__in=names)
        .select_related("organisation")
        .order_by("username")
    )


def locked_user_ids(users) -> set[int]:
    """Which of these accounts are locked now (for marking them in a list)."""
    names = {user.username.lower(): user.pk for user in users}
    return {names[user.username.lower()] for user in accounts_locked() if user.username.lower() in names}
