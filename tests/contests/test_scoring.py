"""Judges' score sheets: bounds, signing, locking, the chair's reopen, and the ranking snapshots."""

from decimal import Decimal

import pytest
from django.http import Http404

from contests import selectors, services
from contests.models import RankingSnapshot, Score, ScoreSheet
from contests.services import results
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from core.page_cache import scope_version
from steering.cockpit import chart_scope
from tests.contests.conftest import full_sheet, move_to, sheet_points, sheet_totalling
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _submit_all(challenge, entries, judges, totals, capture):
    """totals[entry index][judge index] → submitted sheets (running the on-commit recomputes)."""
    with capture(execute=True):
        _submit(challenge, entries, judges, totals)


def _submit(challenge, entries, judges, totals):
    for entry, entry_totals in zip(entries, totals):
        for judge, total in zip(judges, entry_totals):
            services.sheet_save(actor=judge, entry=entry, points=sheet_totalling(challenge.contest, total), submit=True)


def test_a_judge_saves_a_draft_then_submits_a_signed_sheet_that_is_locked(roadshow):
    challenge, entries, judges = roadshow
    contest = challenge.contest
    draft = services.sheet_save(
        actor=judges[1], entry=entries[0], points=sheet_points(contest, {"首创性": "12.5"}), comments={}
    )
    assert draft.status == "draft" and draft.content_sha256 == "" and draft.scores.get().points == Decimal("12.5")

    with pytest.raises(DomainError, match="尚未打分"):
        services.sheet_save(
            actor=judges[1], entry=entries[0], points=sheet_points(contest, {"首创性": "12.5"}), submit=True
        )
    assert ScoreSheet.objects.get(pk=draft.pk).status == "draft"

    comments = {criterion_id: "思路清晰" for criterion_id in full_sheet(contest)}
    sheet = services.sheet_save(
        actor=judges[1],
        entry=entries[0],
        points=full_sheet(contest, {"首创性": "12.5"}),
        comments=comments,
        submit=True,
    )
    assert sheet.status == "submitted" and sheet.submitted_at is not None and len(sheet.content_sha256) == 64
    assert sum(score.points for score in sheet.scores.all()) == Decimal("97.5")
    assert AuditRecord.objects.filter(action="score_sheet.submit", object_id=str(sheet.pk)).exists()

    with pytest.raises(DomainError, match="已签名提交"):
        services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(contest, {"首创性": "1"}), submit=True)
    assert sum(score.points for score in Score.objects.filter(sheet=sheet)) == Decimal("97.5")


