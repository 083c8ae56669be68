"""What a judge's signature covers, the chair's powers each refused to others, the points as typed
at their bounds, and the snapshot check (contests.services.scoring, contests.sheets,
contests.selectors.snapshot_verify)."""

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from contests import selectors, services
from contests.models import Challenge, RankingSnapshot, Score, ScoreSheet, ScoringLock
from contests.ranking import inputs_sha256
from contests.sheets import parse_points, sheet_content_sha256, signature_sha256
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from tests.contests.conftest import full_sheet, move_to
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

SIGNED_AT = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.get_fixed_timezone(480))


def _signature(entry=1, judge=2, signed_at=SIGNED_AT, scores=((3, "12.5", "好"), (4, "8.0", ""))):
    sheet = SimpleNamespace(entry_id=entry, judge_id=judge)
    rows = [SimpleNamespace(criterion_id=c, points=Decimal(p), comment=text) for c, p, text in scores]
    return sheet_content_sha256(sheet, rows, signed_at)


@pytest.mark.parametrize(
    "change",
    [
        {"entry": 9},
        {"judge": 9},
        {"signed_at": SIGNED_AT + timedelta(seconds=1)},
        {"scores": ((3, "12.0", "好"), (4, "8.0", ""))},
        {"scores": ((3, "12.5", "很好"), (4, "8.0", ""))},
        {"scores": ((3, "12.5", "好"), (5, "8.0", ""))},
        {"scores": ((3, "12.5", "好"),)},
    ],
)
def test_the_signature_changes_when_any_signed_field_changes(change):
    """Rule: the sheet's SHA-256 covers entry, judge, time and each criterion's points and comment."""
    assert _signature(**change) != _signature()


def test_the_signature_does_not_depend_on_the_order_of_the_scores():
    """Rule: the scores are signed sorted, so the same sheet signs the same."""
    assert _signature(scores=((4, "8.0", ""), (3, "12.5", "好"))) == _signature()
    assert signature_sha256({"a": 1, "b": "二"}) == signature_sha256({"b": "二", "a": 1})


@pytest.mark.parametrize(
    "value, expected",
    [("0", Decimal("0.0")), ("15", Decimal("15.0")), ("14.5", Decimal("14.5")), ("", None), (None, None)],
)
def test_points_from_zero_to_the_maximum_in_half_points(value, expected):
    """Rule: blank, or 0 to the criterion's maximum in steps of 0.5."""
    assert parse_points(value, SimpleNamespace(name="首创性", max_points=15)) == expected


@pytest.mark.parametrize("value, code", [("-0.5", "points_bounds"), ("15.5", "points_bounds"), ("7.25", "points_step")])
def test_points_just_outside_the_bounds_or_the_step_are_refused(value, code):
    """Rule: below 0, above the maximum or off the half-point step is refused."""
    with pytest.raises(DomainError) as refused:
        parse_points(value, SimpleNamespace(name="首创性", max_points=15))
    assert refused.value.code == code


def test_a_submitted_sheet_is_signed_with_what_it_holds(roadshow):
    """Rule: submitting stores the SHA-256 of exactly the sheet's content and time."""
    challenge, entries, judges = roadshow
    sheet = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    scores = list(Score.objects.filter(sheet=sheet))
    assert sheet.content_sha256 == sheet_content_sha256(sheet, scores, sheet.submitted_at)
    record = AuditRecord.objects.get(action="score_sheet.submit")
    assert record.after["sha256"] == sheet.content_sha256 and len(record.after["scores"]) == len(scores)


def test_a_comment_of_500_characters_is_kept_and_501_refused(roadshow):
    """Rule: a criterion's comment is at most 500 characters."""
    challenge, entries, judges = roadshow
    criterion = challenge.contest.criteria.first()
    with pytest.raises(DomainError, match="500"):
        services.sheet_save(actor=judges[1], entry=entries[0], points={}, comments={criterion.pk: "评" * 501})
    sheet = services.sheet_save(actor=judges[1], entry=entries[0], points={}, comments={criterion.pk: "评" * 500})
    assert not sheet.is_submitted


def test_a_signed_sheet_cannot_be_saved_again(roadshow):
    """Rule: a signed sheet is locked until the chair sends it back."""
    challenge, entries, judges = roadshow
    services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    with pytest.raises(DomainError) as refused:
        services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest))
    assert refused.value.code == "sheet_signed"


