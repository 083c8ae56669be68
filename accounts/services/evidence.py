"""Writes for the evidence an organisation gives the operators who verify it (营业执照 and the like).

Files are checked by core.uploads.check_evidence (PDF/JPG/PNG, 10 MB, content matching the
name), stored under private/ and served only by a permission-checked view.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User, VerificationEvidence
from accounts.permissions import can_add_verification_evidence
from core.errors import PermissionDenied
from core.services.audit import audit_record
from core.uploads import accepted_file, check_evidence


@transaction.atomic
def verification_evidence_upload(*, actor: User, uploaded_file) -> VerificationEvidence:
    """The organisation's admin adds a file for its verification, while it is not yet verified.

    Side effects: the file stored under private/; an audit record."""
    organisation = Organisation.objects.select_for_update().filter(pk=actor.organisation_id).first()
    if organisation is None or not can_add_verification_evidence(actor, organisation):
        raise PermissionDenied(_("只有待认证机构的管理员可以上传认证材料。"))
    evidence = VerificationEvidence.objects.create(
        organisation=organisation, uploaded_by=actor, **accepted_file(uploaded_file, check=check_evidence)
    )
    audit_record(
        actor=actor,
        action="organisation.evidence_upload",
        target=organisation,
        after={"evidence": evidence.pk, "name": evidence.original_name},
    )
    return evidence


@transaction.atomic
def verification_evidence_remove(*, actor: User, evidence: VerificationEvidence) -> None:
    """Remove a file given by mistake, before verification. Side effects: row and file; an audit record."""
    organisation = Organisation.objects.select_for_update().get(pk=evidence.organisation_id)
    if not can_add_verification_evidence(actor, organisation):
        raise PermissionDenied(_("只有待认证机构的管理员可以删除认证材料。"))
    before = {"evidence": evidence.pk, "name": evidence.original_name}
    stored = evidence.file
    evidence.delete()
    audit_record(actor=actor, action="organisation.evidence_remove", target=organisation, before=before)
    transaction.on_commit(lambda: stored.delete(save=False))
