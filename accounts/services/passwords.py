"""Writes for passwords: the person changes theirs, or sets one from an e-mailed link.

The strength rules and the history (no reuse of the last five) are Django password validators
(accounts.validators, AUTH_PASSWORD_VALIDATORS); the history itself is recorded by the validator's
`password_changed` hook whenever a password is saved.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.tokens import api_tokens_revoke
from accounts.services.users import password_strength_check
from core.errors import DomainError
from core.services.audit import audit_record


def _password_store(user: User, password: str) -> None:
    password_strength_check(password, user)
    user.set_password(password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """The signed-in person chooses a new password. Side effects: the must-change mark cleared,
    every API token revoked, audit record (other sessions end: their hash no longer matches)."""
    if not actor.check_password(old_password):
        raise DomainError(_("当前密码不正确。"), code="wrong_password")
    _password_store(actor, new_password)
    api_tokens_revoke(user=actor, reason="修改密码")
    audit_record(actor=actor, action="auth.password_change", target=actor)
    return actor


@transaction.atomic
def password_reset_set(*, user: User, new_password: str) -> User:
    """The person sets a password from the e-mailed link (forgotten password, or an account an
    operator opened). Side effects as password_change; audited as a reset."""
    _password_store(user, new_password)
    api_tokens_revoke(user=user, reason="重置密码")
    audit_record(actor=user, action="auth.password_reset", target=user)
    return user


def password_reset_requested(*, actor, users: list[User]) -> None:
    """Someone asked for a password-reset link for these accounts (the ones the e-mail address
    given belongs to; an address of no account records nothing, as the page says nothing either).

    Side effects: one audit record per account, with the visitor (usually not signed in: 访客)
    and their address."""
    for user in users:
        audit_record(actor=actor, action="auth.password_reset_request", target=user)
