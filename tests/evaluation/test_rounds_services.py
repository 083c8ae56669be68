# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""Rounds: opening, subjects per level, the team and its conflicts, the 回避承诺, advancing, and the
subject's self-assessment and evidence."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import District
from capability_list.models import StrategicArea
from contests.models import JudgeRelationship
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import services
from evaluation.choices import Level, RoundStatus, SubjectRole
from evaluation.models import EvaluationCommitment, EvaluationRound, EvidenceFile, Indicator, RoundExpert, Subject
from scenarios.choices import ScenarioStatus
from tests.evaluation.conftest_rounds import Scene, _reference_data, op, pdf, scenario, scene  # noqa: F401
from tests.factories import evaluation as ev
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory, domain


def test_operator_opens_round_on_published_framework_of_same_level(op):
    framework = ev.framework(Level.ENTERPRISE)
    round_ = services.round_open(
        actor=op,
        title="2026 年度企业级评估",
        level=Level.ENTERPRISE,
        year=2026,
        framework=framework,
        self_assessment_due=date(2026, 5, 1),
        scoring_due=date(2026, 6, 1),
    )
    assert round_.status == RoundStatus.PREPARING and round_.framework == framework
    assert AuditRecord.objects.filter(action="evaluation.round_open", object_id=str(round_.pk)).exists()


@pytest.mark.parametrize(
    ("published", "framework_level", "message"),
    [(False, Level.ENTERPRISE, "只能使用已发布的指标体系"), (True, Level.CITY, "层级与评估轮次不一致")],
)
def test_round_refused_on_draft_or_other_level_framework(op, published, framework_level, message):
    framework = ev.framework(framework_level, published=published)
    with pytest.raises(DomainError, match=message):
        services.round_open(actor=op, title="评估", level=Level.ENTERPRISE, year=2026, framework=framework)
    assert not EvaluationRound.objects.exists()


def test_only_operators_open_rounds():
    judge = ev.expert()
    with pytest.raises(PermissionDenied):
        services.round_open(actor=judge, title="评估", level=Level.ENTERPRISE, year=2026, framework=ev.framework())


def test_enterprise_subject_takes_publisher_and_explicit_supplier(op, scenario):
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op)
    supplier = OrganisationFactory()
    subject = services.subject_add(actor=op, round=round_, scenario=scenario, supplier=supplier)
    roles = {link.organisation_id: link.role for link in subject.subject_organisations.all()}
    assert roles == {scenario.publisher_id: SubjectRole.PUBLISHER, supplier.pk: SubjectRole.SUPPLIER}
    assert subject.title == scenario.title
    with pytest.raises(DomainError, match="已是本轮的评价对象"):
        services.subject_add(actor=op, round=round_, scenario=scenario, supplier=supplier)


def test_enterprise_subject_finds_the_contest_winner(op, scenario):
    from contests import services as contest_services
    from contests.models import Award, Challenge, ContestEntry
    from tests.contests.conftest import rounds_starting

    contest = contest_services.contest_create(
        actor=op, name="2026 宁波场景大赛", year=2026, award_budget="5000000", rounds=rounds_starting("challenges")
    )
    challenge = Challenge.objects.create(
        contest=contest, scenario=scenario, title="榜单", award_cap=Decimal("500000"), created_by=op
    )
    winner = OrganisationFactory(name="中标科技有限公司")
    entry = ContestEntry.objects.create(
        challenge=challenge, lead=winner, created_by=op, title="方案", summary="摘要", credit_check="passed"
    )
    Award.objects.create(entry=entry, challenge=challenge, contest=contest, amount=Decimal("100000"), decided_by=op)
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op)
    subject = services.subject_add(actor=op, round=round_, scenario=scenario)
    assert subject.subject_organisations.get(role=SubjectRole.SUPPLIER).organisation == winner


def test_enterprise_subject_without_contest_record_or_supplier_is_refused(op, scenario):
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op)
    with pytest.raises(DomainError, match="请指定场景承接单位"):
        services.subject_add(actor=op, round=round_, scenario=scenario)
    assert not Subject.objects.exists()


def test_enterprise_subject_needs_published_scenario(op):
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op)
    draft = ScenarioFactory(status=ScenarioStatus.DRAFT)
    with pytest.raises(DomainError, match="已发布"):
        services.subject_add(actor=op, round=round_, scenario=draft, supplier=OrganisationFactory())


