# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""Sending a signed sheet back from the round pages: operators on the round page and the team lead
on theirs see the expert × subject matrix (states, never points) with a reopen form on each
submitted sheet while scoring; a reason is required; a lead conflicted with a subject takes no part."""

import pytest
from django.urls import reverse

from contests.choices import SheetStatus
from contests.models import JudgeRelationship
from core.errors import PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import services
from evaluation.choices import RoundStatus
from evaluation.models import EvaluationRound, EvaluationSheet
from tests.conftest import login
from tests.evaluation.conftest_rounds import Scene, _reference_data, scene  # noqa: F401
from tests.factories import evaluation as ev

pytestmark = pytest.mark.django_db


def _submit(scene, expert, subject=None, value="7.5"):
    return services.evaluation_sheet_save(
        actor=expert, subject=subject or scene.subject, points=scene.full_points(value), submit=True
    )


def test_the_operator_sees_a_reopen_form_on_each_submitted_sheet_and_none_on_a_draft(client, scene):
    submitted = _submit(scene, scene.experts[1])
    draft = services.evaluation_sheet_save(actor=scene.experts[2], subject=scene.subject, points={})
    page = login(client, scene.operator).get(reverse("evaluation:round-detail", args=[scene.round.pk]))
    text = page.content.decode()
    assert f'data-testid="reopen-{submitted.pk}"' in text
    assert f'data-testid="reopen-{draft.pk}"' not in text
    assert reverse("evaluation:sheet-reopen", args=[submitted.pk]) in text
    assert "退回原因" in text and ">7.5<" not in text


def test_the_operator_reopens_a_sheet_with_a_reason_and_the_expert_is_told(client, scene):
    sheet = _submit(scene, scene.experts[1])
    login(client, scene.operator)
    response = client.post(reverse("evaluation:sheet-reopen", args=[sheet.pk]), {"reason": "请复核 2.1 的得分"})
    assert response.status_code == 302 and response.url == reverse("evaluation:round-detail", args=[scene.round.pk])
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT and sheet.content_sha256 == ""
    record = AuditRecord.objects.get(action="evaluation.sheet_reopen")
    assert record.actor == scene.operator and record.reason == "请复核 2.1 的得分"
    assert Notification.objects.filter(recipient=scene.experts[1], title__contains="已被退回").exists()
    page = client.get(response.url).content.decode()
    assert "已退回评价表" in page and f'data-testid="reopen-{sheet.pk}"' not in page


@pytest.mark.parametrize("reason", ["", "   ", "理" * 501])
def test_a_reopen_without_a_proper_reason_is_refused_and_the_sheet_stays_signed(client, scene, reason):
    sheet = _submit(scene, scene.experts[1])
    login(client, scene.operator)
    response = client.post(reverse("evaluation:sheet-reopen", args=[sheet.pk]), {"reason": reason})
    page = response.content.decode()
    assert response.status_code == 400 and ("请填写退回原因" in page or "500" in page)
    assert 'data-testid="sheet-progress"' in page  # the round page again, with the message
    assert EvaluationSheet.objects.get(pk=sheet.pk).status == SheetStatus.SUBMITTED
    assert not AuditRecord.objects.filter(action="evaluation.sheet_reopen").exists()


def test_outside_scoring_the_matrix_has_no_reopen_forms(client, scene):
    sheet = _submit(scene, scene.experts[1])
    EvaluationRound.objects.filter(pk=scene.round.pk).update(status=RoundStatus.CLOSED)
    page = login(client, scene.operator).get(reverse("evaluation:round-detail", args=[scene.round.pk]))
    assert 'data-testid="sheet-progress"' in page.content.decode()
    assert f'data-testid="reopen-{sheet.pk}"' not in page.content.decode()
    response = client.post(reverse("evaluation:sheet-reopen", args=[sheet.pk]), {"reason": "请复核"})
    assert response.status_code == 400 and "当前不在专家评分阶段" in response.content.decode()
    assert EvaluationSheet.objects.get(pk=sheet.pk).status == SheetStatus.SUBMITTED


def test_the_lead_sees_the_matrix_of_the_subjects_they_may_see_and_reopens_from_it(client, scene):
    other = ev.subject(scene.round, title="利益相关的对象", organisations=[(scene.lead.organisation, "supplier")])
    sheet = _submit(scene, scene.experts[1])
    other_sheet = _submit(scene, scene.experts[1], subject=other)
    login(client, scene.lead)
    url = reverse("evaluation:round-commitment", args=[scene.round.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="sheet-progress"' in page and f'data-testid="reopen-{sheet.pk}"' in page
    assert other.title not in page and f'data-testid="reopen-{other_sheet.pk}"' not in page
    response = client.post(reverse("evaluation:sheet-reopen", args=[sheet.pk]), {"reason": "评语不完整"})
    assert response.status_code == 302 and response.url == url
    assert EvaluationSheet.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT
    # The subject the lead is conflicted with: its sheet is not theirs to send back.
    assert client.post(reverse("evaluation:sheet-reopen", args=[other_sheet.pk]), {"reason": "x"}).status_code == 404
    assert EvaluationSheet.objects.get(pk=other_sheet.pk).status == SheetStatus.SUBMITTED


def test_a_lead_who_declared_a_stake_cannot_reopen_through_the_service_either(scene):
    sheet = _submit(scene, scene.experts[1])
    JudgeRelationship.objects.create(judge=scene.lead, organisation=scene.supplier, kind="shareholding")
    with pytest.raises(PermissionDenied, match="利益冲突"):
        services.evaluation_sheet_reopen(actor=scene.lead, sheet=sheet, reason="请复核")
    assert EvaluationSheet.objects.get(pk=sheet.pk).status == SheetStatus.SUBMITTED


def test_team_members_who_do_not_lead_see_no_matrix_and_cannot_reopen(client, scene):
    sheet = _submit(scene, scene.experts[1])
    login(client, scene.experts[2])
    page = client.get(reverse("evaluation:round-commitment", args=[scene.round.pk])).content.decode()
    assert 'data-testid="sheet-progress"' not in page
    assert client.post(reverse("evaluation:sheet-reopen", args=[sheet.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("evaluation:sheet-reopen", args=[sheet.pk])).status_code == 404
