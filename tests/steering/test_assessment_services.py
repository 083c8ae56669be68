"""Recording, verifying and rejecting uses of contest products (audited, notified), the one-step
record from a signed cooperation agreement, and the year's scheme (edited until filed)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contests.models import CooperationAgreement
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from steering import selectors, services
from steering.models import AssessmentScheme
from tests.factories.accounts import UserFactory
from tests.steering.assessment_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def contract_pdf(name="采购合同（轨道巡检机器人）.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 contract", content_type="application/pdf")


def record(world, **overrides):
    arguments = {
        "actor": world.rail_publisher,
        "entry": world.entries.e2,
        "kind": "procurement",
        "contract_number": " NBGT-2026-CG-0101 ",
        "amount": "1,280,000.50",
        "used_on": datetime.date(2026, 8, 18),
        "evidence": contract_pdf(),
    }
    return services.product_use_record(**{**arguments, **overrides})


def test_a_publisher_records_a_use_for_their_own_organisation_pending_audited_and_operators_told(world):
    use = record(world)

    assert use.status == "pending"
    assert use.organisation == world.rail
    assert use.contract_number == "NBGT-2026-CG-0101"
    assert use.amount == Decimal("1280000.50")
    assert use.evidence_name == "采购合同（轨道巡检机器人）.pdf"
    audit = AuditRecord.objects.get(action="steering.product_use.record")
    assert audit.after["contract_number"] == "NBGT-2026-CG-0101"
    assert Notification.objects.filter(recipient=world.operator, title__contains="待核实").exists()


def test_a_use_dated_before_the_contests_result_day_is_refused(world):
    with pytest.raises(DomainError, match="早于该大赛结果发布日（2026-03-20）"):
        record(world, used_on=datetime.date(2026, 3, 19))


def test_a_use_on_the_result_day_is_accepted(world):
    assert record(world, used_on=datetime.date(2026, 3, 20)).used_on == datetime.date(2026, 3, 20)


@pytest.mark.parametrize("entry_name", ["e3", "e4", "e5"])
def test_only_shortlisted_entries_can_be_recorded(world, entry_name):
    with pytest.raises(DomainError, match="只能登记场景大赛入围产品"):
        record(world, entry=getattr(world.entries, entry_name))


def test_a_publisher_cannot_record_for_another_organisation(world):
    with pytest.raises(PermissionDenied):
        record(world, organisation=world.urban)


@pytest.mark.parametrize("roles", [["company"], ["judge"], ["official"]])
def test_companies_judges_and_officials_cannot_record(world, roles):
    with pytest.raises(PermissionDenied):
        record(world, actor=UserFactory(organisation=world.yongshi, roles=roles))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "大于 0"),
        ("-5", "大于 0"),
        ("1e15", "超出范围"),
        ("12.345", "两位小数"),
        ("十万元", "金额数字"),
        ("NaN", "大于 0"),
    ],
)
def test_bad_amounts_are_refused_in_chinese(world, amount, message):
    with pytest.raises(DomainError, match=message):
        record(world, amount=amount)


def test_the_same_contract_twice_is_refused(world):
    record(world)
    with pytest.raises(DomainError, match="已登记过"):
        record(world, evidence=contract_pdf())


def test_evidence_is_needed_and_must_be_what_it_says(world):
    with pytest.raises(DomainError, match="佐证"):
        record(world, evidence=None)
    with pytest.raises(Exception, match="不符"):
        record(world, evidence=SimpleUploadedFile("合同.pdf", b"MZ not a pdf"))


def test_an_operator_verifies_a_use_audited_and_the_soe_told_and_it_then_counts(world):
    use = record(world)
    before = selectors.soe_item_records(soe=world.rail, year=2026, item_code="products_used").count()

    services.product_use_verify(actor=world.operator, use=use, approve=True)

    use.refresh_from_db()
    assert use.status == "verified" and use.verified_by == world.operator
    audit = AuditRecord.objects.get(action="steering.product_use.verify")
    assert audit.before["status"] == "pending" and audit.after["status"] == "verified"
    assert Notification.objects.filter(recipient=world.rail_publisher, title__contains="已核实").exists()
    assert selectors.soe_item_records(soe=world.rail, year=2026, item_code="products_used").count() == before + 1


def test_rejecting_needs_a_reason_and_a_rejected_use_does_not_count(world):
    use = record(world)
    with pytest.raises(DomainError, match="理由"):
        services.product_use_verify(actor=world.operator, use=use, approve=False, reason="  ")

    services.product_use_verify(actor=world.operator, use=use, approve=False, reason="合同未盖章，请补充。")

    use.refresh_from_db()
    assert use.status == "rejected" and use.decision_reason == "合同未盖章，请补充。"
    assert AuditRecord.objects.get(action="steering.product_use.reject").reason == "合同未盖章，请补充。"
    assert use.pk not in set(selectors.product_uses_verified(year=2026).values_list("pk", flat=True))


def test_a_decided_use_cannot_be_decided_again_and_officials_cannot_verify(world):
    with pytest.raises(PermissionDenied):
        services.product_use_verify(actor=world.official, use=world.pending, approve=True)
    services.product_use_verify(actor=world.operator, use=world.pending, approve=True)
    with pytest.raises(DomainError, match="已核实过"):
        services.product_use_verify(actor=world.operator, use=world.pending, approve=False, reason="重复")


def test_a_signed_agreement_becomes_a_use_in_one_step_prefilled(world):
    entry = world.entries.e1
    agreement = CooperationAgreement.objects.create(
        entry=entry,
        mode="joint",
        title="轨道巡检机器人联合攻关任务书",
        contract_amount=Decimal("960000.00"),
        signed_on=datetime.date(2026, 4, 18),
        recorded_by=world.operator,
    )
    publisher = UserFactory(organisation=world.bureau, roles=["publisher"])
    assert agreement in selectors.agreements_to_record(publisher)

    use = services.product_use_from_agreement(actor=publisher, agreement=agreement, contract_number="NBJS-2026-017")

    assert (use.entry, use.organisation, use.kind, use.amount, use.used_on, use.agreement) == (
        entry,
        world.bureau,
        "agreement",
        Decimal("960000.00"),
        datetime.date(2026, 4, 18),
        agreement,
    )
    assert agreement not in selectors.agreements_to_record(publisher)
    with pytest.raises(DomainError, match="已登记为使用"):
        services.product_use_from_agreement(actor=world.operator, agreement=agreement, contract_number="X-2")


def test_an_operator_edits_an_item_audited_until_the_year_is_filed(world):
    scheme = selectors.scheme_of(2026)
    item = next(item for item in scheme.items.all() if item.code == "scenarios_demonstrated")

    services.assessment_item_update(actor=world.operator, item=item, points="3", cap="9", reason="示范权重提高")

    # demonstrated 3 × 3 = 9 instead of the capped 4: 11 − 4 + 9
    assert selectors.soe_scorecard(year=2026)[0]["total"] == Decimal("16.00")
    assert AuditRecord.objects.get(action="steering.assessment_item.update").reason == "示范权重提高"
    with pytest.raises(DomainError, match="上限不能小于"):
        services.assessment_item_update(actor=world.operator, item=item, points="5", cap="4")
    services.assessment_scheme_file(actor=world.operator, scheme=scheme)
    with pytest.raises(DomainError, match="已报送"):
        services.assessment_item_update(actor=world.operator, item=item, points="1", cap="2")
    with pytest.raises(PermissionDenied):
        services.assessment_scheme_file(actor=world.official, scheme=scheme)


def test_a_new_years_scheme_copies_the_latest(world):
    scheme = services.assessment_scheme_create(actor=world.operator, year="2027")

    assert scheme.items.count() == 8
    assert {item.code: item.cap for item in scheme.items.all()}["scenarios_demonstrated"] == Decimal("4.00")
    with pytest.raises(DomainError, match="已有计分方案"):
        services.assessment_scheme_create(actor=world.operator, year=2027)
    with pytest.raises(DomainError, match="四位数字"):
        services.assessment_scheme_create(actor=world.operator, year="99999")
    assert AssessmentScheme.objects.count() == 2