def test_industry_subject_is_a_domain_or_an_area_with_responsible_organisation(op):
    round_ = ev.evaluation_round(level=Level.INDUSTRY, status=RoundStatus.PREPARING, opened_by=op)
    bureau = OrganisationFactory(kind="government", name="宁波市经信局")
    with pytest.raises(DomainError, match="二选一"):
        services.subject_add(actor=op, round=round_, responsible=bureau)
    with pytest.raises(DomainError, match="责任单位"):
        services.subject_add(actor=op, round=round_, domain=domain())
    subject = services.subject_add(actor=op, round=round_, domain=domain(), responsible=bureau)
    area = StrategicArea.objects.first()
    services.subject_add(actor=op, round=round_, strategic_area=area, responsible=bureau)
    assert subject.subject_organisations.get().role == SubjectRole.RESPONSIBLE
    with pytest.raises(DomainError, match="该领域已是本轮的评价对象"):
        services.subject_add(actor=op, round=round_, domain=domain(), responsible=bureau)


def test_city_subject_is_the_programme_or_one_district(op):
    round_ = ev.evaluation_round(level=Level.CITY, status=RoundStatus.PREPARING, opened_by=op)
    bureau = OrganisationFactory(kind="government", name="宁波市科学技术局")
    whole = services.subject_add(actor=op, round=round_, responsible=bureau)
    district = District.objects.first()
    one = services.subject_add(actor=op, round=round_, district=district, responsible=bureau)
    assert whole.title == "宁波市（全市）" and one.title == district.name
    with pytest.raises(DomainError, match="全市已是本轮的评价对象"):
        services.subject_add(actor=op, round=round_, responsible=bureau)


def test_subjects_cannot_be_added_once_scoring(op, scenario):
    round_ = ev.evaluation_round(status=RoundStatus.SCORING, opened_by=op)
    with pytest.raises(DomainError, match="专家评分"):
        services.subject_add(actor=op, round=round_, scenario=scenario, supplier=OrganisationFactory())


def test_subject_removed_only_while_preparing(op, scenario):
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op)
    subject = services.subject_add(actor=op, round=round_, scenario=scenario, supplier=OrganisationFactory())
    services.subject_remove(actor=op, subject=subject)
    assert not Subject.objects.exists()
    round_.status = RoundStatus.SELF_ASSESSMENT
    round_.save()
    subject = services.subject_add(actor=op, round=round_, scenario=scenario, supplier=OrganisationFactory())
    with pytest.raises(DomainError, match="筹备中"):
        services.subject_remove(actor=op, subject=subject)


def test_assigning_a_conflicted_expert_excludes_them_from_that_subject_only(op):
    scene = Scene(status=RoundStatus.PREPARING, sign=False)
    other = ev.subject(scene.round, title="另一个场景", organisations=[(OrganisationFactory(), SubjectRole.PUBLISHER)])
    insider = ev.expert(organisation=scene.supplier)  # works for the supplier
    assignment = services.round_expert_assign(actor=op, round=scene.round, expert=insider)
    assert [subject for subject, _reasons in assignment.conflicts] == [scene.subject]
    assert "同一单位" in "".join(assignment.conflicts[0][1])
    from evaluation.experts import expected_experts

    assert insider not in expected_experts(scene.subject) and insider in expected_experts(other)


def test_expert_conflicted_with_every_subject_is_refused(op):
    scene = Scene(status=RoundStatus.PREPARING, sign=False)
    related = ev.expert()
    JudgeRelationship.objects.create(judge=related, organisation=scene.scenario.publisher, kind="shareholding")
    with pytest.raises(DomainError, match="全部评价对象存在利益冲突"):
        services.round_expert_assign(actor=op, round=scene.round, expert=related)
    assert not RoundExpert.objects.filter(expert=related).exists()


def test_only_judges_join_and_a_new_lead_replaces_the_old(op):
    scene = Scene(status=RoundStatus.PREPARING, sign=False)
    with pytest.raises(DomainError, match="不是评审专家"):
        services.round_expert_assign(actor=op, round=scene.round, expert=UserFactory(roles=["company"]))
    newcomer = ev.expert()
    services.round_expert_assign(actor=op, round=scene.round, expert=newcomer, is_lead=True)
    assert list(RoundExpert.objects.filter(round=scene.round, is_lead=True).values_list("expert", flat=True)) == [
        newcomer.pk
    ]
    assert Notification.objects.filter(recipient=newcomer).exists()
    with pytest.raises(DomainError, match="已在专家组中"):
        services.round_expert_assign(actor=op, round=scene.round, expert=newcomer)
    services.round_expert_remove(actor=op, round=scene.round, expert=newcomer)
    assert not RoundExpert.objects.filter(expert=newcomer).exists()


def test_commitment_is_signed_once_by_team_experts_only():
    scene = Scene(sign=False)
    first = services.evaluation_commitment_sign(actor=scene.lead, round=scene.round)
    again = services.evaluation_commitment_sign(actor=scene.lead, round=scene.round)
    assert first.pk == again.pk and len(first.text_sha256) == 64
    assert AuditRecord.objects.filter(action="evaluation.commitment_sign").count() == 1
    with pytest.raises(PermissionDenied):
        services.evaluation_commitment_sign(actor=ev.expert(), round=scene.round)
    assert EvaluationCommitment.objects.filter(round=scene.round).count() == 1