def test_only_the_chair_unlocks_scoring_and_only_with_a_reason(roadshow):
    """Rule: unlocking is the chair's, with a reason, and it is audited."""
    challenge, _entries, judges = roadshow
    services.scoring_lock(actor=judges[0], challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.scoring_unlock(actor=judges[1], challenge=challenge, reason="补录")
    with pytest.raises(DomainError, match="原因"):
        services.scoring_unlock(actor=judges[0], challenge=challenge, reason=" ")
    assert ScoringLock.objects.filter(challenge=challenge).exists()
    services.scoring_unlock(actor=judges[0], challenge=challenge, reason="补录")
    assert not ScoringLock.objects.filter(challenge=challenge).exists()
    assert AuditRecord.objects.filter(action="scoring.unlock", reason="补录").count() == 1


def test_locking_twice_is_audited_once(roadshow):
    """Rule: the lock's audit record is written the first time only."""
    challenge, _entries, judges = roadshow
    services.scoring_lock(actor=judges[0], challenge=challenge)
    services.scoring_lock(actor=judges[0], challenge=challenge)
    assert AuditRecord.objects.filter(action="scoring.lock").count() == 1


def test_the_chair_cannot_reopen_while_scoring_is_locked_or_a_draft(roadshow):
    """Rule: reopening needs open scoring and a submitted sheet."""
    challenge, entries, judges = roadshow
    draft = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest))
    with pytest.raises(DomainError) as refused:
        services.sheet_reopen(actor=judges[0], sheet=draft, reason="复核")
    assert refused.value.code == "not_submitted"
    signed = services.sheet_save(actor=judges[2], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    services.scoring_lock(actor=judges[0], challenge=challenge)
    with pytest.raises(DomainError) as refused:
        services.sheet_reopen(actor=judges[0], sheet=signed, reason="复核")
    assert refused.value.code == "scoring_locked" and ScoreSheet.objects.get(pk=signed.pk).is_submitted


def test_the_chair_cannot_reopen_outside_the_scoring_rounds(roadshow):
    """Rule: the chair's reopen and unlock happen only while scoring is open."""
    challenge, entries, judges = roadshow
    signed = services.sheet_save(actor=judges[2], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    move_to(challenge.contest, "notice")
    with pytest.raises(DomainError):
        services.sheet_reopen(actor=judges[0], sheet=signed, reason="复核")
    with pytest.raises(DomainError):
        services.scoring_unlock(actor=judges[0], challenge=challenge, reason="复核")


def test_a_snapshot_whose_inputs_were_changed_fails_verification(roadshow):
    """Rule: snapshot_verify checks the inputs' fingerprint as well as the recomputed result."""
    challenge, _entries, _judges = roadshow
    inputs = {"criteria": [], "entries": [], "sheets": [], "tie_decisions": []}
    snapshot = RankingSnapshot(challenge=challenge, inputs=inputs, inputs_sha256=inputs_sha256(inputs))
    snapshot.results = {"entries": [], "judges": []}
    assert selectors.snapshot_verify(snapshot)
    snapshot.inputs_sha256 = "0" * 64
    assert not selectors.snapshot_verify(snapshot)  # the result still reproduces: only the hash differs


def test_a_snapshot_whose_results_were_changed_fails_verification(roadshow):
    """Rule: snapshot_verify recomputes the ranking from the inputs: a changed result fails even
    with the inputs' fingerprint intact."""
    challenge, _entries, _judges = roadshow
    inputs = {"criteria": [], "entries": [], "sheets": [], "tie_decisions": []}
    snapshot = RankingSnapshot(challenge=challenge, inputs=inputs, inputs_sha256=inputs_sha256(inputs))
    snapshot.results = {"entries": [], "judges": []}
    assert selectors.snapshot_verify(snapshot)
    snapshot.results = {"entries": [{"entry": 1, "rank": 1}], "judges": []}
    assert not selectors.snapshot_verify(snapshot)


def test_the_signature_is_the_sha256_of_canonical_utf8_json():
    """Rule: anyone can check a signature: SHA-256 of the content as JSON with sorted keys and the
    text in UTF-8 (not \\u escapes)."""
    content = {"judge": 2, "comment": "评语"}
    canonical = '{"comment": "评语", "judge": 2}'
    assert signature_sha256(content) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_blank_comment_is_stored_empty(roadshow):
    """Rule: a criterion's comment is its text trimmed; none given is stored as ""."""
    challenge, entries, judges = roadshow
    criterion = challenge.contest.criteria.first()
    sheet = services.sheet_save(
        actor=judges[1], entry=entries[0], points={criterion.pk: "5"}, comments={criterion.pk: None}
    )
    assert Score.objects.get(sheet=sheet).comment == ""


def test_a_lock_on_another_challenge_neither_blocks_this_one_nor_is_lifted_with_it(roadshow):
    """Rule: the chair's lock and unlock are the panel's own challenge's: another challenge's lock
    blocks no sheet here, and unlocking here leaves it."""
    challenge, entries, judges = roadshow
    scenario = ScenarioFactory(status="published", title="另一个榜单的场景")
    other = Challenge.objects.create(
        contest=challenge.contest,
        scenario=scenario,
        title="另一个榜单",
        requirements="要求",
        award_cap="100000",
        created_by=scenario.created_by,
    )
    ScoringLock.objects.create(challenge=other, locked_by=judges[0])
    signed = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    services.sheet_reopen(actor=judges[0], sheet=signed, reason="复核")
    services.scoring_lock(actor=judges[0], challenge=challenge)
    services.scoring_unlock(actor=judges[0], challenge=challenge, reason="补录")
    assert ScoringLock.objects.filter(challenge=other).exists()
    assert not ScoringLock.objects.filter(challenge=challenge).exists()


def test_the_lock_counts_the_drafts_left_on_this_panel(roadshow):
    """Rule: the lock's audit record says how many sheets of the challenge were still drafts."""
    challenge, entries, judges = roadshow
    services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest))
    services.sheet_save(actor=judges[2], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    services.scoring_lock(actor=judges[0], challenge=challenge)
    assert AuditRecord.objects.get(action="scoring.lock").after["drafts_left"] == 1


def test_a_reason_is_kept_to_500_characters_in_the_audit(roadshow):
    """Rule: the chair's reasons (reopen, unlock) are audited, at most 500 characters of them."""
    challenge, entries, judges = roadshow
    signed = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    services.sheet_reopen(actor=judges[0], sheet=signed, reason="因" * 600)
    services.scoring_lock(actor=judges[0], challenge=challenge)
    services.scoring_unlock(actor=judges[0], challenge=challenge, reason="由" * 600)
    assert AuditRecord.objects.get(action="score_sheet.reopen").reason == "因" * 500
    assert AuditRecord.objects.get(action="scoring.unlock").reason == "由" * 500
