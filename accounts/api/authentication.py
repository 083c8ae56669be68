"""API token authentication against hashed, expiring keys (accounts.models.ApiToken).

Clients send `Authorization: Token <key>`, as with DRF's authtoken, which this replaces: that one
kept every key in clear text and never let one expire."""

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

# last_used_at is written at most this often per token (a script's every request would otherwise write).
LAST_USE_PRECISION = timedelta(minutes=1)


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
        prefix = key.split(".", 1)[0]
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(prefix=prefix[:16]).first()
        if (
            token is None
            or not hmac.compare_digest(token.digest, token_digest(key))
            or token.expires_at <= now
            or not token.user.is_active
        ):
            raise AuthenticationFailed(_("令牌无效或已过期，请重新获取。"))
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: an `Authorization: Token <key>` header."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=self.target.keyword)
