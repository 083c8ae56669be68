"""Pages: parse, authorise, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from core import selectors as core_selectors
from core.services import job_create
from accounts.choices import OrganisationKind, Role, VerificationStatus
from core.errors import DomainError
from core.paging import page_of
from accounts.filters import AuditRecordFilterSet, OrganisationFilterSet
from accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    OperatorAccountForm,
    OrganisationExportForm,
    RegistrationForm,
    RejectForm,
)
from core.home_panels import panels_for
from accounts.models import Invitation, Organisation
from accounts.permissions import can_manage_organisation_members, require_role

def public_home(request):
    organisations = Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED)
    counts = dict(organisations.values_list("kind").annotate(n=Count("id")).order_by())
    return render(
        request,
        "public/home.html",
        {
            "soe_count": counts.get(OrganisationKind.SOE, 0),
            "company_count": counts.get(OrganisationKind.COMPANY, 0),
            "association_count": counts.get(OrganisationKind.ASSOCIATION, 0),
        },
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_register(
                kind=data["kind"],
                name=data["name"],
                credit_code=data["credit_code"],
                district=data["district"],
                address=data["address"],
                username=data["username"],
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                is_high_growth=data["is_high_growth"],
                is_specialised=data["is_specialised"],
                is_high_tech=data["is_high_tech"],
                is_sme=data["is_sme"],
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            request.session["registered_email"] = data["email"]
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    return render(request, "accounts/register_done.html", {"email": request.session.get("registered_email", "")})


def confirm_email(request, token):
    try:
        user = services.email_confirm(token=token)
    except DomainError as error:
        return render(request, "accounts/confirm_email.html", {"error": error.message}, status=400)
    return render(request, "accounts/confirm_email.html", {"confirmed_user": user})


@login_required
def home(request):
    role = request.user.primary_role
    if role is None:
        return render(request, "accounts/home/no_role.html")
    return redirect("accounts:role-home", role=role)


ROLE_HOME_TEMPLATES = {role.value: f"accounts/home/{role.value}.html" for role in Role}


@login_required
def role_home(request, role):
    if role not in ROLE_HOME_TEMPLATES:
        raise Http404
    require_role(request.user, role)
    user = request.user
    context = {
        "role": Role(role),
        "recent_notifications": core_selectors.notifications_for(user)[:5],
        "recent_jobs": core_selectors.jobs_visible_to(user)[:5],
        "panels": panels_for(role, request),
    }
    if role == Role.OPERATOR:
        context["pending_organisations"] = (
            selectors.organisations_visible_to(user).filter(verification_status=VerificationStatus.PENDING).order_by("created_at")[:10]
        )
        context["pending_count"] = Organisation.objects.filter(verification_status=VerificationStatus.PENDING).count()
    if role == Role.OFFICIAL:
        context["by_district"] = list(
            Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED)
            .values("district__name", "district__sort_order")
            .annotate(n=Count("id"))
            .order_by("district__sort_order")
        )
        context["by_kind"] = [
            {"label": str(OrganisationKind(kind).label), "n": n}
            for kind, n in Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED).values_list("kind").annotate(n=Count("id")).order_by("kind")
        ]
    if role == Role.AUDITOR:
        context["recent_audit"] = selectors.audit_records_visible_to(user)[:10]
    return render(request, ROLE_HOME_TEMPLATES[role], context)


@login_required
@require_http_methods(["GET", "POST"])
def my_organisation(request):
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    form = None
    if can_manage_organisation_members(request.user):
        form = InvitationForm(request.POST or None, organisation=organisation)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = services.invitation_create(actor=request.user, email=form.cleaned_data["email"], roles=form.cleaned_data["roles"])
            except DomainError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("邀请已发送至 %(email)s。") % {"email": invitation.email})
                return redirect("accounts:my-organisation")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "accounts/my_organisation.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "invitations": selectors.organisation_open_invitations(organisation) if form is not None else [],
            "form": form,
        },
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk, organisation_id=request.user.organisation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("邀请已撤回。"))
    return redirect("accounts:my-organisation")


@login_required
@require_POST
def request_reverification(request):
    try:
        services.organisation_request_reverification(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重新提交审核。"))
    return redirect("accounts:my-organisation")


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        return render(request, "accounts/accept_invitation.html", {"closed": True}, status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_accept(token=token, username=data["username"], display_name=data["display_name"], password=data["password1"], phone=data["phone"])
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("账号已创建，请登录。"))
            return redirect("accounts:login")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})


@login_required
def operator_organisations(request):
    require_role(request.user, Role.OPERATOR)
    filterset = OrganisationFilterSet(request.GET or None, queryset=selectors.organisations_visible_to(request.user).order_by("verification_status", "-created_at"))
    page = page_of(request, filterset.qs)
    return render(request, "accounts/operator/organisations.html", {"filterset": filterset, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def operator_organisation_detail(request, pk):
    require_role(request.user, Role.OPERATOR)
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                services.organisation_verify(actor=request.user, organisation=organisation, note=request.POST.get("note", "")[:500])
                messages.success(request, _("已认证：%(name)s") % {"name": organisation.name})
                return redirect("accounts:operator-organisation-detail", pk=pk)
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                services.organisation_reject(actor=request.user, organisation=organisation, reason=reject_form.cleaned_data["reason"])
                messages.success(request, _("已退回：%(name)s") % {"name": organisation.name})
                return redirect("accounts:operator-organisation-detail", pk=pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("accounts:operator-organisation-detail", pk=pk)
    return render(
        request,
        "accounts/operator/organisation_detail.html",
        {"organisation": organisation, "members": selectors.organisation_members(organisation), "reject_form": reject_form},
    )


@login_required
@require_POST
def operator_organisation_export(request):
    require_role(request.user, Role.OPERATOR)
    form = OrganisationExportForm(request.POST)
    params = {key: value for key, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    job = job_create(actor=request.user, kind="accounts.organisation_directory", params=params)
    return redirect("core:job-detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def operator_account_create(request):
    require_role(request.user, Role.OPERATOR)
    form = OperatorAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.account_create_by_operator(
                actor=request.user,
                role=data["role"],
                username=data["username"],
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
                organisation=data["organisation"],
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已开通账号 %(username)s，设置密码的链接已发送至 %(email)s。") % {"username": user.username, "email": user.email})
            return redirect("accounts:role-home", role=Role.OPERATOR)
    return render(request, "accounts/operator/account_create.html", {"form": form})


@login_required
def audit_log(request):
    require_role(request.user, Role.AUDITOR)
    filterset = AuditRecordFilterSet(request.GET or None, queryset=selectors.audit_records_visible_to(request.user))
    page = page_of(request, filterset.qs, sizes=(50, 100))
    return render(request, "accounts/audit_log.html", {"filterset": filterset, "page": page})


@login_required
def audit_detail(request, pk):
    require_role(request.user, Role.AUDITOR)
    record = get_object_or_404(selectors.audit_records_visible_to(request.user), pk=pk)
    return render(request, "accounts/audit_detail.html", {"record": record})


