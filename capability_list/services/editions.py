"""Editions of the list: an operator publishes the newly listed entries as one workbook.

The workbook (capability_list/exports.py) is built by a job whose progress shows on the job
page; the edition is public once the workbook is ready.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from capability_list.exports import edition_workbook
from capability_list.models import Edition
from capability_list.permissions import is_operator
from capability_list.selectors import entries_awaiting_edition
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, job_create


@transaction.atomic
def edition_publish(*, actor, year: int | None = None) -> Edition:
    """Start the next batch of the year with every listed entry not yet published; queue its workbook.

    Side effects: an Edition (state building) with its entries, a Job, an audit record.
    """
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以发布能力清单。"))
    year = year or timezone.localdate().year
    entry_ids = list(entries_awaiting_edition().values_list("pk", flat=True))
    if not entry_ids:
        raise DomainError(_("没有新入库的条目，无需发布新版次。"), code="nothing_to_publish")
    batch = (Edition.objects.select_for_update().filter(year=year).aggregate(last=Max("batch"))["last"] or 0) + 1
    edition = Edition.objects.create(
        year=year, batch=batch, title=f"宁波市企业技术（产品）能力清单（{year}年第{batch}批）", created_by=actor
    )
    edition.entries.set(entry_ids)
    edition.job = job_create(
        actor=actor,
        kind="capability_list.edition_workbook",
        params={"edition": edition.pk},
        title=Message(gettext_noop("生成%(title)s"), title=edition.title),
    )
    edition.save(update_fields=["job"])
    audit_record(
        actor=actor,
        action="edition.publish",
        target=edition,
        after={"year": year, "batch": batch, "entries": len(entry_ids)},
    )
    return edition


def edition_workbook_build(*, edition: Edition, report) -> tuple[str, bytes]:
    """The edition job's work: write the workbook, store it and make the edition public.

    A failure marks the edition failed and raises (the job records it). Returns the file's name
    and bytes, which the job keeps as its result.
    """
    try:
        content = edition_workbook(edition, report)
    except Exception:
        Edition.objects.filter(pk=edition.pk).update(state=Edition.State.FAILED)
        raise
    file_name = f"ningbo-capability-list-{edition.year}-{edition.batch}.xlsx"
    with transaction.atomic():
        edition.workbook.save(file_name, ContentFile(content), save=False)
        edition.state = Edition.State.PUBLISHED
        edition.published_at = timezone.now()
        edition.save(update_fields=["workbook", "state", "published_at"])
    return file_name, content
