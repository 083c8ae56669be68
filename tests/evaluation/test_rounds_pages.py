# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""Round pages: operators' list and round page, the experts' pages (commitment first, never a
conflicted subject, never another expert's points), the subject's self-assessment and evidence."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from contests.models import JudgeRelationship
from evaluation import services
from evaluation.choices import FigureSource, Level, RoundStatus, ScoringMethod
from evaluation.models import EvaluationRound, EvaluationSheet, EvidenceFile, Indicator, IndicatorFigure
from tests.conftest import login
from tests.evaluation.conftest_rounds import Scene, _reference_data, op, pdf, scene  # noqa: F401
from tests.factories import evaluation as ev
from tests.factories.accounts import UserFactory


def _rounds(count, operator):
    framework = ev.framework(Level.CITY)
    for index in range(count):
        ev.evaluation_round(level=Level.CITY, framework=framework, opened_by=operator, title=f"评估{index}", experts=1)


@pytest.mark.parametrize("count", [1, 6])
def test_round_list_has_a_fixed_query_count(client, op, count, django_assert_num_queries):
    _rounds(count, op)
    login(client, op)
    # session, user (with roles and unread notifications), count of rounds, the page of rounds with its counts
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluation:round-list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="round-row"') == count


def test_round_list_filters_by_level_and_is_for_operators_only(client, op):
    _rounds(1, op)
    ev.evaluation_round(level=Level.ENTERPRISE, opened_by=op, title="企业级评估")
    login(client, op)
    page = client.get(reverse("evaluation:round-list"), {"level": Level.ENTERPRISE}).content.decode()
    assert "企业级评估" in page and "评估0" not in page
    assert login(client, ev.expert()).get(reverse("evaluation:round-list")).status_code == 404


def test_operator_opens_a_round_from_the_form(client, op):
    framework = ev.framework(Level.ENTERPRISE)
    login(client, op)
    response = client.post(
        reverse("evaluation:round-create"),
        {"title": "2026 企业级评估", "level": Level.ENTERPRISE, "year": 2026, "framework": framework.pk},
    )
    round_ = EvaluationRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("evaluation:round-detail", args=[round_.pk])
    refused = client.post(
        reverse("evaluation:round-create"),
        {"title": "城市级", "level": Level.CITY, "year": 2026, "framework": framework.pk},
    )
    assert refused.status_code == 400 and "层级与评估轮次不一致" in refused.content.decode()


def test_round_page_shows_sheet_states_never_points(client, scene):
    services.evaluation_sheet_save(
        actor=scene.experts[1], subject=scene.subject, points=scene.full_points("7.5"), submit=True
    )
    page = login(client, scene.operator).get(reverse("evaluation:round-detail", args=[scene.round.pk])).content.decode()
    assert "已提交" in page and "7.5" not in page
    assert scene.supplier.name in page and scene.lead.display_name in page


def test_assigning_from_the_round_page_lists_the_conflicts(client):
    scene = Scene(status=RoundStatus.PREPARING, sign=False)
    ev.subject(scene.round, title="另一个对象", organisations=[(ev.OrganisationFactory(), "responsible")])
    insider = ev.expert(organisation=scene.supplier)
    login(client, scene.operator)
    response = client.post(
        reverse("evaluation:round-detail", args=[scene.round.pk]), {"form": "expert", "expert": insider.pk}, follow=True
    )
    assert "不参与以下评价对象" in response.content.decode() and scene.subject.title in response.content.decode()


def test_expert_sees_nothing_of_the_subjects_before_signing(client):
    scene = Scene(sign=False)
    login(client, scene.lead)
    url = reverse("evaluation:round-commitment", args=[scene.round.pk])
    page = client.get(url).content.decode()
    assert "本人承诺" in page and scene.subject.title not in page
    assert client.get(reverse("evaluation:subject-material", args=[scene.subject.pk])).status_code == 404
    assert client.get(reverse("evaluation:sheet", args=[scene.subject.pk])).status_code == 404
    client.post(url)
    assert scene.subject.title in client.get(url).content.decode()
    assert client.get(reverse("evaluation:sheet", args=[scene.subject.pk])).status_code == 200


def test_my_evaluations_lists_my_rounds_in_fixed_queries(client, django_assert_num_queries):
    scene = Scene()
    other = ev.evaluation_round(title="别的轮次", experts=3)
    login(client, scene.lead)
    # session, user (with roles and unread notifications), the rounds with commitment and lead flags
    with django_assert_num_queries(3):
        page = client.get(reverse("evaluation:my-evaluations")).content.decode()
    assert scene.round.title in page and other.title not in page


