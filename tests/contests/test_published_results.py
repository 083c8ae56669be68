"""A published ranking changes only through an explicit, audited operator action with a reason;
reading or exporting it never does."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contests.exports import score_summary_workbook
from contests.models import JudgeRelationship, RankingSnapshot
from contests.selectors import latest_snapshot, snapshot_verify
from core.models import AuditRecord
from tests.contests.conftest import move_to

pytestmark = pytest.mark.django_db


def _published_scores(challenge) -> dict:
    return {row["entry"]: row["score"] for row in latest_snapshot(challenge).results["entries"]}


@pytest.fixture
def published(scored):
    """The scored challenge in 公示, and a relationship declared afterwards that a recomputation
    would act on (judge 1 with entry 1's company): the case where an export used to change the result."""
    challenge, entries, judges = scored
    move_to(challenge.contest, "notice")
    JudgeRelationship.objects.create(judge=judges[0], organisation=entries[0].lead, kind="collaboration")
    return challenge, entries, judges


def test_exporting_the_score_summary_changes_no_published_result(published):
    challenge, entries, judges = published
    before, snapshots = _published_scores(challenge), RankingSnapshot.objects.count()

    workbook = load_workbook(io.BytesIO(score_summary_workbook(challenge.contest)))

    assert RankingSnapshot.objects.count() == snapshots
    assert _published_scores(challenge) == before and before[entries[0].pk] == "84.00"
    summary = workbook.worksheets[0]
    scores = {row[1]: row[-6] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert scores[entries[0].title] == Decimal("84.00")  # the published figure, not a recomputed one
    # The detail sheet lists exactly the sheets the summary counted: 5 judges × 3 entries.
    details = [row for row in workbook["评分明细"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(details) == 15 and judges[0].display_name in {row[2] for row in details}
    assert snapshot_verify(latest_snapshot(challenge))


def test_a_recompute_after_publication_needs_a_reason_and_is_audited(client, published, contest_operator):
    challenge, entries, judges = published
    before = _published_scores(challenge)
    client.force_login(contest_operator)
    url = reverse("contests:ranking", args=[challenge.pk])
    assert "重新计算的原因（排名已公示，必填）" in client.get(url).content.decode()

    client.post(url, {"action": "recompute"}, follow=True)
    assert _published_scores(challenge) == before
    assert not AuditRecord.objects.filter(action="ranking.recompute").exists()

    page = client.post(url, {"action": "recompute", "reason": "周专家补报合作关系，剔除其评分"}, follow=True)
    assert "已完成" in page.content.decode()
    after = _published_scores(challenge)
    assert after[entries[0].pk] != before[entries[0].pk]  # judge 1's sheet on entry 1 no longer counts
    record = AuditRecord.objects.get(action="ranking.recompute")
    assert record.reason == "周专家补报合作关系，剔除其评分" and record.actor == contest_operator
    assert record.before["scores"][str(entries[0].pk)][1] == "84.00"
    assert record.after["scores"][str(entries[0].pk)][1] == after[entries[0].pk]


def test_a_recompute_before_publication_is_audited_without_a_reason(client, scored, contest_operator):
    challenge, entries, judges = scored
    client.force_login(contest_operator)
    client.post(reverse("contests:ranking", args=[challenge.pk]), {"action": "recompute"})
    assert AuditRecord.objects.filter(action="ranking.recompute", reason="").count() == 1


def test_officials_cannot_export_the_judges_scores(client, scored):
    """The score summary shows every judge's points per criterion: operators only, not officials."""
    from core.models import Job
    from tests.factories.accounts import UserFactory, government

    challenge, entries, judges = scored
    client.force_login(UserFactory(organisation=government(), roles=["official"]))
    client.post(reverse("contests:ranking", args=[challenge.pk]), {"action": "export"})
    assert not Job.objects.exists()
