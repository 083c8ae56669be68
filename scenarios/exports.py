"""The catalogue as Excel: written directly for small lists, by a Celery job for large ones."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.excel import SheetWriter, new_workbook, workbook_bytes
from core.jobs import only_params, register_job

EXPORT_DIRECT_LIMIT = 1000
CHUNK = 500


def scenario_workbook(queryset, total: int, report=None) -> bytes:
    workbook = new_workbook()
    writer = SheetWriter(
        workbook,
        _("应用场景"),
        [
            _("场景名称"),
            _("发榜单位"),
            _("领域大类"),
            _("具体领域"),
            _("所在区域"),
            _("建设阶段"),
            _("资金来源"),
            _("投资方式"),
            _("项目投资额（元）"),
            _("场景类型"),
            _("特色示范性场景"),
            _("技术需求"),
            _("状态"),
            _("发布时间"),
        ],
        widths=[36, 30, 10, 12, 10, 8, 10, 10, 16, 18, 10, 40, 10, 18],
    )
    for done, scenario in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        writer.append(
            [
                scenario.title,
                scenario.publisher.name,
                scenario.domain.parent.name if scenario.domain_id and scenario.domain.parent_id else "",
                scenario.domain.name if scenario.domain_id else "",
                scenario.district.name if scenario.district_id else "",
                scenario.get_stage_display(),
                scenario.get_funding_level_display(),
                scenario.get_funding_share_display(),
                scenario.funding_amount,
                scenario.get_track_display(),
                _("是") if scenario.is_flagship else _("否"),
                scenario.needs_text,
                scenario.get_status_display(),
                timezone.localtime(scenario.published_at).strftime("%Y-%m-%d") if scenario.published_at else "",
            ]
        )
        if report and done % CHUNK == 0:
            report(int(done * 95 / max(total, 1)), _("已写入 %(done)d / %(total)d") % {"done": done, "total": total})
    return workbook_bytes(workbook)


def _catalogue_params(params: dict) -> dict:
    """The catalogue's own filters and sort, as its page sends them."""
    from scenarios.filters import ScenarioFilterSet

    return only_params(*ScenarioFilterSet.base_filters, "page_size")(params)


@register_job(
    "scenarios.catalogue_export",
    title=gettext_lazy("应用场景导出"),
    may_start=lambda user: user.is_authenticated,
    request_params=_catalogue_params,
)
def catalogue_export_job(job, report):
    from scenarios.filters import ScenarioFilterSet
    from scenarios.selectors import catalogue, export_rows

    query = QueryDict(mutable=True)
    for key, value in job.params.items():
        query[key] = value
    queryset = export_rows(ScenarioFilterSet(query or None, queryset=catalogue()).qs)
    total = queryset.count()
    report(0, _("共 %(total)d 个场景") % {"total": total})
    content = scenario_workbook(queryset, total, report)
    return f"scenarios-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx", content
