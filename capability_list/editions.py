"""Editions of the list: an operator publishes the newly listed entries as one workbook.

The workbook has one sheet per industry section (门类) and is built by a Celery job whose
progress shows on the job page; the edition is public once the workbook is ready.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, PermissionDenied
from core.excel import SheetWriter, new_workbook, workbook_bytes
from core.jobs import register_job
from core.services import audit_record, job_create
from capability_list.choices import EntryStatus
from capability_list.models import CapabilityEntry, Edition
from capability_list.permissions import is_operator

HEADERS = [
    "序号", "企业名称", "统一社会信用代码", "所在区域", "技术（产品）名称", "类型", "行业大类", "战略性新兴产业领域",
    "技术（产品）简介", "应用案例", "技术领域", "成熟度", "价格区间", "战略性新兴技术（产品）", "自主创新产品", "三首认定",
]
WIDTHS = [6, 32, 22, 10, 28, 8, 28, 16, 50, 40, 24, 10, 14, 10, 10, 36]
CHUNK = 200


def entries_awaiting_edition():
    """Listed entries that no edition has published yet."""
    return CapabilityEntry.objects.filter(status=EntryStatus.LISTED, editions__isnull=True)


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
    edition = Edition.objects.create(year=year, batch=batch, title=f"宁波市企业技术（产品）能力清单（{year}年第{batch}批）", created_by=actor)
    edition.entries.set(entry_ids)
    edition.job = job_create(actor=actor, kind="capability_list.edition_workbook", params={"edition": edition.pk}, title=_("生成%(title)s") % {"title": edition.title})
    edition.save(update_fields=["job"])
    audit_record(actor=actor, action="edition.publish", target=edition, after={"year": year, "batch": batch, "entries": len(entry_ids)})
    return edition


def _credentials_text(entry) -> str:
    return "；".join(f"{c.get_kind_display()}（{c.get_level_display()}，{c.year}，{c.certificate_number}）" for c in entry.credentials.all())


def edition_workbook(edition: Edition, report) -> bytes:
    entries = (
        edition.entries.select_related("company", "company__district", "industry", "industry__section", "strategic_area")
        .prefetch_related("credentials")
        .order_by("industry__section__code", "industry__code", "company__name", "name")
    )
    total = entries.count()
    workbook = new_workbook()
    writers: dict[str, SheetWriter] = {}
    numbers: dict[str, int] = {}
    for done, entry in enumerate(entries.iterator(chunk_size=CHUNK), start=1):
        section = entry.industry.section if entry.industry_id else None
        sheet = f"{section.code} {section.name}" if section else "未分类"
        if sheet not in writers:
            # Sheet titles may not hold : \ / ? * [ ] and are at most 31 characters.
            clean = "".join(char for char in sheet if char not in ":\\/?*[]")[:31]
            writers[sheet] = SheetWriter(workbook, clean, HEADERS, widths=WIDTHS)
            numbers[sheet] = 0
        numbers[sheet] += 1
        writers[sheet].append(
            [
                numbers[sheet], entry.company.name, entry.company.credit_code, entry.company.district.name, entry.name,
                entry.get_kind_display(), f"{entry.industry.code} {entry.industry.name}" if entry.industry_id else "",
                entry.strategic_area.name if entry.strategic_area_id else "", entry.description, entry.application_cases,
                "、".join(entry.technology_fields or []), entry.get_maturity_display(), entry.get_price_band_display(),
                "是" if entry.is_strategic_emerging else "", "是" if entry.is_independent_innovation else "", _credentials_text(entry),
            ]
        )
        if done % CHUNK == 0:
            report(int(done * 90 / max(total, 1)), _("已写入 %(done)d / %(total)d 条") % {"done": done, "total": total})
    if not writers:
        SheetWriter(workbook, "说明", ["本版次没有条目"])
    return workbook_bytes(workbook)


@register_job("capability_list.edition_workbook", title=gettext_lazy("生成能力清单"), may_start=is_operator)
def edition_workbook_job(job, report):
    edition = Edition.objects.get(pk=job.params["edition"])
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

