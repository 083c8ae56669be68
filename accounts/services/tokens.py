"""Writes for API tokens: issued against a password (and a second factor), revoked with the session.

A key is `<prefix>.<secret>`; only the SHA-256 digest of the whole key is stored, so the key is
shown once, in the answer that issues it. Tokens expire after PORTAL_API_TOKEN_DAYS.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User
from core.services.audit import audit_record

# A person holds at most this many live tokens (scripts on a few machines); the oldest go first.
TOKENS_PER_PERSON = 5


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_issue(*, actor: User) -> tuple[ApiToken, str]:
    """A new token for the person, who has just proved who they are. Returns the row and the key
    (the only time the key exists outside the client). Side effects: the person's expired tokens
    and those beyond TOKENS_PER_PERSON are deleted; audit record."""
    now = timezone.now()
    ApiToken.objects.filter(user=actor, expires_at__lte=now).delete()
    surplus = list(
        ApiToken.objects.filter(user=actor)
        .order_by("-created_at")
        .values_list("pk", flat=True)[TOKENS_PER_PERSON - 1 :]
    )
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).delete()
    prefix = secrets.token_hex(6)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor,
        prefix=prefix,
        digest=token_digest(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_API_TOKEN_DAYS),
    )
    audit_record(
        actor=actor, action="auth.token_issue", target=actor, after={"prefix": prefix, "expires_at": token.expires_at}
    )
    return token, key


@transaction.atomic
def api_tokens_revoke(*, user: User, reason: str) -> int:
    """Delete every token of the person (logout, password change or reset, deactivation).
    Returns how many there were; an audit record when there were any."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="auth.token_revoke", target=user, after={"count": deleted}, reason=reason)
    return deleted
