"""The organisation directory export (机构名录导出): the first job kind, used by operators; and the
auditor's CSV of the audit log."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can_read_all_organisations
from accounts.selectors import organisations_for_export
from core.excel import SheetWriter, new_workbook, safe_value, workbook_bytes
from core.jobs import only_params, register_job

CHUNK = 500


@register_job(
    "accounts.organisation_directory",
    title=gettext_lazy("机构名录导出"),
    may_start=can_read_all_organisations,
    request_params=only_params("kind", "district", "verification_status", "q"),
)
def organisation_directory_export(job, report):
    """One sheet of every organisation matching the job's filters, with its verification state."""
    organisations = organisations_for_export(job.params)
    total = organisations.count()
    workbook = new_workbook()
    writer = SheetWriter(
        workbook,
        _("机构名录"),
        [
            _("机构名称"),
            _("统一社会信用代码"),
            _("机构类型"),
            _("所在区域"),
            _("认证状态"),
            _("企业标识"),
            _("成员数"),
            _("注册时间"),
        ],
        widths=[36, 22, 16, 12, 10, 30, 8, 18],
    )
    report(0, _("共 %(total)d 家机构") % {"total": total})
    for done, organisation in enumerate(organisations.iterator(chunk_size=CHUNK), start=1):
        writer.append(
            [
                organisation.name,
                organisation.credit_code,
                organisation.get_kind_display(),
                organisation.district.name,
                organisation.get_verification_status_display(),
                "、".join(organisation.company_flag_labels),
                organisation.member_count,
                timezone.localtime(organisation.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
        if done % CHUNK == 0:
            report(int(done * 95 / max(total, 1)), _("已写入 %(done)d / %(total)d") % {"done": done, "total": total})
    report(98, _("正在生成文件"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"organisations-{stamp}.xlsx", workbook_bytes(workbook)


def _json_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_records_csv(records: Iterable) -> Iterator[str]:
    """The audit records as CSV lines (a BOM first, for Excel), read in chunks as they are written.
    Texts that a spreadsheet would run as a formula are neutralised (core.excel.safe_value)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_value(value) for value in values])
        return buffer.getvalue()

    yield "\ufeff" + line(
        [
            _("编号"),
            _("链序号"),
            _("时间"),
            _("事件类别"),
            _("操作人"),
            _("来源 IP"),
            _("客户端"),
            _("操作"),
            _("对象类型"),
            _("对象编号"),
            _("对象"),
            _("变更前"),
            _("变更后"),
            _("原因"),
            _("链接摘要"),
        ]
    )
    for record in records.iterator(chunk_size=CHUNK) if hasattr(records, "iterator") else records:
        yield line(
            [
                record.pk,
                record.chain_position or "",
                timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                record.get_kind_display(),
                record.actor_label,
                record.ip_address or "",
                record.user_agent,
                record.action,
                record.object_type,
                record.object_id,
                record.object_label,
                _json_text(record.before),
                _json_text(record.after),
                record.reason,
                record.record_sha256,
            ]
        )
