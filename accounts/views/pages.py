"""Pages: parse, authorise, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.choices import OrganisationKind, Role
from accounts.exports import audit_records_csv
from accounts.filters import AuditRecordFilterSet, OrganisationFilterSet
from accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    OperatorAccountForm,
    OrganisationExportForm,
    RegistrationForm,
    RejectForm,
    UnlockForm,
    VerificationEvidenceForm,
)
from accounts.permissions import (
    can_add_verification_evidence,
    can_manage_organisation_members,
    can_see_verification_evidence,
    require_role,
)
from core import selectors as core_selectors
from core import services as core_services
from core.actions import action_redirect, page_action
from core.errors import DomainError
from core.home_panels import PUBLIC, panels_for
from core.paging import page_of
from core.permissions import post_only, require
from core.returns import back_url
from core.services import job_create


def public_home(request):
    """The front page: who takes part, then what the other apps show everyone (core.home_panels.PUBLIC)."""
    counts = selectors.verified_organisation_counts_by_kind()
    return render(
        request,
        "public/home.html",
        {
            "soe_count": counts.get(OrganisationKind.SOE, 0),
            "company_count": counts.get(OrganisationKind.COMPANY, 0),
            "association_count": counts.get(OrganisationKind.ASSOCIATION, 0),
            "panels": panels_for(PUBLIC, request),
        },
    )


# The session of a visitor who has just registered points at their mail (the page after registering).
REGISTRATION_MAIL_KEY = "registration_mail"


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {field: value for field, value in form.cleaned_data.items() if field not in ("password1", "password2")}
        outcome = page_action(
            request, services.organisation_register, form=form, password=form.cleaned_data["password1"], **data
        )
        if outcome.ok:
            request.session[REGISTRATION_MAIL_KEY] = outcome.value.pk
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_done(request):
    """After registering: whether the mail went out, and sending it again (the visitor's own
    mail, through their session; the same page whatever the mail says)."""
    mail = selectors.registration_mail_of_session(request.session.get(REGISTRATION_MAIL_KEY))
    if request.method == "POST":
        if mail is None:
            raise Http404
        outcome = page_action(request, services.registration_mail_resend, mail=mail)
        if outcome.ok:
            request.session[REGISTRATION_MAIL_KEY] = outcome.value.pk
        return redirect("accounts:register-done")
    return render(
        request,
        "accounts/register_done.html",
        {"mail": mail, "resend_at": services.registration_mail_allowed_at(mail.email) if mail else None},
    )


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
        context["pending_organisations"] = selectors.organisations_pending_for(user)[:10]
        context["pending_count"] = selectors.organisations_pending_count()
    if role == Role.OFFICIAL:
        context["by_district"] = selectors.verified_organisations_by_district()
        context["by_kind"] = selectors.verified_organisations_by_kind()
    if role == Role.AUDITOR:
        context["recent_audit"] = list(selectors.audit_records_visible_to(user)[:10])
        core_services.audit_reading_record(  # the newest records read on the home page
            actor=user, action="audit.search", filters={"home": True}, count=len(context["recent_audit"])
        )
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
            invited = page_action(
                request,
                services.invitation_create,
                form=form,
                **form.cleaned_data,
                success=lambda invitation: _("邀请已发送至 %(email)s。") % {"email": invitation.email},
            )
            if invited.ok:
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
            **_evidence_context(request.user, organisation),
        },
    )


def _evidence_context(user, organisation, form=None) -> dict:
    """The verification files (for the organisation's admins and operators) and the upload form."""
    if not can_see_verification_evidence(user, organisation):
        return {}
    may_add = can_add_verification_evidence(user, organisation)
    return {
        "evidence": selectors.verification_evidence_of(organisation),
        "evidence_form": (form or VerificationEvidenceForm()) if may_add else None,
        "can_add_evidence": may_add,
    }


@login_required
@post_only
def verification_evidence_upload(request):
    organisation = request.user.organisation
    if organisation is None or not can_add_verification_evidence(request.user, organisation):
        raise Http404
    form = VerificationEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        page_action(
            request,
            services.verification_evidence_upload,
            form=form,
            uploaded_file=form.cleaned_data["file"],
            success=_("认证材料已上传。"),
        )
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(reverse("accounts:my-organisation") + "#evidence")


@login_required
def verification_evidence_download(request, pk):
    evidence = selectors.verification_evidence_for(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
@post_only
def verification_evidence_remove(request, pk):
    evidence = selectors.verification_evidence_for(request.user, pk)
    require(can_add_verification_evidence(request.user, evidence.organisation))
    return action_redirect(
        request,
        services.verification_evidence_remove,
        to=reverse("accounts:my-organisation") + "#evidence",
        success=_("认证材料已删除。"),
        evidence=evidence,
    )


@login_required
@post_only
def invitation_revoke(request, pk):
    require(can_manage_organisation_members(request.user))  # a colleague who is not an admin: 404
    invitation = get_object_or_404(selectors.invitations_of_organisation(request.user), pk=pk)
    return action_redirect(
        request,
        services.invitation_revoke,
        to="accounts:my-organisation",
        success=_("邀请已撤回。"),
        invitation=invitation,
    )


@login_required
@post_only
def request_reverification(request):
    if not can_manage_organisation_members(request.user):
        raise Http404  # the organisation's admins' action: anyone else learns nothing of it
    return action_redirect(
        request,
        services.organisation_request_reverification,
        to="accounts:my-organisation",
        success=_("已重新提交审核。"),
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "accounts/accept_invitation.html", {"closed": True}, status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accepted = page_action(
            request,
            services.invitation_accept,
            form=form,
            success=_("账号已创建，请登录。"),
            token=token,
            username=data["username"],
            display_name=data["display_name"],
            password=data["password1"],
            phone=data["phone"],
        )
        if accepted.ok:
            return redirect("accounts:login")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})


@login_required
def operator_organisations(request):
    require_role(request.user, Role.OPERATOR)
    filterset = OrganisationFilterSet(
        request.GET or None,
        queryset=selectors.organisations_visible_to(request.user).order_by("verification_status", "-created_at"),
    )
    page = page_of(request, filterset.qs)
    return render(request, "accounts/operator/organisations.html", {"filterset": filterset, "page": page})


def _with_back(url: str, back: str) -> str:
    return f"{url}?{urlencode({'back': back})}" if back else url


@login_required
@require_http_methods(["GET", "POST"])
def operator_organisation_detail(request, pk):
    require_role(request.user, Role.OPERATOR)
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    here = reverse("accounts:operator-organisation-detail", args=[pk])
    # From the queue, the operator goes back to it as they left it (search and filters).
    back = back_url(request, "")
    if not back.startswith(reverse("accounts:operator-organisations")):
        back = ""
    if request.method == "POST" and request.POST.get("action") == "verify":
        outcome = page_action(
            request,
            services.organisation_verify,
            success=_("已认证：%(name)s") % {"name": organisation.name},
            organisation=organisation,
            note=request.POST.get("note", "")[:500],
        )
        return redirect(back if outcome.ok and back else _with_back(here, back))
    if request.method == "POST" and request.POST.get("action") == "reject" and reject_form.is_valid():
        outcome = page_action(
            request,
            services.organisation_reject,
            success=_("已退回：%(name)s") % {"name": organisation.name},
            organisation=organisation,
            reason=reject_form.cleaned_data["reason"],
        )
        return redirect(back if outcome.ok and back else _with_back(here, back))
    members = list(selectors.organisation_members(organisation))
    return render(
        request,
        "accounts/operator/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "locked_member_ids": selectors.locked_user_ids(members),
            "unlock_form": UnlockForm(),
            "reject_form": reject_form,
            **_evidence_context(request.user, organisation),
        },
    )


