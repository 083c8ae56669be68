"""The organisation directory export (机构名录导出): the first job kind, used by operators."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can_read_all_organisations
from accounts.selectors import organisations_for_export
from core.excel import SheetWriter, new_workbook, workbook_bytes
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
