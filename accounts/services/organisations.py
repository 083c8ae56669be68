"""Writes for organisations: self-registration, and the operators' verification."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import OrganisationKind, RegistrationMailPurpose, Role, VerificationStatus
from accounts.models import District, Organisation, RegistrationMail, RoleAssignment, User
from accounts.permissions import can_manage_organisation_members
from accounts.services.registration import (
    abandoned_registrant,
    registration_confirmation_mail,
    registration_mail_to_address,
)
from accounts.services.users import password_strength_check, require_operator, user_add
from accounts.validators import validate_credit_code
from core.errors import DomainError, PermissionDenied
from core.messages import Message
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
) -> RegistrationMail:
    """A company or association registers itself with a first member, who becomes its admin.

    Returns the mail sent, and answers the same whether or not the e-mail address or the user name
    is taken: only the mail says so (accounts.services.registration). A registration with the
    credit code of one that can no longer be finished (its mail never went out, or its link
    expired) takes that one up instead of being refused.

    Side effects: an Organisation awaiting verification, an inactive User with the matching role,
    an audit record and the confirmation mail (after commit) — or, for a taken address or name,
    only the mail. The account works once the e-mail is confirmed; the organisation may enter
    contests once an operator has verified it.
    """
    if kind not in SELF_REGISTERING_KINDS:
        raise DomainError(_("只有企业和行业协会可以自行注册；其他机构请联系运营方开通。"), code="kind_not_allowed")
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="credit_code") from None
    # Checked before anything is looked up, so a weak password is refused alike for every address.
    password_strength_check(password, User(username=username, email=email, display_name=display_name))
    if User.objects.filter(email__iexact=email).exists():
        make_password(password)  # as long as a new account's hashing takes: the time does not tell either
        return registration_mail_to_address(email=email, default=RegistrationMailPurpose.ALREADY_REGISTERED)
    organisation = Organisation.objects.select_for_update().filter(credit_code=credit_code).first()
    registrant = abandoned_registrant(organisation) if organisation is not None else None
    if organisation is not None and registrant is None:
        raise DomainError(_("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists")
    holders = User.objects.filter(username__iexact=username)
    if registrant is not None:
        holders = holders.exclude(pk=registrant.pk)
    if holders.exists():
        make_password(password)
        return registration_mail_to_address(
            email=email, username=username, default=RegistrationMailPurpose.USERNAME_TAKEN
        )
    is_company = kind == OrganisationKind.COMPANY
    details = {
        "name": name,
        "kind": kind,
        "district": district,
        "address": address,
        "contact_name": display_name,
        "contact_phone": phone,
        "is_high_growth": is_company and is_high_growth,
        "is_specialised": is_company and is_specialised,
        "is_high_tech": is_company and is_high_tech,
        "is_sme": is_company and is_sme,
    }
    person = {"username": username, "display_name": display_name, "email": email, "phone": phone}
    if registrant is None:
        user = _register_new(credit_code=credit_code, details=details, person=person, password=password)
    else:
        user = _take_up(organisation, registrant, details=details, person=person, password=password)
    RoleAssignment.objects.create(user=user, role=SELF_REGISTERING_KINDS[kind])
    return registration_confirmation_mail(user)


def _register_new(*, credit_code: str, details: dict, person: dict, password: str) -> User:
    organisation = Organisation(credit_code=credit_code, **details)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise DomainError(
            _("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"), code="organisation_exists"
        ) from None
    user = user_add(**person, organisation=organisation, password=password, is_active=False)
    user.is_organisation_admin = True
    user.save(update_fields=["is_organisation_admin"])
    audit_record(
        actor=user,
        action="organisation.register",
        target=organisation,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
    )
    return user


def _take_up(organisation: Organisation, registrant: User, *, details: dict, person: dict, password: str) -> User:
    """A registration that could not be finished, registered again: the organisation and its one
    unconfirmed member get the new details (a new person, address or name may be among them)."""
    before = {**snapshot(organisation, ORGANISATION_AUDIT_FIELDS), "registrant": registrant.username}
    for field, value in details.items():
        setattr(organisation, field, value)
    organisation.save()
    for field, value in person.items():
        setattr(registrant, field, value)
    registrant.set_password(password)
    registrant.is_active, registrant.is_organisation_admin, registrant.date_joined = False, True, timezone.now()
    try:
        with transaction.atomic():
            registrant.save()
    except IntegrityError:
        # Two sign-ups racing for the same name or address: the constraint decides, kindly.
        raise DomainError(_("用户名或邮箱已被使用。"), code="user_exists") from None
    registrant.role_assignments.all().delete()
    audit_record(
        actor=registrant,
        action="organisation.register",
        target=organisation,
        before=before,
        after={**snapshot(organisation, ORGANISATION_AUDIT_FIELDS), "registrant": registrant.username},
        reason="registration taken up again",
    )
    return registrant


def _decide(
    *, actor: User, organisation: Organisation, status: str, note: str, action: str, title: Message, body: Message
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
    title = Message(gettext_noop("%(name)s 已通过机构认证"), name=organisation.name)
    body = Message(gettext_noop("贵机构已通过认证，可以参加场景大赛等活动。"))
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
    title = Message(gettext_noop("%(name)s 的机构认证未通过"), name=organisation.name)
    body = Message(gettext_noop("原因：%(reason)s"), reason=reason)  # the reason as the operator wrote it
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
