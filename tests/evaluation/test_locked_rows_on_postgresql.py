# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""A signed evaluation sheet and its indicator scores cannot be changed by raw SQL on PostgreSQL,
only through the audited reopen of the round's lead or an operator (evaluation migration 0003;
#18: "a locked score cannot be changed by raw SQL"). A draft is not locked."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from contests.choices import SheetStatus
from core.models import AuditRecord
from evaluation import services
from evaluation.models import EvaluationSheet, IndicatorScore
from tests.conftest import require
from tests.evaluation.conftest_rounds import Scene, _reference_data, scene  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _refused(statement: str, params, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def _signed(scene, value="7.5"):
    return services.evaluation_sheet_save(
        actor=scene.experts[1], subject=scene.subject, points=scene.full_points(value), submit=True
    )


def test_a_signed_evaluation_sheet_and_its_scores_refuse_raw_sql(scene):
    sheet = _signed(scene)
    score = sheet.scores.first()
    _refused("UPDATE evaluation_indicatorscore SET points = 0 WHERE id = %s", [score.pk], "signed_score_locked")
    _refused("UPDATE evaluation_indicatorscore SET red_line_hit = true WHERE id = %s", [score.pk], "score_locked")
    _refused("DELETE FROM evaluation_indicatorscore WHERE id = %s", [score.pk], "signed_score_locked")
    _refused(
        "INSERT INTO evaluation_indicatorscore (sheet_id, indicator_id, points, comment, red_line_hit)"
        " SELECT %s, indicator_id, 1, '', false FROM evaluation_indicatorscore WHERE id = %s",
        [sheet.pk, score.pk],
        "signed_score_locked",
    )
    _refused(
        "UPDATE evaluation_evaluationsheet SET status = 'draft', submitted_at = NULL, content_sha256 = ''"
        " WHERE id = %s",
        [sheet.pk],
        "signed_sheet_locked",
    )
    _refused("UPDATE evaluation_evaluationsheet SET content_sha256 = %s WHERE id = %s", ["0" * 64, sheet.pk], "sheet")
    _refused("DELETE FROM evaluation_evaluationsheet WHERE id = %s", [sheet.pk], "signed_sheet_locked")
    with pytest.raises(DatabaseError, match="signed_score_locked"), transaction.atomic():
        IndicatorScore.objects.filter(sheet=sheet).update(points=Decimal("0"))  # the ORM is no different
    stored = EvaluationSheet.objects.get(pk=sheet.pk)
    assert stored.is_submitted and stored.content_sha256 == sheet.content_sha256
    assert IndicatorScore.objects.get(pk=score.pk).points == score.points
    assert IndicatorScore.objects.filter(sheet=sheet).count() == sheet.scores.count() == len(scene.leaves())


def test_the_audited_reopen_still_works_and_the_draft_can_be_changed_and_signed_again(
    scene, django_capture_on_commit_callbacks
):
    sheet = _signed(scene)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_sheet_reopen(actor=scene.lead, sheet=sheet, reason="请复核 2.1 的得分")
    assert EvaluationSheet.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT
    assert AuditRecord.objects.filter(action="evaluation.sheet_reopen", object_id=str(sheet.pk)).exists()
    resigned = _signed(scene, "6")
    assert resigned.is_submitted and resigned.content_sha256 != sheet.content_sha256
    assert set(IndicatorScore.objects.filter(sheet=sheet).values_list("points", flat=True)) == {Decimal("6.0")}
    # Signed again, locked again; and the reopen's permission ended with its own statements.
    _refused("UPDATE evaluation_indicatorscore SET points = 0 WHERE sheet_id = %s", [sheet.pk], "signed_score_locked")


def test_the_reopen_permission_lasts_for_the_services_statements_only(scene):
    sheet = _signed(scene)
    with pytest.raises(DatabaseError, match="signed_sheet_locked"), transaction.atomic():
        services.evaluation_sheet_reopen(actor=scene.operator, sheet=sheet, reason="请复核")
        _signed(scene, "6")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM evaluation_evaluationsheet WHERE id = %s", [sheet.pk])
    stored = EvaluationSheet.objects.get(pk=sheet.pk)
    assert stored.is_submitted and stored.content_sha256 == sheet.content_sha256


def test_a_draft_evaluation_sheet_is_not_locked(scene):
    draft = services.evaluation_sheet_save(actor=scene.experts[1], subject=scene.subject, points=scene.full_points())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE evaluation_indicatorscore SET comment = '草稿' WHERE sheet_id = %s", [draft.pk])
    assert set(IndicatorScore.objects.filter(sheet=draft).values_list("comment", flat=True)) == {"草稿"}
