"""Password guessing is slowed down: too many failed sign-ins lock the name, and the address.

The failed attempts are already in the audit log (`auth.login_failed`, with the name typed and
the client address), so they are counted there: the count is shared by every server process and
needs no other store. Five failures for one name, or twenty from one address, within thirty
minutes lock further attempts until the window has passed (an address is allowed more, because a
government office signs in from behind one NAT address); a locked attempt checks no password
(it costs no hashing) and is itself recorded as a failure. The lock applies wherever Django
authenticates — the login page, the admin login and the API's token endpoint — because it sits in
the authentication backend.
"""

from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditRecord
from core.request_context import current_origin

FAILURES_PER_NAME = 5
FAILURES_PER_ADDRESS = 20
WINDOW = timedelta(minutes=30)


def sign_in_locked(username: str, ip_address: str | None) -> bool:
    """Whether sign-in is locked for this name or from this address."""
    recent = AuditRecord.objects.filter(action="auth.login_failed", created_at__gte=timezone.now() - WINDOW)
    if username and recent.filter(after__username__iexact=username[:150]).count() >= FAILURES_PER_NAME:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= FAILURES_PER_ADDRESS


class ThrottledModelBackend(ModelBackend):
    """Django's own backend, behind the lock."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if sign_in_locked(username or kwargs.get("username", ""), current_origin().ip_address):
            # PermissionDenied stops Django from trying further backends and still sends
            # user_login_failed, so the attempt is audited like any failure.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
