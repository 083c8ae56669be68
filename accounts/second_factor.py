"""Who proves a second factor at sign-in, and the sign-in that waits for it.

Operators, officials, judges, the system administrator and the auditor (SECOND_FACTOR_ROLES) prove
a TOTP code — or use a recovery code — after their password when PORTAL_REQUIRE_TOTP is on (the
production default); anybody who has set up an authenticator app of their own accord proves it
too. Until then the session is not signed in: the login page keeps only a pending sign-in in it
(who, through which backend, since when, where to go next), for a few minutes.

Any other way into a session (the admin's login form, `Client.force_login`) goes through Django's
`login()`; the `user_logged_in` hook marks such a session as still owing the second factor when
it is needed, and accounts.middleware ends it on its next request.
"""

import time

from django.conf import settings

from accounts.choices import SECOND_FACTOR_ROLES

PENDING_KEY = "accounts.sign_in_pending"
OWES_KEY = "accounts.second_factor_owed"
PENDING_SECONDS = 5 * 60
# Set on the request by the page that checked the code, so that the login hook knows.
VERIFIED_ATTRIBUTE = "_second_factor_verified"


def holds_second_factor_role(user) -> bool:
    return bool(user.roles & SECOND_FACTOR_ROLES)


def has_confirmed_device(user) -> bool:
    from accounts.models import TotpDevice

    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def second_factor_required(user) -> bool:
    """Whether the person must set up an app (their role, when PORTAL_REQUIRE_TOTP is on)."""
    return bool(settings.PORTAL_REQUIRE_TOTP) and holds_second_factor_role(user)


def needs_second_factor(user) -> bool:
    """Whether this person proves a second factor to sign in: the required ones, and anybody who
    has set up an app of their own accord."""
    return second_factor_required(user) or has_confirmed_device(user)


def pending_start(request, user, *, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request):
    """The person whose password was right and who now owes the second factor (None when there
    is nobody, or the pending sign-in is older than PENDING_SECONDS)."""
    from accounts.models import User

    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is not None:
        user.backend = pending.get("backend")
    return user


def pending_next(request) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    return pending.get("next") or ""
