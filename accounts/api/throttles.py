"""How often the API answers one client (DRF throttles; a 429 with DRF's Chinese message).

The rates come from settings.PORTAL_API_THROTTLE_RATES, read on each request (DRF's own classes
read theirs once, at import), so an environment — or a test — sets its own."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from core.request_context import current_origin


class _SettingsRate:
    def get_rate(self):
        return settings.PORTAL_API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The address the audit trail records (core.request_context.client_address): DRF's own
        # get_ident believes any X-Forwarded-For unless NUM_PROXIES is set, so a client could
        # pick a new "address" for every request and never be throttled.
        return current_origin().ip_address or request.META.get("REMOTE_ADDR")


class PortalAnonThrottle(_SettingsRate, AnonRateThrottle):
    """Visitors not signed in, per address."""


class PortalUserThrottle(_SettingsRate, UserRateThrottle):
    """Signed-in people (session or token), per person."""


class PortalScopedThrottle(_SettingsRate, ScopedRateThrottle):
    """Views that name a stricter scope (`throttle_scope = "token"`: the token endpoint, per address)."""