def test_round_advances_only_with_subject_and_team_of_three_with_lead(op):
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=op, experts=2)
    with pytest.raises(DomainError, match="至少需要一个评价对象") as refused:
        services.round_advance(actor=op, round=round_)
    assert "至少需要 3 名专家" in refused.value.message
    scene = Scene(status=RoundStatus.PREPARING, sign=False)
    services.round_advance(actor=scene.operator, round=scene.round)
    scene.round.refresh_from_db()
    assert scene.round.status == RoundStatus.SELF_ASSESSMENT
    # the subject's working users are told; an expert is not yet
    assert Notification.objects.filter(recipient=scene.publisher_user, title__contains="自评").exists()
    assert Notification.objects.filter(recipient=scene.company_user, title__contains="自评").exists()
    services.round_advance(actor=scene.operator, round=scene.round)
    scene.round.refresh_from_db()
    assert scene.round.status == RoundStatus.SCORING
    assert Notification.objects.filter(recipient=scene.lead, title__contains="专家评分").exists()
    with pytest.raises(DomainError):
        services.round_advance(actor=scene.operator, round=scene.round)


def test_subject_users_write_and_submit_self_assessment():
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    services.self_assessment_save(actor=scene.company_user, subject=scene.subject, text="草稿")
    with pytest.raises(DomainError, match="2.1 实施管理"):  # the framework's evidence-required leaf
        Indicator.objects.filter(framework=scene.round.framework, code="2.1").update(evidence_required=True)
        services.self_assessment_save(actor=scene.company_user, subject=scene.subject, text="自评报告", submit=True)
    leaf = Indicator.objects.get(framework=scene.round.framework, code="2.1")
    services.evidence_upload(actor=scene.publisher_user, subject=scene.subject, uploaded_file=pdf(), indicator=leaf)
    subject = services.self_assessment_save(
        actor=scene.company_user, subject=scene.subject, text="自评报告", submit=True
    )
    assert subject.self_assessment_submitted_at is not None and subject.self_assessment_by == scene.company_user
    with pytest.raises(DomainError, match="已提交"):
        services.self_assessment_save(actor=scene.company_user, subject=scene.subject, text="改")


def test_membership_without_a_working_role_is_refused():
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    bare = UserFactory(organisation=scene.supplier)  # a member, no role
    judge_employee = UserFactory(organisation=scene.supplier, roles=["judge"])
    stranger = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    for user in (bare, judge_employee, stranger):
        with pytest.raises(PermissionDenied):
            services.self_assessment_save(actor=user, subject=scene.subject, text="x")
        with pytest.raises(PermissionDenied):
            services.evidence_upload(actor=user, subject=scene.subject, uploaded_file=pdf())
    assert not EvidenceFile.objects.exists()


def test_evidence_is_checked_and_only_while_self_assessment_or_scoring():
    from django.core.files.uploadedfile import SimpleUploadedFile

    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    fake = SimpleUploadedFile("报告.pdf", b"MZ not a pdf")
    with pytest.raises(DomainError, match="内容与扩展名不符"):
        services.evidence_upload(actor=scene.company_user, subject=scene.subject, uploaded_file=fake)
    parent = Indicator.objects.get(framework=scene.round.framework, code="1")
    with pytest.raises(DomainError, match="评分指标"):
        services.evidence_upload(actor=scene.company_user, subject=scene.subject, uploaded_file=pdf(), indicator=parent)
    scene.round.status = RoundStatus.PREPARING
    scene.round.save()
    with pytest.raises(DomainError, match="不在自评时间内"):
        services.evidence_upload(actor=scene.company_user, subject=scene.subject, uploaded_file=pdf())
    assert not EvidenceFile.objects.exists()


def test_a_submission_refused_for_missing_evidence_keeps_the_text_as_a_draft():
    scene = Scene(status=RoundStatus.SELF_ASSESSMENT, sign=False)
    Indicator.objects.filter(framework=scene.round.framework, code__in=["2.1", "1.2"]).update(evidence_required=True)
    with pytest.raises(DomainError) as refusal:
        services.self_assessment_save(
            actor=scene.company_user, subject=scene.subject, text="已完成首台套应用。", submit=True
        )
    # Named in the order of the tree, and what was typed is not lost.
    assert "自评报告已保存为草稿；以下指标须上传佐证材料后才能提交：1.2 方案论证、2.1 实施管理" in str(refusal.value)
    scene.subject.refresh_from_db()
    assert scene.subject.self_assessment == "已完成首台套应用。"
    assert scene.subject.self_assessment_submitted_at is None
