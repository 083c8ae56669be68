"""A submitted sheet is ranked by a real worker, and the 评分汇总表 is built by one."""

import io
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contests import selectors, services
from contests.models import RankingSnapshot
from core.models import Job
from tests.contests.conftest import make_eligible_entries, make_panel, move_to, rounds_starting, sheet_totalling
from tests.factories.accounts import operator_user
from tests.factories.scenarios import ScenarioFactory
from tests.workers.test_job_through_worker import _wait_until_finished

pytestmark = pytest.mark.worker


def _wait_for_complete_ranking(challenge, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        snapshot = selectors.latest_snapshot(challenge)
        if selectors.panel_complete(snapshot):
            return snapshot
        time.sleep(0.2)
    pytest.fail("the worker did not produce a complete ranking in time")


def test_sheets_are_ranked_by_the_worker_and_the_score_summary_is_a_job(celery_worker, client):
    operator = operator_user()
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    challenge = services.challenge_create(
        actor=scenario.created_by,
        contest=contest,
        scenario=scenario,
        award_cap="800000",
        requirements="车位检测准确率 ≥ 98%",
    )
    entries = make_eligible_entries(challenge, operator, 2)
    judges = make_panel(challenge, operator, 5)
    move_to(contest, "roadshow")
    totals = {entries[0].pk: [70, 75, 80, 85, 99], entries[1].pk: [60, 61, 62, 63, 64]}
    for entry in entries:
        for judge, total in zip(judges, totals[entry.pk]):
            services.sheet_save(actor=judge, entry=entry, points=sheet_totalling(contest, total), submit=True)

    snapshot = _wait_for_complete_ranking(challenge)
    assert {row["entry"]: row["score"] for row in snapshot.results["entries"]} == {
        entries[0].pk: "80.00",
        entries[1].pk: "62.00",
    }
    assert RankingSnapshot.objects.filter(challenge=challenge, trigger="sheet_submitted").exists()

    # Every judge's points per criterion: exported once scoring is over (from 公示 on).
    move_to(contest, "notice")
    client.force_login(operator)
    response = client.post(reverse("contests:awards", args=[contest.pk]), {"action": "export"})
    job = _wait_until_finished(Job.objects.get(kind="contests.score_summary").pk)
    assert response.url == reverse("core:job-detail", args=[job.pk])
    assert job.state == "succeeded", job.error
    download = client.get(reverse("core:job-download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["1-智慧停车管理系统", "评分明细", "计算方法"]
    rows = list(workbook["1-智慧停车管理系统"].iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "方案", "揭榜单位") and rows[0][3:8] == tuple(judge.display_name for judge in judges)
    assert rows[1][:2] == (1, "方案1") and rows[1][3:9] == (70, 75, 80, 85, 99, 80)
    assert rows[2][:2] == (2, "方案2") and rows[2][8] == 62
    assert len(list(workbook["评分明细"].iter_rows(values_only=True))) == 1 + 10