def test_conflicted_expert_neither_sees_nor_scores_the_subject(client, scene):
    conflicted = scene.experts[2]
    JudgeRelationship.objects.create(judge=conflicted, organisation=scene.scenario.publisher, kind="shareholding")
    evidence = services.evidence_upload(actor=scene.company_user, subject=scene.subject, uploaded_file=pdf())
    login(client, conflicted)
    page = client.get(reverse("evaluation:round-commitment", args=[scene.round.pk])).content.decode()
    assert scene.subject.title not in page
    assert client.get(reverse("evaluation:subject-material", args=[scene.subject.pk])).status_code == 404
    assert client.get(reverse("evaluation:sheet", args=[scene.subject.pk])).status_code == 404
    assert client.get(reverse("evaluation:evidence-download", args=[evidence.pk])).status_code == 404
    login(client, scene.lead)
    assert client.get(reverse("evaluation:evidence-download", args=[evidence.pk])).status_code == 200


def test_sheet_page_saves_submits_and_shows_the_signature(client, scene):
    leaves = scene.leaves()
    login(client, scene.experts[1])
    url = reverse("evaluation:sheet", args=[scene.subject.pk])
    page = client.get(url).content.decode()
    assert "决策" in page and leaves[0].name in page and 'step="0.5"' in page
    bad = client.post(url, {f"points_{leaves[0].pk}": "7.3", "action": "save"})
    assert bad.status_code == 400 and "最小单位为 0.5 分" in bad.content.decode()
    data = {f"points_{leaf.pk}": "8" for leaf in leaves} | {"action": "submit"}
    assert client.post(url, data).status_code == 302
    sheet = EvaluationSheet.objects.get()
    page = client.get(url).content.decode()
    assert sheet.content_sha256 in page and "已签名提交" in page and "disabled" in page


def test_sheet_page_never_shows_another_experts_points(client, scene):
    services.evaluation_sheet_save(
        actor=scene.experts[1], subject=scene.subject, points={scene.leaves()[0].pk: "3.5"}, comments={}
    )
    login(client, scene.experts[2])
    page = client.get(reverse("evaluation:sheet", args=[scene.subject.pk])).content.decode()
    assert 'value="3.5"' not in page


def test_subject_user_writes_self_assessment_and_uploads_evidence(client):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    login(client, scene.company_user)
    assert scene.subject.title in client.get(reverse("evaluation:self-assessment-list")).content.decode()
    url = reverse("evaluation:self-assessment", args=[scene.subject.pk])
    client.post(url, {"form": "evidence", "file": pdf()})
    client.post(url, {"form": "text", "text": "本场景已完成首台套应用。", "action": "submit"})
    scene.subject.refresh_from_db()
    assert scene.subject.self_assessment_submitted_at is not None and EvidenceFile.objects.count() == 1
    evidence = EvidenceFile.objects.get()
    assert client.get(reverse("evaluation:evidence-download", args=[evidence.pk])).status_code == 200


def test_subject_list_query_count_is_fixed(client, django_assert_num_queries):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    for index in range(3):
        ev.subject(scene.round, title=f"对象{index}", organisations=[(scene.supplier, "responsible")])
    login(client, scene.company_user)
    # session, user (with roles and unread notifications), the 本单位评估 menu predicate, count, the page of
    # subjects, their organisations
    with django_assert_num_queries(6):
        response = client.get(reverse("evaluation:self-assessment-list"))
    assert len(re.findall(r'href="/evaluation/self-assessment/\d+/"', response.content.decode())) == 4
    assert 'href="/evaluation/self-assessment/"' in response.content.decode()  # the 本单位评估 menu item


