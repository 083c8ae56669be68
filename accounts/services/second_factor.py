"""Writes for the second factor: setting up an authenticator app, checking a code at sign-in,
recovery codes.

A wrong code at sign-in is an audit record (`auth.totp_failed`) that counts towards the sign-in
lock like a wrong password (accounts.sign_in), so the six digits cannot be guessed either.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import totp
from accounts.models import RecoveryCode, TotpDevice, User
from core.errors import DomainError
from core.services.audit import audit_record

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def _recovery_normalised(code: str) -> str:
    return "".join(char for char in (code or "").lower() if char.isalnum())


def recovery_digest(code: str) -> str:
    return hashlib.sha256(_recovery_normalised(code).encode("utf-8")).hexdigest()


def _recovery_codes_new(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=recovery_digest(code)) for code in codes])
    return codes


@transaction.atomic
def totp_enrol_start(*, actor: User) -> TotpDevice:
    """A new secret for the person's authenticator app, waiting for a code from it (an app already
    confirmed stays in use until then). Calling it again keeps the secret being set up."""
    device, _created = TotpDevice.objects.select_for_update().get_or_create(user=actor)
    if not device.pending_secret:
        device.pending_secret = totp.new_secret()
        device.save(update_fields=["pending_secret"])
    return device


@transaction.atomic
def totp_enrol_confirm(*, actor: User, code: str) -> list[str]:
    """The person types a code from the app being set up: it becomes their second factor.

    Returns ten new recovery codes (the old ones stop working), shown once. Side effects: audit
    record `auth.totp_enrol`."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is None or not device.pending_secret:
        raise DomainError(_("请先生成新的密钥，再输入验证码。"), code="no_pending_secret")
    step = totp.matching_step(device.pending_secret, code)
    if step is None:
        raise DomainError(_("验证码不正确，请核对手机时间后输入应用中当前显示的 6 位数字。"), code="wrong_code")
    replaced = device.confirmed
    device.secret, device.pending_secret = device.pending_secret, ""
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["secret", "pending_secret", "confirmed_at", "last_step"])
    audit_record(actor=actor, action="auth.totp_enrol", target=actor, after={"replaced": replaced})
    return _recovery_codes_new(actor)


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """Ten new recovery codes for a person with a confirmed app (the old ones stop working)."""
    if not TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).exists():
        raise DomainError(_("请先设置两步验证。"), code="no_device")
    audit_record(actor=actor, action="auth.recovery_codes_regenerate", target=actor)
    return _recovery_codes_new(actor)


def _refuse(user: User, how: str) -> None:
    # Outside any transaction that the refusal rolls back: the failure must stay on record.
    audit_record(actor=user, action="auth.totp_failed", target=user, after={"username": user.username, "how": how})
    raise DomainError(_("验证码不正确。"), code="wrong_code")


def recovery_code_use(*, user: User, code: str) -> int:
    """Sign in with a recovery code instead of the app: the code is used up. Returns how many are
    left. Side effects: audit record `auth.recovery_code_use` (or `auth.totp_failed`)."""
    with transaction.atomic():
        row = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, digest=recovery_digest(code), used_at__isnull=True)
            .first()
        )
        if row is not None:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit_record(actor=user, action="auth.recovery_code_use", target=user, after={"left": left})
            return left
    _refuse(user, "recovery")


def second_factor_verify(*, user: User, code: str) -> str:
    """Check the second factor of a person signing in: a code from their app, or a recovery code.
    Returns "totp" or "recovery"; a wrong code is refused (DomainError) and recorded."""
    normalised = _recovery_normalised(code)
    if len(normalised) != totp.DIGITS or not normalised.isdigit():
        recovery_code_use(user=user, code=code)
        return "recovery"
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        step = totp.matching_step(device.secret, normalised, after_step=device.last_step) if device else None
        if step is not None:
            device.last_step = step
            device.save(update_fields=["last_step"])
            return "totp"
    _refuse(user, "totp")
