"""The 评分汇总表 (score summary) of a contest, built by a Celery job.

One sheet per challenge with each judge's total, the trimmed mean, subtotals, rank and 复议 flags,
from the latest stored ranking snapshot; a sheet of every criterion score of the sheets that
snapshot counted (so the summary and the detail agree); and a sheet that states the method, its
parameters and each snapshot's input hash, so the numbers can be checked.

An export only reads: it never stores a snapshot, so pressing 生成评分汇总表 cannot change a
published result. A challenge with no snapshot yet is computed in memory and marked as such."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from contests.models import Contest, RankingSnapshot, Score
from contests.permissions import may_manage_contest
from contests.ranking import METHOD, PARAMETERS, compute_ranking, inputs_sha256
from contests.rounds import require_scoring_over
from contests.selectors import latest_snapshot, ranking_inputs
from core.excel import SheetWriter, new_workbook, workbook_bytes
from core.jobs import register_job


def _number(value):
    return Decimal(value) if value not in (None, "") else ""


def _snapshot_to_show(challenge) -> RankingSnapshot:
    """The latest stored snapshot; without one, the ranking computed now and not stored."""
    snapshot = latest_snapshot(challenge)
    if snapshot is not None:
        return snapshot
    inputs = ranking_inputs(challenge)
    return RankingSnapshot(
        challenge=challenge,
        method=METHOD,
        parameters=PARAMETERS,
        inputs=inputs,
        inputs_sha256=inputs_sha256(inputs),
        results=compute_ranking(inputs),
        trigger="score_summary_unsaved",
    )


def score_summary_workbook(contest, report=None) -> bytes:
    workbook = new_workbook()
    challenges = list(contest.challenges.order_by("pk"))
    criteria = list(contest.criteria.all())
    snapshots = []
    for index, challenge in enumerate(challenges, start=1):
        snapshot = _snapshot_to_show(challenge)
        snapshots.append(snapshot)
        judge_ids = sorted({sheet["judge"] for sheet in snapshot.inputs["sheets"]})
        names = dict(User.objects.filter(pk__in=judge_ids).values_list("pk", "display_name"))
        totals = {
            (sheet["entry"], sheet["judge"]): sum(Decimal(points) for points in sheet["points"].values())
            for sheet in snapshot.inputs["sheets"]
        }
        writer = SheetWriter(
            workbook,
            f"{index}-{challenge.title}"[:31],
            [
                _("名次"),
                _("方案"),
                _("揭榜单位"),
                *[names.get(judge, str(judge)) for judge in judge_ids],
                _("截尾平均总分"),
                _("技术"),
                _("商务"),
                _("首创性"),
                _("极差"),
                _("复议提示"),
            ],
            widths=[6, 30, 30, *[10] * len(judge_ids), 12, 8, 8, 8, 8, 20],
        )
        for row in snapshot.results["entries"]:
            flags = (row["diagnostics"] or {}).get("flags", [])
            writer.append(
                [
                    row["rank"] or "",
                    row["title"],
                    row["lead"],
                    *[totals.get((row["entry"], judge), "") for judge in judge_ids],
                    _number(row["score"]),
                    _number(row["technical"]),
                    _number(row["business"]),
                    _number(row["originality"]),
                    _number((row["diagnostics"] or {}).get("spread")),
                    "、".join(_("极差超过 25 分") if flag == "spread" else _("个别专家评分偏离") for flag in flags)
                    if row["complete"]
                    else _("评分未完成"),
                ]
            )
        if report:
            report(
                int(index * 80 / max(len(challenges), 1)),
                _("已汇总 %(done)d / %(total)d 个榜单") % {"done": index, "total": len(challenges)},
            )
    details = SheetWriter(
        workbook,
        _("评分明细"),
        [
            _("榜单"),
            _("方案"),
            _("专家"),
            *[criterion.name for criterion in criteria],
            _("合计"),
            _("签名时间"),
            _("内容摘要"),
        ],
    )
    counted = {(sheet["entry"], sheet["judge"]) for snapshot in snapshots for sheet in snapshot.inputs["sheets"]}
    scores = (
        Score.objects.filter(sheet__entry__challenge__contest=contest, sheet__status="submitted")
        .select_related("sheet__entry__challenge", "sheet__judge")
        .order_by("sheet__entry__challenge_id", "sheet__entry_id", "sheet__judge_id")
    )
    sheets: dict[int, dict] = {}
    for score in scores:
        if (score.sheet.entry_id, score.sheet.judge_id) not in counted:
            continue  # a sheet the ranking did not count (e.g. a judge not expected on the entry)
        sheets.setdefault(score.sheet_id, {"sheet": score.sheet, "points": {}})["points"][score.criterion_id] = (
            score.points
        )
    for item in sheets.values():
        sheet = item["sheet"]
        points = [item["points"].get(criterion.pk, "") for criterion in criteria]
        details.append(
            [
                sheet.entry.challenge.title,
                sheet.entry.title,
                sheet.judge.display_name,
                *points,
                sum(item["points"].values()),
                timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M:%S"),
                sheet.content_sha256,
            ]
        )
    method = SheetWriter(workbook, _("计算方法"), [_("项目"), _("内容")], widths=[24, 90])
    method.append([_("大赛"), contest.name])
    method.append([_("生成时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    method.append(
        [
            _("计分方法"),
            _(
                "专家总分为各评分项得分之和；方案得分为专家总分的截尾平均："
                "5 位及以上专家去掉一个最高分和一个最低分，不足 5 位取算术平均；"
                "保留两位小数，四舍五入。技术、商务小计同法计算。"
            ),
        ]
    )
    method.append([_("同分排序"), _("依次比较技术小计、首创性得分；仍并列的，按记录在案的决定排序。")])
    method.append([_("复议提示"), _("专家总分极差超过 25 分，或某位专家总分偏离其他专家平均分两个标准差以上。")])
    for challenge, snapshot in zip(challenges, snapshots):
        method.append(
            [
                _("参数与输入摘要：%(title)s") % {"title": challenge.title},
                f"{snapshot.parameters} sha256={snapshot.inputs_sha256}"
                + ("" if snapshot.pk else " " + _("（尚无保存的排名，此为导出时的即时计算）")),
            ]
        )
    return workbook_bytes(workbook)


# Per judge and per criterion: for the operators who run the contest, once scoring is over, not for
# officials, who read the published results (contests.permissions.may_see_judges_scores). Started by
# contests.services.score_summary_export only (no request_params: not through POST /api/v1/jobs/).
@register_job("contests.score_summary", title=gettext_lazy("评分汇总表"), may_start=may_manage_contest)
def score_summary_job(job, report):
    contest = Contest.objects.get(pk=job.params["contest"])
    require_scoring_over(contest)  # again when it runs: the contest's dates may have been moved back
    report(0, _("正在汇总：%(name)s") % {"name": contest.name})
    content = score_summary_workbook(contest, report)
    return f"score-summary-{contest.pk}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx", content
