"""Changes to listed entries (the company edits, an operator reviews the diff) and the evidence
files of 三首 credentials (uploaded by the entry's managers, served only to them and to operators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capability_list import selectors, services
from capability_list.forms import (
    ChangeReviewForm,
    CredentialFormSet,
    EntryForm,
    EvidenceForm,
    credentials_from,
    entry_initial,
)
from capability_list.permissions import can_add_evidence, can_change_listed_entry, can_see_evidence
from core.actions import FormGroup, action_redirect, page_action
from core.permissions import post_only, require


def _entry_to_change(request, pk):
    """The listed entry the person may change: the company role of the owning organisation (404 else)."""
    entry = selectors.entry_for(request.user, pk)
    require(can_change_listed_entry(request.user, entry))
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, pk):
    """Edit a listed entry: the change is saved beside the listed version, which stays public until
    an operator approves. Saving keeps the change (未提交); 保存并提交审核 also sends it for review."""
    entry = _entry_to_change(request, pk)
    change = selectors.open_change_of(entry)
    if change is not None and not change.editable:
        messages.error(request, _("该条目已有一项修改在审核中，审核完成前不能再修改。"))
        return redirect("capability_list:detail", pk=pk)
    values = change.data if change else services.listed_values(entry)
    credentials = change.credentials if change else services.listed_credentials(entry)
    form = EntryForm(request.POST or None, initial=entry_initial(values))
    formset = (
        CredentialFormSet(request.POST, prefix="credentials")
        if request.method == "POST"
        else CredentialFormSet(initial=credentials, prefix="credentials")
    )
    formset_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = page_action(
            request,
            services.entry_change_save_and_submit,
            form=FormGroup(form, lists={"credentials": formset_errors}),
            entry=entry,
            data={field: form.cleaned_data[field] for field in services.ENTRY_FIELDS},
            credentials=credentials_from(formset),
            submit=request.POST.get("intent") == "submit",
        )
        if saved.ok:
            result = saved.value
            if result.submit_refusal:
                messages.warning(
                    request, _("修改已保存，但未能提交审核：%(reason)s") % {"reason": result.submit_refusal}
                )
                return redirect("capability_list:change-edit", pk=pk)
            messages.success(
                request,
                _("修改已提交审核。审核通过前，公开页面仍显示已入库版本。")
                if result.submitted
                else _("修改已保存，尚未提交审核。"),
            )
            return redirect("capability_list:detail", pk=pk)
    return render(
        request,
        "capability_list/edit.html",
        {"form": form, "formset": formset, "formset_errors": formset_errors, "entry": entry, "change": change},
    )


# The company's buttons for its change in progress.
CHANGE_ACTIONS = {"submit": services.entry_change_submit, "discard": services.entry_change_discard}


@login_required
@post_only
def change_action(request, pk):
    """submit / discard the entry's open change, by the company role of the owning organisation."""
    entry = _entry_to_change(request, pk)
    change = selectors.open_change_of(entry)
    service = CHANGE_ACTIONS.get(request.POST.get("action"))
    if change is None or service is None:
        raise Http404
    success = _("修改已提交审核。") if service is services.entry_change_submit else _("修改已撤销。")
    return action_redirect(
        request, service, to=reverse("capability_list:detail", args=[pk]), success=success, change=change
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_review(request, pk):
    """An operator compares the change with the listed version, looks at the evidence, decides."""
    change = selectors.change_for_review(request.user, pk)
    entry = change.entry
    form = ChangeReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decided = page_action(
            request,
            services.entry_change_review,
            form=form,
            change=change,
            approve=approve,
            note=form.cleaned_data["note"],
            success=_("修改已生效：%(name)s") % {"name": entry.name}
            if approve
            else _("修改已退回：%(name)s") % {"name": entry.name},
        )
        if decided.ok:
            return redirect("capability_list:review-queue")
    return render(
        request,
        "capability_list/change_review.html",
        {
            "change": change,
            "entry": entry,
            "diff": selectors.change_diff(entry, change),
            "form": form,
            **evidence_context(request.user, entry),
        },
    )


def evidence_context(user, entry, form=None) -> dict:
    """The evidence part of a page: the files (for those who may see them) and the upload form."""
    if not can_see_evidence(user, entry):
        return {}
    certificates = services.certificates_of(entry) if can_add_evidence(user, entry) else []
    return {
        "evidence": selectors.evidence_of(entry),
        "evidence_form": form or (EvidenceForm(certificates=certificates) if certificates else None),
        "can_add_evidence": bool(certificates),
    }


@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request, pk):
    entry = selectors.entry_for(request.user, pk)
    require(can_add_evidence(request.user, entry))
    if request.method == "GET":
        return redirect("capability_list:detail", pk=pk)
    form = EvidenceForm(request.POST, request.FILES, certificates=services.certificates_of(entry))
    if form.is_valid():
        kind, number = form.cleaned_data["certificate"]
        uploaded = page_action(
            request,
            services.credential_evidence_upload,
            form=form,
            entry=entry,
            credential_kind=kind,
            certificate_number=number,
            uploaded_file=form.cleaned_data["file"],
            success=_("证明材料已上传。"),
        )
        if uploaded.ok:
            return redirect(reverse("capability_list:detail", args=[pk]) + "#evidence")
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(reverse("capability_list:detail", args=[pk]) + "#evidence")


@login_required
def evidence_download(request, pk):
    evidence = selectors.evidence_for(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
@post_only
def evidence_remove(request, pk):
    evidence = selectors.evidence_for(request.user, pk)
    require(can_add_evidence(request.user, evidence.entry))
    return action_redirect(
        request,
        services.credential_evidence_remove,
        to=reverse("capability_list:detail", args=[evidence.entry_id]) + "#evidence",
        success=_("证明材料已删除。"),
        evidence=evidence,
    )
