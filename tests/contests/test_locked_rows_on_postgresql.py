"""A signed score sheet and a decided award cannot be changed by raw SQL on PostgreSQL, only through
the audited services: the chair's reopen of a sheet, an operator's change or withdrawal of an
award (#18: "a locked score cannot be changed by raw SQL")."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from contests import services
from contests.models import Award, Score, ScoreSheet
from core.models import AuditRecord
from tests.conftest import require
from tests.contests.conftest import full_sheet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _refused(statement: str, params, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


@pytest.fixture
def signed(roadshow):
    challenge, entries, judges = roadshow
    sheet = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest), submit=True)
    return challenge, entries, judges, sheet


def test_a_signed_sheet_and_its_scores_refuse_raw_sql(signed):
    _challenge, _entries, _judges, sheet = signed
    score = sheet.scores.first()
    _refused("UPDATE contests_score SET points = 0 WHERE id = %s", [score.pk], "signed_sheet_locked")
    _refused("DELETE FROM contests_score WHERE id = %s", [score.pk], "signed_sheet_locked")
    _refused(
        "INSERT INTO contests_score (sheet_id, criterion_id, points, comment) VALUES (%s, %s, 1, '')",
        [sheet.pk, score.criterion_id],
        "signed_sheet_locked",
    )
    _refused(
        "UPDATE contests_scoresheet SET status = 'draft', submitted_at = NULL, content_sha256 = '' WHERE id = %s",
        [sheet.pk],
        "signed_sheet_locked",
    )
    _refused("DELETE FROM contests_scoresheet WHERE id = %s", [sheet.pk], "signed_sheet_locked")
    with pytest.raises(DatabaseError, match="signed_sheet_locked"), transaction.atomic():
        Score.objects.filter(sheet=sheet).update(points=Decimal("0"))  # the ORM is no different
    stored = ScoreSheet.objects.get(pk=sheet.pk)
    assert stored.is_submitted and stored.content_sha256 == sheet.content_sha256
    assert Score.objects.get(pk=score.pk).points == score.points


def test_the_chairs_audited_reopen_still_works_and_the_draft_can_be_changed_again(
    signed, django_capture_on_commit_callbacks
):
    challenge, entries, judges, sheet = signed
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_reopen(actor=judges[0], sheet=sheet, reason="首创性评分与评语不一致，请复核")
    assert ScoreSheet.objects.get(pk=sheet.pk).status == "draft"
    assert AuditRecord.objects.filter(action="score_sheet.reopen", object_id=str(sheet.pk)).exists()
    resubmitted = services.sheet_save(
        actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest, {"首创性": "9"}), submit=True
    )
    assert resubmitted.is_submitted and resubmitted.content_sha256 != sheet.content_sha256
    # Signed again, locked again.
    _refused("UPDATE contests_score SET points = 0 WHERE sheet_id = %s", [sheet.pk], "signed_sheet_locked")


def test_a_draft_sheet_is_not_locked(roadshow):
    challenge, entries, judges = roadshow
    draft = services.sheet_save(actor=judges[1], entry=entries[0], points=full_sheet(challenge.contest))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE contests_score SET comment = '草稿' WHERE sheet_id = %s", [draft.pk])
    assert set(Score.objects.filter(sheet=draft).values_list("comment", flat=True)) == {"草稿"}


def test_a_decided_award_refuses_raw_sql_but_the_audited_services_change_and_withdraw_it(results, contest_operator):
    _challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="500000", note="第一名")
    _refused("UPDATE contests_award SET amount = 700000 WHERE id = %s", [award.pk], "decided_award_locked")
    _refused("UPDATE contests_award SET note = '' WHERE id = %s", [award.pk], "decided_award_locked")
    _refused("DELETE FROM contests_award WHERE id = %s", [award.pk], "decided_award_locked")
    assert Award.objects.get(pk=award.pk).amount == Decimal("500000.00")

    services.award_decide(actor=contest_operator, entry=entries[2], amount="600000")
    assert Award.objects.get(pk=award.pk).amount == Decimal("600000.00")
    # The service's permission lasts for its own statements only: raw SQL after it is refused again.
    with pytest.raises(DatabaseError, match="decided_award_locked"), transaction.atomic():
        services.award_decide(actor=contest_operator, entry=entries[2], amount="650000")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE contests_award SET amount = 1 WHERE id = %s", [award.pk])
    assert Award.objects.get(pk=award.pk).amount == Decimal("600000.00")

    services.award_withdraw(actor=contest_operator, award=Award.objects.get(pk=award.pk), reason="获奖单位主动放弃")
    assert not Award.objects.exists()
    assert AuditRecord.objects.filter(action__in=["award.decide", "award.withdraw"]).count() == 3
