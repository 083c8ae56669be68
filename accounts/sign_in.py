"""Password guessing is slowed down: too many failed sign-ins lock the name, and the address.

The failed attempts are already in the audit log (`auth.login_failed`, with the name typed and
the client address; `auth.totp_failed` for a wrong second-factor code), so they are counted there:
the count is shared by every server process and needs no other store. Five failures for one name,
or twenty from one address, within thirty minutes lock further attempts until the window has
passed (an address is allowed more, because a government office signs in from behind one NAT
address); a locked attempt checks no password (it costs no hashing) and is itself recorded as a
failure. The lock applies wherever Django authenticates — the login page, the admin login and the
API's token endpoint — because it sits in the authentication backend.

An operator lifts the lock on a name (`auth.unlock`, accounts.services.account_unlock): failures
of that name before the unlock no longer count. The message a locked visitor reads names the time
the lock ends and is the same whether the name belongs to an account or not.
"""

from datetime import datetime, timedelta

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditRecord
from core.request_context import current_origin

FAILURES_PER_NAME = 5
FAILURES_PER_ADDRESS = 20
WINDOW = timedelta(minutes=30)
FAILURE_ACTIONS = ("auth.login_failed", "auth.totp_failed")


def _name_failures_since(username: str, since: datetime):
    unlocked = (
        AuditRecord.objects.filter(action="auth.unlock", created_at__gte=since, after__username__iexact=username)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return AuditRecord.objects.filter(
        action__in=FAILURE_ACTIONS, created_at__gte=max(since, unlocked or since), after__username__iexact=username
    )


def _lock_end(failures, threshold: int) -> datetime | None:
    """When the failures drop below the threshold: the threshold-th most recent one leaves the window."""
    times = list(failures.order_by("-created_at").values_list("created_at", flat=True)[:threshold])
    return times[-1] + WINDOW if len(times) >= threshold else None


def sign_in_locked_until(username: str, ip_address: str | None) -> datetime | None:
    """Until when sign-in is locked for this name or from this address (None: not locked)."""
    since = timezone.now() - WINDOW
    ends = []
    if username:
        ends.append(_lock_end(_name_failures_since(username[:150], since), FAILURES_PER_NAME))
    if ip_address:
        by_address = AuditRecord.objects.filter(
            action__in=FAILURE_ACTIONS, created_at__gte=since, ip_address=ip_address
        )
        ends.append(_lock_end(by_address, FAILURES_PER_ADDRESS))
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def sign_in_locked(username: str, ip_address: str | None) -> bool:
    """Whether sign-in is locked for this name or from this address."""
    return sign_in_locked_until(username, ip_address) is not None


def name_locked(username: str) -> bool:
    """Whether the name itself is locked (the operators' view of an account; addresses aside)."""
    return sign_in_locked_until(username, None) is not None


class ThrottledModelBackend(ModelBackend):
    """Django's own backend, behind the lock. The person of a signed-in request is loaded with
    their roles and unread count in the same query (accounts.selectors.person_signed_in)."""

    def get_user(self, user_id):
        from accounts.selectors import person_signed_in

        user = person_signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if sign_in_locked(username or kwargs.get("username", ""), current_origin().ip_address):
            # PermissionDenied stops Django from trying further backends and still sends
            # user_login_failed, so the attempt is audited like any failure.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_message(until: datetime) -> str:
    """What a locked visitor reads: the same whether the name is an account's or not."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    return _("登录失败次数过多，已暂时锁定，请于 %(time)s 之后再试。如需提前解锁，请联系运营方。") % {
        "time": date_format(timezone.localtime(until), "H:i")
    }
