"""Writes for the evidence of 三首 credentials: a scan or PDF of the certificate, for the reviewer.

Files are checked by core.uploads.check_evidence (PDF/JPG/PNG, 10 MB, content matching the
name), stored under private/ and served only by a permission-checked view.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from capability_list.choices import OPEN_CHANGE_STATUSES
from capability_list.models import CapabilityEntry, CredentialEvidence
from capability_list.permissions import can_add_evidence
from core.errors import DomainError, PermissionDenied
from core.services import audit_record
from core.uploads import accepted_file, check_evidence


def certificates_of(entry: CapabilityEntry) -> list[tuple[str, str]]:
    """The certificates evidence may be given for: the listed credentials and those of the open change."""
    held = [(c.kind, c.certificate_number) for c in entry.credentials.all()]
    change = entry.revisions.filter(status__in=OPEN_CHANGE_STATUSES).first()
    for credential in change.credentials if change is not None else []:
        pair = (credential["kind"], credential["certificate_number"])
        if pair not in held:
            held.append(pair)
    return held


@transaction.atomic
def credential_evidence_upload(
    *, actor: User, entry: CapabilityEntry, credential_kind: str, certificate_number: str, uploaded_file
) -> CredentialEvidence:
    """The company (or the association that filed the entry) adds a file for one of its certificates.

    Side effects: the file stored under private/; an audit record."""
    if not can_add_evidence(actor, entry):
        raise PermissionDenied(_("您无权为该条目上传证明材料。"))
    if (credential_kind, certificate_number) not in certificates_of(entry):
        raise DomainError(_("请选择本条目登记的三首认定证书。"), code="certificate")
    evidence = CredentialEvidence.objects.create(
        entry=entry,
        credential_kind=credential_kind,
        certificate_number=certificate_number,
        uploaded_by=actor,
        **accepted_file(uploaded_file, check=check_evidence),
    )
    audit_record(
        actor=actor,
        action="capability.evidence_upload",
        target=entry,
        after={
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "certificate": f"{credential_kind} {certificate_number}",
        },
    )
    return evidence


@transaction.atomic
def credential_evidence_remove(*, actor: User, evidence: CredentialEvidence) -> None:
    """Remove a file given by mistake. Side effects: the row and the stored file; an audit record."""
    if not can_add_evidence(actor, evidence.entry):
        raise PermissionDenied(_("您无权删除该证明材料。"))
    before = {"evidence": evidence.pk, "name": evidence.original_name, "certificate": evidence.certificate_number}
    stored = evidence.file
    evidence.delete()
    audit_record(actor=actor, action="capability.evidence_remove", target=evidence.entry, before=before)
    transaction.on_commit(lambda: stored.delete(save=False))