def test_a_draft_leaves_the_cockpit_cached_and_submitting_or_reopening_makes_it_stale(roadshow):
    """The 驾驶舱's contest funnel counts entries with a submitted sheet: a draft, new or saved
    again, changes none of its charts, so their cache stays; a submitted or reopened sheet does."""
    challenge, entries, judges = roadshow
    chair, member = judges[0], judges[1]
    funnel = chart_scope("contest-funnel")
    stored = scope_version(funnel)
    for _draft in range(2):
        services.sheet_save(actor=member, entry=entries[0], points=full_sheet(challenge.contest), submit=False)
    assert scope_version(funnel) == stored
    sheet = services.sheet_save(actor=member, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    assert scope_version(funnel) != stored
    submitted = scope_version(funnel)
    services.sheet_reopen(actor=chair, sheet=sheet, reason="请复核")
    assert scope_version(funnel) != submitted


@pytest.mark.parametrize(
    "value, message",
    [
        ("16", "0–15 分"),
        ("-1", "0–15 分"),
        ("7.3", "0.5 分"),
        ("十分", "应为数字"),
        # Only ASCII digits with an optional fraction are points (#18): no NaN, exponent or full width.
        ("NaN", "应为数字"),
        ("1e3", "应为数字"),
    ],
)
def test_points_out_of_bounds_are_refused_and_nothing_is_stored(roadshow, value, message):
    challenge, entries, judges = roadshow
    services.sheet_save(actor=judges[0], entry=entries[0], points=sheet_points(challenge.contest, {"首创性": "10"}))
    with pytest.raises(DomainError, match=message):
        services.sheet_save(actor=judges[0], entry=entries[0], points=full_sheet(challenge.contest, {"首创性": value}))
    assert list(Score.objects.values_list("points", flat=True)) == [Decimal("10.0")]


def test_a_criterion_of_another_contest_is_refused(roadshow, make_contest):
    challenge, entries, judges = roadshow
    other = make_contest("challenges", name="另一届")
    with pytest.raises(DomainError, match="不属于"):
        services.sheet_save(actor=judges[0], entry=entries[0], points={other.criteria.first().pk: "5"})
    assert not ScoreSheet.objects.exists()


def test_unassigned_conflicted_recused_or_unsigned_judges_get_404(roadshow, contest_operator):
    challenge, entries, judges = roadshow
    outsider = UserFactory(roles=["judge"])
    with pytest.raises(Http404):
        services.sheet_save(actor=outsider, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    # a colleague of the entrant joins the judge pool: conflicted with entry 0 only
    colleague = UserFactory(organisation=entries[0].lead, roles=["judge"])
    move_to(challenge.contest, "eligibility")
    with pytest.raises(DomainError):
        services.panel_assign(actor=contest_operator, challenge=challenge, judge=colleague)
    move_to(challenge.contest, "roadshow")
    services.recusal_declare(actor=judges[2], entry=entries[1], reason="曾为该企业提供咨询")
    with pytest.raises(Http404):
        services.sheet_save(actor=judges[2], entry=entries[1], points=full_sheet(challenge.contest), submit=True)
    unsigned = UserFactory(roles=["judge"])
    move_to(challenge.contest, "eligibility")
    services.panel_assign(actor=contest_operator, challenge=challenge, judge=unsigned)
    move_to(challenge.contest, "roadshow")
    with pytest.raises(Http404):
        services.sheet_save(actor=unsigned, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    assert not ScoreSheet.objects.exists()


def test_scoring_only_during_roadshow_and_review(roadshow):
    challenge, entries, judges = roadshow
    for round_name in ("eligibility", "notice", "results"):
        move_to(challenge.contest, round_name)
        with pytest.raises(DomainError, match="路演评审和复议阶段"):
            services.sheet_save(actor=judges[0], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    move_to(challenge.contest, "review")
    assert services.sheet_save(
        actor=judges[0], entry=entries[0], points=full_sheet(challenge.contest), submit=True
    ).is_submitted


def test_only_the_chair_reopens_a_sheet_with_a_reason_and_it_is_audited(roadshow, django_capture_on_commit_callbacks):
    challenge, entries, judges = roadshow
    chair, member = judges[0], judges[1]
    sheet = services.sheet_save(actor=member, entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(actor=judges[2], sheet=sheet, reason="请复核")
    with pytest.raises(DomainError, match="退回原因"):
        services.sheet_reopen(actor=chair, sheet=sheet, reason="  ")
    assert ScoreSheet.objects.get(pk=sheet.pk).is_submitted

    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_reopen(actor=chair, sheet=sheet, reason="首创性评分与评语不一致，请复核")
    sheet.refresh_from_db()
    assert sheet.status == "draft" and sheet.content_sha256 == ""
    record = AuditRecord.objects.get(action="score_sheet.reopen")
    assert record.reason == "首创性评分与评语不一致，请复核" and record.before["status"] == "submitted"
    assert member.notifications.filter(title__contains="退回").exists()
    resubmitted = services.sheet_save(
        actor=member, entry=entries[0], points=full_sheet(challenge.contest, {"首创性": "9"}), submit=True
    )
    assert resubmitted.is_submitted


def test_the_chair_locks_scoring_and_later_sheets_are_refused(roadshow):
    challenge, entries, judges = roadshow
    with pytest.raises(PermissionDenied):
        services.scoring_lock(actor=judges[1], challenge=challenge)
    services.scoring_lock(actor=judges[0], challenge=challenge)
    with pytest.raises(DomainError, match="结束本榜单的评分"):
        services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    assert not ScoreSheet.objects.exists()
    services.scoring_unlock(actor=judges[0], challenge=challenge, reason="补录一位专家的评分")
    assert services.sheet_save(
        actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True
    ).is_submitted
    assert AuditRecord.objects.filter(action__in=["scoring.lock", "scoring.unlock"]).count() == 2


def test_each_submission_recomputes_the_ranking_snapshot_which_reproduces(
    roadshow, django_capture_on_commit_callbacks, monkeypatch
):
    # Every submission queues its own recomputation, as with a cache in process memory; with one
    # shared with the workers (Redis) a recomputation already waiting takes the next sheets along
    # (tests/contests/test_ranking_recompute_queue.py).
    monkeypatch.setattr(results, "cache_shared_with_workers", lambda: False)
    challenge, entries, judges = roadshow
    _submit_all(
        challenge,
        entries,
        judges,
        [[80, 82, 84, 86, 99], [70, 75, 80, 85, 90], [60, 90, 90, 90, 95]],
        django_capture_on_commit_callbacks,
    )
    assert RankingSnapshot.objects.filter(challenge=challenge).count() == 15  # one per submitted sheet
    latest = selectors.latest_snapshot(challenge)
    assert selectors.panel_complete(latest)
    rows = {row["entry"]: row for row in latest.results["entries"]}
    assert rows[entries[0].pk]["score"] == "84.00"  # (82 + 84 + 86) / 3
    assert rows[entries[1].pk]["score"] == "80.00"
    assert rows[entries[2].pk]["score"] == "90.00"
    assert [row["entry"] for row in latest.results["entries"]] == [entries[2].pk, entries[0].pk, entries[1].pk]
    assert latest.method == "trimmed_mean" and latest.parameters["trim_from_judges"] == 5
    assert selectors.snapshot_verify(latest)
    latest.results["entries"][0]["score"] = "99.99"
    assert not selectors.snapshot_verify(latest)

    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_reopen(
            actor=judges[0], sheet=ScoreSheet.objects.get(entry=entries[2], judge=judges[1]), reason="明显笔误，请复核"
        )
    reopened = selectors.latest_snapshot(challenge)
    assert reopened.trigger == "sheet_reopened" and not selectors.panel_complete(reopened)
    assert {row["entry"]: row for row in reopened.results["entries"]}[entries[2].pk]["rank"] is None


def test_a_recused_judge_is_not_expected_and_the_entry_completes_without_them(
    roadshow, django_capture_on_commit_callbacks
):
    challenge, entries, judges = roadshow
    services.recusal_declare(actor=judges[4], entry=entries[0], reason="近期与该企业有合作洽谈")
    with django_capture_on_commit_callbacks(execute=True):
        for judge in judges[:4]:
            services.sheet_save(
                actor=judge, entry=entries[0], points=sheet_totalling(challenge.contest, 80), submit=True
            )
    row = {row["entry"]: row for row in selectors.latest_snapshot(challenge).results["entries"]}[entries[0].pk]
    assert row["complete"] is True and row["expected"] == 4 and row["score"] == "80.00"


def test_a_judge_cannot_recuse_from_an_entry_after_signing_its_sheet(roadshow, django_capture_on_commit_callbacks):
    """Rule: a recusal drops the judge's sheet from the ranking, so it is only possible before the
    sheet is signed; otherwise a judge could withdraw a score once the standings show."""
    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        for judge in judges:
            services.sheet_save(
                actor=judge, entry=entries[0], points=sheet_totalling(challenge.contest, 80), submit=True
            )
    before = {row["entry"]: row for row in selectors.latest_snapshot(challenge).results["entries"]}[entries[0].pk]
    with pytest.raises(DomainError, match="已提交该方案的评分"):
        services.recusal_declare(actor=judges[4], entry=entries[0], reason="想撤回自己的评分")
    assert not judges[4].recusals.exists()
    assert not AuditRecord.objects.filter(action="judge.recuse").exists()
    after = {row["entry"]: row for row in selectors.latest_snapshot(challenge).results["entries"]}[entries[0].pk]
    assert after == before and after["expected"] == 5
    # A draft is not signed: stepping back from it is still allowed.
    services.sheet_save(actor=judges[4], entry=entries[1], points=sheet_totalling(challenge.contest, 60), submit=False)
    services.recusal_declare(actor=judges[4], entry=entries[1], reason="发现与该企业有合作")
    assert AuditRecord.objects.filter(action="judge.recuse").count() == 1


def test_a_tie_decision_needs_a_real_tie_and_a_reason(roadshow, contest_operator, django_capture_on_commit_callbacks):
    challenge, entries, judges = roadshow
    _submit_all(challenge, entries, judges, [[80] * 5, [80] * 5, [70] * 5], django_capture_on_commit_callbacks)
    tied = [entries[1].pk, entries[0].pk]
    with pytest.raises(DomainError, match="决定依据"):
        services.tie_decide(actor=contest_operator, challenge=challenge, order=tied, reason="")
    with pytest.raises(DomainError, match="并不并列"):
        services.tie_decide(
            actor=contest_operator, challenge=challenge, order=[entries[0].pk, entries[2].pk], reason="评审组合议"
        )
    with pytest.raises(PermissionDenied):
        services.tie_decide(actor=judges[0], challenge=challenge, order=tied, reason="评审组合议")
    with django_capture_on_commit_callbacks(execute=True):
        services.tie_decide(
            actor=contest_operator, challenge=challenge, order=tied, reason="评审组合议：方案2现场测试计划更完整"
        )
    ranked = selectors.latest_snapshot(challenge).results["entries"]
    assert [(row["entry"], row["rank"]) for row in ranked] == [
        (entries[1].pk, 1),
        (entries[0].pk, 2),
        (entries[2].pk, 3),
    ]
