"""The rules of a signed-in session, checked on every request (after authentication):

- a session ends PORTAL_SESSION_IDLE_MINUTES after its last request, and PORTAL_SESSION_HOURS
  after signing in whatever happens (the times are kept in the session by the login hook; the
  last request's time is written at most once a minute, so most requests write nothing);
- a session that still owes the second factor (a login that skipped the portal's login page, see
  accounts.second_factor) ends at once;
- a person whose password someone else chose is sent to the password change page until they
  have chosen their own (the API answers 403 meanwhile).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.second_factor import OWES_KEY

SIGNED_IN_AT_KEY = "accounts.signed_in_at"
SEEN_AT_KEY = "accounts.seen_at"
SEEN_PRECISION_SECONDS = 60
# Set on the request before logging a session out, for the logout's audit record.
END_REASON_ATTRIBUTE = "_session_end_reason"


def session_times_start(session) -> None:
    now = time.time()
    session[SIGNED_IN_AT_KEY] = now
    session[SEEN_AT_KEY] = now


class SignInPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        ended = self._session_end(request)
        if ended:
            return self._signed_out(request, ended)
        if user.password_change_required and not self._may_pass_before_password_change(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": _("请先在网页上修改密码。")}, status=403)
            messages.warning(request, _("您的密码由他人设置，请先设置只有您知道的新密码。"))
            return redirect("accounts:password-change")
        return self.get_response(request)

    @staticmethod
    def _session_end(request) -> str:
        """Why the session must end now ("" if it may go on); refreshes the time of the last request."""
        session = request.session
        if session.get(OWES_KEY):
            return _("请在登录页重新登录并完成两步验证。")
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        seen_at = session.get(SEEN_AT_KEY)
        if not isinstance(signed_in_at, (int, float)) or not isinstance(seen_at, (int, float)):
            session_times_start(session)  # a session from before these rules: it starts now
            return ""
        if now - signed_in_at > settings.PORTAL_SESSION_HOURS * 3600:
            return _("登录已超过 %(hours)d 小时，请重新登录。") % {"hours": settings.PORTAL_SESSION_HOURS}
        if now - seen_at > settings.PORTAL_SESSION_IDLE_MINUTES * 60:
            return _("您已 %(minutes)d 分钟没有操作，为安全起见已退出登录，请重新登录。") % {
                "minutes": settings.PORTAL_SESSION_IDLE_MINUTES
            }
        if now - seen_at > SEEN_PRECISION_SECONDS:
            session[SEEN_AT_KEY] = now
        return ""

    @staticmethod
    def _signed_out(request, reason: str):
        setattr(request, END_REASON_ATTRIBUTE, reason)
        logout(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=401)
        messages.info(request, reason)
        return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))

    @staticmethod
    def _may_pass_before_password_change(request) -> bool:
        path = request.path_info
        allowed = (
            reverse("accounts:password-change"),
            reverse("accounts:logout"),
            reverse("set_language"),
        )
        return path in allowed or path.startswith(settings.STATIC_URL)
