"""Writes for organisations: self-registration, and the operators' verification."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationKind, Role, VerificationStatus
from accounts.models import District, Organisation, RoleAssignment, User
from accounts.permissions import can_manage_organisation_members
from accounts.services.users import confirmation_send, require_operator, user_add, username_and_email_check_free
from accounts.validators import validate_credit_code
from core.errors import DomainError, PermissionDenied
from core.services.audit import audit_record, snapshot
from core.services.notifications import notify

SELF_REGISTERING_KINDS = {OrganisationKind.COMPANY: Role.COMPANY, OrganisationKind.ASSOCIATION: Role.ASSOCIATION}
ORGANISATION_AUDIT_FIELDS = ["name", "credit_code", "kind", "district", "verification_status", "verification_note"]


@transaction.atomic
def organisation_register(
    *,
    kind: str,
    name: str,
    credit_code: str,
    district: District,
    username: str,
    display_name: str,
    email: str,
    password: str,
    phone: str = "",
    address: str = "",
    is_high_growth: bool = False,
    is_specialised: bool = False,
    is_high_tech: bool = False,
    is_sme: bool = False,
) -> User:
    """A company or association registers itself with a first member, who becomes its admin.

    Side effects: an Organisation awaiting verification, an inactive User with the matching role,
    a confirmation e-mail, an audit record. The account works once the e-mail is confirmed; the
    organisation may enter contests once an operator has verified it.
    """
    if kind not in SELF_REGISTERING_KINDS:
        raise DomainError(_("只有企业和行业协会可以自行注册；其他机构请联系运营方开通。"), code="kind_not_allowed")
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="credit_code") from None
    if Organisation.objects.filter(credit_code=credit_code).exists():
        raise DomainError(_("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists")
    username_and_email_check_free(username=username, email=email)
    is_company = kind == OrganisationKind.COMPANY
    organisation = Organisation(
        name=name,
        credit_code=credit_code,
        kind=kind,
        district=district,
        address=address,
        contact_name=display_name,
        contact_phone=phone,
        is_high_growth=is_company and is_high_growth,
        is_specialised=is_company and is_specialised,
        is_high_tech=is_company and is_high_tech,
        is_sme=is_company and is_sme,
    )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise DomainError(
            _("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists"
        ) from None
    user = user_add(
        username=username,
        display_name=display_name,
        email=email,
        phone=phone,
        organisation=organisation,
        password=password,
        is_active=False,
    )
    user.is_organisation_admin = True
    user.save(update_fields=["is_organisation_admin"])
    RoleAssignment.objects.create(user=user, role=SELF_REGISTERING_KINDS[kind])
    audit_record(
        actor=user,
        action="organisation.register",
        target=organisation,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
    )
    confirmation_send(user)
    return user


def _decide(
    *, actor: User, organisation: Organisation, status: str, note: str, action: str, title: str, body: str
) -> Organisation:
    """Record an operator's verdict on a locked organisation and tell its members."""
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.verification_status = status
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.verification_note = note
    organisation.save(update_fields=["verification_status", "verified_at", "verified_by", "verification_note"])
    audit_record(
        actor=actor,
        action=action,
        target=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
        reason=note,
    )
    notify(recipients=organisation.members.all(), title=title, body=body, link=reverse("accounts:my-organisation"))
    return organisation


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation, note: str = "") -> Organisation:
    """An operator confirms the organisation is who it says. Side effects: audit, members notified."""
    require_operator(actor)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status == VerificationStatus.VERIFIED:
        raise DomainError(_("该机构已通过认证。"), code="already_verified")
    title = _("%(name)s 已通过机构认证") % {"name": organisation.name}
    body = _("贵机构已通过认证，可以参加场景大赛等活动。")
    return _decide(
        actor=actor,
        organisation=organisation,
        status=VerificationStatus.VERIFIED,
        note=note,
        action="organisation.verify",
        title=title,
        body=body,
    )


@transaction.atomic
def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """An operator turns the registration back with a reason. Side effects: audit, members notified."""
    require_operator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写不通过的原因。"), code="reason_required")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status != VerificationStatus.PENDING:
        raise DomainError(_("只有待审核的机构可以退回。"), code="not_pending")
    title = _("%(name)s 的机构认证未通过") % {"name": organisation.name}
    body = _("原因：%(reason)s") % {"reason": reason}
    return _decide(
        actor=actor,
        organisation=organisation,
        status=VerificationStatus.REJECTED,
        note=reason,
        action="organisation.reject",
        title=title,
        body=body,
    )


@transaction.atomic
def organisation_request_reverification(*, actor: User) -> Organisation:
    """After a rejection, the organisation's admin asks for another review."""
    if not can_manage_organisation_members(actor):
        raise PermissionDenied(_("只有机构管理员可以申请重新审核。"))
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    if organisation.verification_status != VerificationStatus.REJECTED:
        raise DomainError(_("只有未通过认证的机构可以申请重新审核。"), code="not_rejected")
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.verification_status = VerificationStatus.PENDING
    organisation.save(update_fields=["verification_status"])
    audit_record(
        actor=actor,
        action="organisation.request_reverification",
        target=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
    )
    return organisation
