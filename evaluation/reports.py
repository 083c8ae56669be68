"""The round report (评估报告): a workbook built by a Celery job (core.jobs), from the results the
round published when it closed. Reading only: it writes no result.

Sheets: 汇总 (subject, total, grade, dimension scores, red-line hits), one sheet per subject (each
indicator's aggregated points, expert count, spread, consensus), 问题清单 (the round's findings).
Operators start it (round_close queues it) and download it; subjects read their own result page.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.excel import SheetWriter, new_workbook, workbook_bytes
from core.jobs import register_job
from evaluation.models import EvaluationRound, Finding, SubjectResult
from evaluation.permissions import may_start_round_report


def round_report_rows(round_: EvaluationRound) -> list[dict]:
    """Each subject with the result to report (the published one, else the latest): {subject, result}.
    Three queries: subjects, results, (nothing per subject)."""
    subjects = list(round_.subjects.order_by("id"))
    chosen: dict[int, SubjectResult] = {}
    for result in SubjectResult.objects.filter(subject__round=round_).order_by(
        "subject_id", "-is_published", "-computed_at", "-id"
    ):
        chosen.setdefault(result.subject_id, result)
    return [{"subject": subject, "result": chosen.get(subject.pk)} for subject in subjects]


def _number(value):
    return Decimal(value) if value not in (None, "") else ""


def _leaf_names(result: SubjectResult | None, ids: list[int]) -> str:
    if result is None:
        return ""
    names = {leaf["id"]: f"{leaf['code']} {leaf['name']}" for leaf in result.results["leaves"]}
    return "、".join(names.get(item, str(item)) for item in ids)


def round_report_workbook(round_: EvaluationRound, report=None) -> bytes:
    rows = round_report_rows(round_)
    dimensions = [item for item in round_.framework.indicators.filter(parent__isnull=True).order_by("position", "id")]
    workbook = new_workbook()
    summary = SheetWriter(
        workbook,
        _("汇总"),
        [_("评价对象"), _("总分"), _("等级"), *[f"{item.name}（{item.weight}）" for item in dimensions], _("触及红线")],
        widths=[36, 10, 8, *[12] * len(dimensions), 30],
    )
    for row in rows:
        result = row["result"]
        scores = {item["id"]: item["score"] for item in result.results["dimensions"]} if result else {}
        summary.append(
            [
                row["subject"].title,
                _number(result.total) if result else "",
                result.grade if result else "",
                *[_number(scores.get(item.pk)) for item in dimensions],
                _leaf_names(result, result.results["red_line_hits"]) if result else "",
            ]
        )
    for index, row in enumerate(rows, start=1):
        result = row["result"]
        writer = SheetWriter(
            workbook,
            f"{index}-{row['subject'].title}"[:31],
            [
                _("编号"),
                _("指标"),
                _("满分"),
                _("权重"),
                _("专家人数"),
                _("平均分"),
                _("极差"),
                _("得分"),
                _("折算得分"),
                _("合议"),
                _("触及红线"),
            ],
            widths=[8, 30, 8, 8, 8, 8, 8, 8, 10, 8, 10],
        )
        for leaf in result.results["leaves"] if result else []:
            writer.append(
                [
                    leaf["code"],
                    leaf["name"],
                    _number(leaf["max_points"]),
                    _number(leaf["absolute_weight"]),
                    leaf["experts"],
                    _number(leaf["mean"]),
                    _number(leaf["spread"]),
                    _number(leaf["points"]),
                    _number(leaf["share"]),
                    _("是") if leaf["consensus"] else "",
                    _("是") if leaf["red_line_hit"] else "",
                ]
            )
        if report:
            report(
                int(index * 90 / max(len(rows), 1)),
                _("已汇总 %(done)d / %(total)d 个评价对象")
                % {
                    "done": index,
                    "total": len(rows),
                },
            )
    findings = SheetWriter(
        workbook,
        _("问题清单"),
        [
            _("评价对象"),
            _("严重程度"),
            _("相关指标"),
            _("问题描述"),
            _("整改建议"),
            _("整改单位"),
            _("整改期限"),
            _("整改状态"),
        ],
        widths=[30, 8, 20, 40, 40, 24, 12, 10],
    )
    for finding in (
        Finding.objects.filter(subject__round=round_)
        .select_related("subject", "indicator", "organisation")
        .order_by("subject_id", "due_date", "id")
    ):
        findings.append(
            [
                finding.subject.title,
                finding.get_severity_display(),
                str(finding.indicator) if finding.indicator_id else "",
                finding.description,
                finding.recommendation,
                finding.organisation.name,
                finding.due_date.isoformat(),
                finding.get_status_display(),
            ]
        )
    return workbook_bytes(workbook)


@register_job("evaluation.round_report", title=gettext_lazy("评估报告"), may_start=may_start_round_report)
def round_report_job(job, report):
    round_ = EvaluationRound.objects.select_related("framework").get(pk=job.params["round"])
    report(0, _("正在汇总：%(title)s") % {"title": round_.title})
    content = round_report_workbook(round_, report)
    return f"evaluation-report-{round_.pk}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx", content
