"""Typical cases: the nomination rule's boundaries, the decision flow, replications and their count."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import selectors, services
from evaluation.choices import CaseStatus, ReplicationStatus, RoundStatus, SubjectRole
from evaluation.models import CaseNominationRule, Replication, TypicalCase
from tests.evaluation import conftest_cases as fixtures  # noqa: E402
from tests.evaluation.conftest_cases import approved_case, closed_round, company_user, evaluated_subject, evidence_pdf  # noqa: E402
from tests.factories.accounts import DistrictFactory, OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator


# ---- nomination ------------------------------------------------------------------------------


def test_a_total_of_exactly_85_with_benefit_at_exactly_80_percent_is_proposed():
    round_ = closed_round()
    item = evaluated_subject(round_, total="85.00", benefit="20.00")
    [case] = services.cases_propose(round=round_)
    assert case.subject == item and case.status == CaseStatus.PROPOSED
    assert case.rule["min_total"] == "85.00" and case.rule["benefit_needed"] == "20.00"
    assert case.rule["total"] == "85.00" and case.rule["benefit_score"] == "20.00"


def test_just_below_either_boundary_is_not_proposed():
    round_ = closed_round()
    evaluated_subject(round_, total="84.99", benefit="25.00")
    evaluated_subject(round_, total="95.00", benefit="19.99")
    assert services.cases_propose(round=round_) == []
    assert not TypicalCase.objects.exists()


def test_a_red_line_hit_keeps_a_high_scorer_out():
    round_ = closed_round()
    evaluated_subject(round_, total="92.00", benefit="24.00", red_line_hits=["2.1"])
    assert services.cases_propose(round=round_) == []


def test_the_newest_rule_is_the_one_applied():
    round_ = closed_round()
    evaluated_subject(round_, total="82.00", benefit="20.00", red_line_hits=["2.1"])
    CaseNominationRule.objects.create(min_total=Decimal("90"))
    CaseNominationRule.objects.create(min_total=Decimal("80"), exclude_red_line=False)
    [case] = services.cases_propose(round=round_)
    assert case.rule["min_total"] == "80.00" and case.rule["exclude_red_line"] is False


def test_proposal_prefills_the_case_from_the_scenario_and_is_idempotent():
    round_ = closed_round()
    supplier = OrganisationFactory(name="宁波港智科技有限公司")
    item = evaluated_subject(round_, supplier=supplier)
    [case] = services.cases_propose(round=round_)
    assert case.title == item.scenario.title
    assert case.problem == "港区集卡排队严重，需要智能调度。"
    assert case.supplier == supplier
    assert services.cases_propose(round=round_) == []
    assert TypicalCase.objects.count() == 1


def test_only_published_results_of_a_closed_round_are_read():
    round_ = closed_round()
    evaluated_subject(round_, published=False)
    assert services.cases_propose(round=round_) == []
    round_.status = RoundStatus.SCORING
    with pytest.raises(DomainError):
        services.cases_propose(round=round_)


def test_the_operators_button_refuses_other_people(operator):
    round_ = closed_round()
    evaluated_subject(round_)
    with pytest.raises(PermissionDenied):
        services.cases_propose(round=round_, actor=company_user())
    assert len(services.cases_propose(round=round_, actor=operator)) == 1


# ---- decisions -------------------------------------------------------------------------------


def proposed_case():
    round_ = closed_round()
    evaluated_subject(round_)
    return services.cases_propose(round=round_)[0]


def test_operator_approves_with_a_reason_and_the_subject_is_told(operator):
    case = proposed_case()
    publisher_member = publisher_user(organisation=case.subject.scenario.publisher)
    with pytest.raises(DomainError, match="理由"):
        services.case_decide(actor=operator, case=case, decision="approve", reason=" ")
    services.case_decide(actor=operator, case=case, decision="approve", reason="成效显著，可复制")
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.decided_by == operator
    record = AuditRecord.objects.get(action="evaluation.case.decide")
    assert record.reason == "成效显著，可复制" and record.after["status"] == "approved"
    assert Notification.objects.filter(recipient=publisher_member, title__contains="入选典型案例").exists()


def test_more_info_lets_the_subject_supplement_and_resubmit(operator):
    case = proposed_case()
    member = publisher_user(organisation=case.subject.scenario.publisher)
    with pytest.raises(DomainError):
        services.case_edit(actor=member, case=case, title="改名", solution="方案")
    services.case_decide(actor=operator, case=case, decision="more_info", reason="请补充应用成效数据")
    services.case_edit(actor=member, case=case, title="港区智能调度", solution="视觉识别调度", outcomes="排队缩短 40%")
    services.case_resubmit(actor=member, case=case)
    case.refresh_from_db()
    assert (case.status, case.title, case.outcomes) == (CaseStatus.PROPOSED, "港区智能调度", "排队缩短 40%")


def test_a_member_without_a_working_role_cannot_supplement(operator):
    case = proposed_case()
    services.case_decide(actor=operator, case=case, decision="more_info", reason="请补充")
    expert_member = UserFactory(organisation=case.subject.scenario.publisher, roles=["judge"])
    with pytest.raises(PermissionDenied):
        services.case_edit(actor=expert_member, case=case, title="x")


def test_a_decided_case_cannot_be_decided_again_and_others_cannot_decide(operator):
    case = proposed_case()
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=company_user(), case=case, decision="approve", reason="好")
    services.case_decide(actor=operator, case=case, decision="dismiss", reason="成效数据不足")
    with pytest.raises(DomainError):
        services.case_decide(actor=operator, case=case, decision="approve", reason="重新考虑")


# ---- replications ----------------------------------------------------------------------------


def test_an_adoption_by_another_organisation_is_recorded_with_evidence_and_verified(operator):
    case = approved_case()
    adopter = company_user()
    replication = services.replication_record(
        actor=adopter, case=case, kind="adoption", description="在北仑港区推广应用", evidence=evidence_pdf()
    )
    assert replication.status == ReplicationStatus.PENDING and replication.adopter == adopter.organisation
    assert replication.evidence_name == "佐证材料.pdf" and replication.evidence.read().startswith(b"%PDF")
    services.replication_verify(actor=operator, replication=replication, approve=True)
    replication.refresh_from_db()
    assert replication.status == ReplicationStatus.VERIFIED and replication.verified_by == operator
    assert Notification.objects.filter(recipient=adopter, title__contains="已核实").exists()


def test_the_cases_own_organisations_cannot_record_a_replication():
    case = approved_case()
    supplier = case.subject.subject_organisations.get(role=SubjectRole.SUPPLIER).organisation
    for user in (company_user(organisation=supplier), publisher_user(organisation=case.subject.scenario.publisher)):
        with pytest.raises(DomainError, match="本单位"):
            services.replication_record(
                actor=user, case=case, kind="adoption", description="自己推广", evidence=evidence_pdf()
            )
    assert not Replication.objects.exists()


def test_membership_without_a_working_role_cannot_record():
    case = approved_case()
    expert = UserFactory(organisation=OrganisationFactory(), roles=["judge"])
    with pytest.raises(PermissionDenied):
        services.replication_record(actor=expert, case=case, kind="adoption", description="x", evidence=evidence_pdf())


def test_only_approved_cases_can_be_replicated():
    case = proposed_case()
    with pytest.raises(DomainError, match="已入选"):
        services.replication_record(
            actor=company_user(), case=case, kind="adoption", description="x", evidence=evidence_pdf()
        )


def test_an_adoption_needs_a_genuine_evidence_file():
    case = approved_case()
    adopter = company_user()
    with pytest.raises(DomainError, match="佐证"):
        services.replication_record(actor=adopter, case=case, kind="adoption", description="推广")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.replication_record(
            actor=adopter,
            case=case,
            kind="adoption",
            description="推广",
            evidence=SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not Replication.objects.exists()


def test_a_new_draft_scenario_is_linked_to_the_case_through_the_scenarios_service():
    case = approved_case()
    adopter = publisher_user()
    draft = ScenarioFactory(publisher=adopter.organisation, created_by=adopter, status="draft")
    replication = services.replication_record(actor=adopter, case=case, kind="scenario", scenario=draft)
    draft.refresh_from_db()
    assert draft.replication_of == case.subject.scenario
    assert replication.scenario == draft and "复制为新场景" in replication.description
    assert AuditRecord.objects.filter(action="scenario.update", object_id=str(draft.pk)).exists()


def test_a_scenario_of_another_organisation_or_linked_elsewhere_is_refused():
    case = approved_case()
    adopter = publisher_user()
    foreign = ScenarioFactory(status="draft")
    with pytest.raises(DomainError, match="本单位"):
        services.replication_record(actor=adopter, case=case, kind="scenario", scenario=foreign)
    published_elsewhere = ScenarioFactory(
        publisher=adopter.organisation, status="published", replication_of=ScenarioFactory(status="published")
    )
    with pytest.raises(DomainError, match="复制推广自"):
        services.replication_record(actor=adopter, case=case, kind="scenario", scenario=published_elsewhere)


def test_a_rejection_needs_a_reason(operator):
    case = approved_case()
    replication = services.replication_record(
        actor=company_user(), case=case, kind="adoption", description="推广", evidence=evidence_pdf()
    )
    with pytest.raises(DomainError):
        services.replication_verify(actor=operator, replication=replication, approve=False, reason="")
    services.replication_verify(actor=operator, replication=replication, approve=False, reason="材料不能证明实际应用")
    replication.refresh_from_db()
    assert replication.status == ReplicationStatus.REJECTED


# ---- the count (口径) -------------------------------------------------------------------------


def verified(case, adopter, when, status=ReplicationStatus.VERIFIED):
    return Replication.objects.create(
        case=case,
        adopter=adopter,
        kind="adoption",
        description="推广应用",
        status=status,
        recorded_by=UserFactory(),
        verified_at=when if status != ReplicationStatus.PENDING else None,
    )


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def test_one_adopter_counts_once_per_case_and_only_verified_replications_count():
    case, other_case = approved_case(), approved_case()
    adopter, second = OrganisationFactory(), OrganisationFactory()
    first = verified(case, adopter, at(2026, 3, 1))
    verified(case, adopter, at(2026, 5, 1))  # the same adopter again: not counted twice
    verified(case, second, at(2026, 4, 1))
    verified(other_case, adopter, at(2026, 6, 1))  # another case by the same adopter counts
    verified(case, OrganisationFactory(), None, status=ReplicationStatus.PENDING)
    verified(case, OrganisationFactory(), at(2026, 4, 2), status=ReplicationStatus.REJECTED)
    counted = selectors.replications_counted()
    assert counted.count() == 3
    assert first in counted


def test_replications_of_a_case_no_longer_approved_do_not_count():
    case = approved_case()
    verified(case, OrganisationFactory(), at(2026, 3, 1))
    TypicalCase.objects.filter(pk=case.pk).update(status=CaseStatus.DISMISSED)
    assert selectors.replications_counted().count() == 0


def test_the_year_is_that_of_verification_in_beijing_time():
    case = approved_case()
    new_year_beijing = verified(case, OrganisationFactory(), at(2027, 1, 1, hour=0) + datetime.timedelta(minutes=30))
    late_2026 = verified(case, OrganisationFactory(), at(2026, 12, 31, hour=23))
    assert list(selectors.replications_counted(year=2027)) == [new_year_beijing]
    assert list(selectors.replications_counted(year=2026)) == [late_2026]


def test_the_district_is_the_adopters():
    case = approved_case()
    haishu = DistrictFactory(code="haishu", name="海曙区")
    in_haishu = verified(case, OrganisationFactory(district=haishu), at(2026, 3, 1))
    verified(case, OrganisationFactory(), at(2026, 3, 2))
    assert list(selectors.replications_counted(district=haishu)) == [in_haishu]
    assert list(selectors.replications_counted(district=haishu.pk, year=2025)) == []
