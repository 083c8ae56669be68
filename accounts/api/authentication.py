"""API token authentication against hashed, expiring keys (accounts.models.ApiToken).

Clients send `Authorization: Token <key>`, as with DRF's authtoken, which this replaces: that one
kept every key in clear text and never let one expire.

A script sends its token with every request: the token row and its person are kept in the cache
(core.page_cache's scope API_TOKENS, read with its version in one round trip) instead of being
read from PostgreSQL each time (issue #20). Every check still runs on every request — the digest of
the whole key, the expiry, the person's is_active — on a copy that a save or a delete of any token
or any person makes stale at once (and again when its transaction commits): a revoked token, a
deactivated account or a changed person is read afresh by the next request. Roles and the
organisation are not part of the copy: they are read per request as before."""

import hashlib
import hmac
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import ApiToken
from accounts.services.tokens import token_digest
from core.page_cache import NOT_STORED, scope_read, scope_store

# last_used_at is written at most this often per token (a script's every request would otherwise write).
LAST_USE_PRECISION = timedelta(minutes=1)
# The page-cache scope of the stored tokens: a save or delete of these models makes them all stale.
API_TOKENS = "accounts.api-tokens"
API_TOKENS_SHOW = ("accounts.ApiToken", "accounts.User")


def _stored_token_key(prefix: str) -> str:
    # Hashed: the prefix is whatever the client sent, up to 16 characters of any kind.
    return "api-token:" + hashlib.sha256(prefix.encode()).hexdigest()


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("令牌格式不正确：请发送“Authorization: Token <令牌>”。"))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("令牌格式不正确：请发送“Authorization: Token <令牌>”。")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str):
        prefix = key.split(".", 1)[0][:16]
        now = timezone.now()
        stored_key = _stored_token_key(prefix)
        # The version is read before the row: a change committed after this read makes the copy stale.
        token, version = scope_read(API_TOKENS, stored_key)
        changed = token is NOT_STORED
        if changed:
            token = ApiToken.objects.select_related("user").defer("user__password").filter(prefix=prefix).first()
        if (
            token is None
            or not hmac.compare_digest(token.digest, token_digest(key))
            or token.expires_at <= now
            or not token.user.is_active
        ):
            raise AuthenticationFailed(_("令牌无效或已过期，请重新获取。"))
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # an update sends no signal
            token.last_used_at, changed = now, True
        if changed:
            scope_store(stored_key, version, token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: an `Authorization: Token <key>` header."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=self.target.keyword)