@login_required
@post_only
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
        opened = page_action(
            request,
            services.account_create_by_operator,
            form=form,
            **form.cleaned_data,
            success=lambda user: (
                _("已开通账号 %(username)s，设置密码的链接已发送至 %(email)s。")
                % {"username": user.username, "email": user.email}
            ),
        )
        if opened.ok:
            return redirect("accounts:role-home", role=Role.OPERATOR)
    return render(request, "accounts/operator/account_create.html", {"form": form})


@login_required
def audit_log(request):
    """The audit log, filtered; the auditor's search is itself recorded (after the page is read,
    so the record of this search is not on the page it describes)."""
    require_role(request.user, Role.AUDITOR)
    filterset = AuditRecordFilterSet(request.GET or None, queryset=selectors.audit_records_visible_to(request.user))
    page = page_of(request, filterset.qs, sizes=(50, 100))
    page.object_list = list(page.object_list)
    core_services.audit_reading_record(
        actor=request.user,
        action="audit.search",
        filters={**filterset.used_filters(), "page": page.number},
        count=page.paginator.count,
    )
    return render(request, "accounts/audit_log.html", {"filterset": filterset, "page": page})


@login_required
def audit_detail(request, pk):
    require_role(request.user, Role.AUDITOR)
    record = get_object_or_404(selectors.audit_records_visible_to(request.user), pk=pk)
    core_services.audit_reading_record(actor=request.user, action="audit.view", filters={}, record=record)
    return render(request, "accounts/audit_detail.html", {"record": record})


@login_required
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM, for Excel), written as it is read; the
    export is recorded with its filters and the number of records."""
    require_role(request.user, Role.AUDITOR)
    filterset = AuditRecordFilterSet(request.GET or None, queryset=selectors.audit_records_visible_to(request.user))
    records = filterset.qs.order_by("chain_position", "id")
    core_services.audit_reading_record(
        actor=request.user, action="audit.export", filters=filterset.used_filters(), count=records.count()
    )
    response = StreamingHttpResponse(audit_records_csv(records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y%m%d}.csv"'
    return response