def test_members_without_a_working_role_and_strangers_get_not_found(client):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    evidence = services.evidence_upload(actor=scene.company_user, subject=scene.subject, uploaded_file=pdf())
    bare = UserFactory(organisation=scene.supplier)
    stranger = UserFactory(organisation=ev.OrganisationFactory(), roles=["company"])
    for user in (bare, stranger):
        login(client, user)
        assert client.get(reverse("evaluation:self-assessment", args=[scene.subject.pk])).status_code == 404
        assert client.get(reverse("evaluation:evidence-download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("evaluation:round-detail", args=[scene.round.pk])).status_code == 404


def test_self_assessment_page_lists_the_indicators_that_need_evidence_and_what_is_uploaded(client):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    leaves = {leaf.code: leaf for leaf in scene.leaves()}
    Indicator.objects.filter(pk__in=[leaves["1.2"].pk, leaves["2.1"].pk]).update(evidence_required=True)
    services.evidence_upload(
        actor=scene.company_user, subject=scene.subject, uploaded_file=pdf(), indicator=leaves["2.1"]
    )
    login(client, scene.company_user)
    page = client.get(reverse("evaluation:self-assessment", args=[scene.subject.pk])).content.decode()
    required = page[page.index('data-testid="required-evidence"') :]
    required = required[: required.index("</ul>")]
    assert re.search(r"未上传</span> 1\.2 方案论证", required)
    assert re.search(r"已上传</span> 2\.1 实施管理", required)
    assert "1.1 需求理解" not in required  # needs no evidence


def test_a_refused_submission_keeps_the_typed_report_on_the_page_and_after_an_upload(client):
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    leaf = next(leaf for leaf in scene.leaves() if leaf.code == "2.1")
    Indicator.objects.filter(pk=leaf.pk).update(evidence_required=True)
    login(client, scene.company_user)
    url = reverse("evaluation:self-assessment", args=[scene.subject.pk])
    refused = client.post(url, {"form": "text", "text": "本场景已完成首台套应用。", "action": "submit"})
    assert refused.status_code == 400 and "以下指标须上传佐证材料后才能提交：2.1 实施管理" in refused.content.decode()
    client.post(url, {"form": "evidence", "file": pdf(), "indicator": leaf.pk})
    assert "本场景已完成首台套应用。</textarea>" in client.get(url).content.decode()
    client.post(url, {"form": "text", "text": "本场景已完成首台套应用。", "action": "submit"})
    scene.subject.refresh_from_db()
    assert scene.subject.self_assessment_submitted_at is not None


def test_sheet_page_says_what_a_figure_counted_and_names_each_confirmation(client, scene):
    computed = Indicator.objects.get(framework=scene.round.framework, code="3.1")
    imported = Indicator.objects.get(framework=scene.round.framework, code="3.2")
    Indicator.objects.filter(pk=computed.pk).update(
        method=ScoringMethod.COMPUTED, rule="enterprise.contest_products_contracted"
    )
    Indicator.objects.filter(pk=imported.pk).update(method=ScoringMethod.IMPORTED)
    IndicatorFigure.objects.create(
        subject=scene.subject,
        indicator=computed,
        source=FigureSource.COMPUTED,
        value=Decimal("1"),
        points=Decimal("10"),
        detail={"rule": "enterprise.contest_products_contracted", "counted": [{"label": "视觉巡检方案"}]},
    )
    IndicatorFigure.objects.create(
        subject=scene.subject,
        indicator=imported,
        source=FigureSource.IMPORTED,
        value=Decimal("180"),
        points=Decimal("9"),
    )
    login(client, scene.experts[1])
    page = client.get(reverse("evaluation:sheet", args=[scene.subject.pk])).content.decode()
    assert "系统结果：<strong>1</strong>" in page and "大赛产品签约采购（合作协议）数" in page
    assert "计入：视觉巡检方案" in page and "enterprise.contest_products_contracted" not in page
    assert "导入数值：<strong>180</strong>" in page
    # Each tick is named after its indicator, for people using a screen reader.
    assert '确认该结果<span class="visually-hidden">：3.1 首试首用</span>' in page
    assert '确认该结果<span class="visually-hidden">：3.2 成果交付</span>' in page


def test_round_page_flags_imported_figures_still_to_enter_in_fixed_queries(client, scene, django_assert_num_queries):
    imported = Indicator.objects.filter(framework=scene.round.framework, code__in=["3.2", "4.1"])
    imported.update(method=ScoringMethod.IMPORTED, target=Decimal("100"))
    other = ev.subject(scene.round, title="另一个对象", organisations=[(scene.supplier, "responsible")])
    services.figure_import(actor=scene.operator, subject=other, indicator=imported.get(code="3.2"), value="50")
    login(client, scene.operator)
    url = reverse("evaluation:round-detail", args=[scene.round.pk])
    # session, user (with roles and unread messages); the round; subjects with their evidence count and
    # missing imports (one query); their organisations; the team; sheet states — then the conflicts
    # of the whole team in bulk, whatever its size (evaluation.experts.subject_conflicted_pairs):
    # the subjects' organisations, declared affiliations, declared relationships (their credit
    # codes only beside a declared affiliation, which no expert here has).
    with django_assert_num_queries(7 + 3):
        page = client.get(url).content.decode()
    flags = re.findall(r'data-testid="imports-missing">([^<]+)<', page)
    assert flags == ["导入数据 2 项待录入", "导入数据 1 项待录入"]
