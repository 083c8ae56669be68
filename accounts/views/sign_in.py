"""Pages of signing in and out: the password, the second factor, passwords, the person's security
settings, and the operators' unlocking of locked accounts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors, services, totp
from accounts.choices import Role
from accounts.forms import (
    NewPasswordForm,
    PasswordChangeForm,
    SecondFactorForm,
    SignInForm,
    TotpConfirmForm,
    UnlockForm,
)
from accounts.models import RecoveryCode, TotpDevice, User
from accounts.permissions import require_role
from accounts.second_factor import (
    PENDING_KEY,
    VERIFIED_ATTRIBUTE,
    has_confirmed_device,
    needs_second_factor,
    pending_next,
    pending_start,
    pending_user,
    second_factor_required,
)
from accounts.sign_in import locked_message, sign_in_locked_until
from core.actions import page_action
from core.errors import DomainError
from core.permissions import post_only
from core.request_context import current_origin


class LoginView(auth_views.LoginView):
    """The password; for the roles that need it, the second factor follows on its own page and
    only then is the session signed in."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not needs_second_factor(user):
            return super().form_valid(form)
        pending_start(self.request, user, next_url=self.get_success_url())
        return redirect("accounts:login-verify" if has_confirmed_device(user) else "accounts:login-setup")


class LogoutView(auth_views.LogoutView):
    """Signing out also ends the person's API tokens. It is an action address (the menu's form
    posts to it): any other method is not found, as for core.permissions.post_only, not Django's 405."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.api_tokens_revoke(user=request.user, reason="退出登录")
        return super().post(request, *args, **kwargs)


def _sign_in_complete(request, user: User) -> str:
    """Sign the pending person in (the second factor was proved); returns where they go next."""
    next_url = pending_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PENDING_KEY, None)
    setattr(request, VERIFIED_ATTRIBUTE, True)
    login(request, user, backend=user.backend)
    return next_url


def _pending_or_restart(request):
    user = pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("登录等待时间过长，请重新输入用户名和密码。"))
    return user


@require_http_methods(["GET", "POST"])
def login_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    if not has_confirmed_device(user):
        return redirect("accounts:login-setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = sign_in_locked_until(user.username, current_origin().ip_address)
        if until is not None:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, locked_message(until))
            return redirect("accounts:login")
        try:
            how = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as refusal:
            form.add_error("code", refusal.message)
        else:
            next_url = _sign_in_complete(request, user)
            if how == "recovery":
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                messages.warning(
                    request,
                    _("您使用恢复码登录，还剩 %(left)d 个恢复码。如手机已丢失，请在“账号安全”中重新设置验证器。")
                    % {"left": left},
                )
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/login_verify.html", {"form": form, "person": user})


@require_http_methods(["GET", "POST"])
def totp_setup(request):
    """Setting up an authenticator app: on signing in, when the role needs one and the person has
    none yet; from the security page, to add one or replace a lost phone."""
    signing_in = not request.user.is_authenticated
    person = _pending_or_restart(request) if signing_in else request.user
    if person is None:
        return redirect("accounts:login")
    if signing_in and has_confirmed_device(person):
        return redirect("accounts:login-verify")  # an app is replaced only from a full session
    device = services.totp_enrol_start(actor=person)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol_confirm(actor=person, code=form.cleaned_data["code"])
        except DomainError as refusal:
            form.add_error("code", refusal.message)
        else:
            next_url = _sign_in_complete(request, person) if signing_in else reverse("accounts:security")
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
    issuer = str(settings.PORTAL_NAME)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "signing_in": signing_in,
            "replacing": device.confirmed,
            "secret": totp.grouped(device.pending_secret),
            "uri": totp.provisioning_uri(device.pending_secret, account=person.username, issuer=issuer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """The person's own security settings: password, second factor, recovery codes, API tokens."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "recovery_codes":
        outcome = page_action(request, services.recovery_codes_regenerate)
        if outcome.ok:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": outcome.value, "next_url": reverse("accounts:security")},
            )
        return redirect("accounts:security")
    if request.method == "POST" and request.POST.get("action") == "revoke_tokens":
        services.api_tokens_revoke(user=user, reason="本人撤销")
        messages.success(request, _("已撤销您的全部 API 令牌。"))
        return redirect("accounts:security")
    if request.method == "POST":
        return redirect("accounts:security")
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "second_factor_required": second_factor_required(user),
            "recovery_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
            "tokens": user.api_tokens.filter(expires_at__gt=timezone.now()).order_by("-created_at"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = page_action(
            request,
            services.password_change,
            form=form,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
            success=_("密码已修改。其他设备上的登录和 API 令牌已失效。"),
        )
        if changed.ok:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, changed.value)
            return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.password_reset_requested(
            actor=self.request.user, users=list(form.get_users(form.cleaned_data["email"]))
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a password from the e-mailed link, through the service (strength, history, tokens
    revoked, audit)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    form_class = NewPasswordForm
    token_generator = default_token_generator

    def form_valid(self, form):
        try:
            services.password_reset_set(user=form.user, new_password=form.cleaned_data["new_password1"])
        except DomainError as refusal:
            form.add_error("new_password1", refusal.message)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@login_required
def operator_locked_accounts(request):
    require_role(request.user, Role.OPERATOR)
    return render(
        request,
        "accounts/operator/locked_accounts.html",
        {"locked": selectors.accounts_locked(), "unlock_form": UnlockForm()},
    )


@login_required
@post_only
def operator_account_unlock(request, pk):
    require_role(request.user, Role.OPERATOR)
    user = get_object_or_404(User, pk=pk)
    form = UnlockForm(request.POST)
    if form.is_valid():
        page_action(
            request,
            services.account_unlock,
            user=user,
            reason=form.cleaned_data["reason"],
            success=_("已解锁账号 %(username)s。") % {"username": user.username},
        )
    else:
        messages.error(request, _("请填写解锁原因。"))
    back = request.POST.get("back", "")
    if back == "organisation" and user.organisation_id:
        return redirect("accounts:operator-organisation-detail", pk=user.organisation_id)
    return redirect("accounts:operator-locked-accounts")
