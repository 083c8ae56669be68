"""Writes for signing in: an operator lifts the lock that repeated failures put on an account."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.users import require_operator
from accounts.sign_in import name_locked
from core.errors import DomainError
from core.services.audit import audit_record


@transaction.atomic
def account_unlock(*, actor: User, user: User, reason: str) -> User:
    """Lift the sign-in lock on the account's name (its failures so far stop counting).

    The person still needs their password; a lock on an address (too many failures from one
    network) is not lifted by this. Side effects: audit record `auth.unlock` with the reason."""
    require_operator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写解锁原因。"), code="reason_required")
    if not name_locked(user.username):
        raise DomainError(_("该账号当前未被锁定。"), code="not_locked")
    audit_record(actor=actor, action="auth.unlock", target=user, after={"username": user.username}, reason=reason[:500])
    return user
