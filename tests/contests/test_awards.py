"""公示 objections and awards: every rule refuses with a message and stores nothing, and the
database holds the cap, the budget and the credit check on its own."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contests import services
from contests.models import Award, Objection
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from tests.contests.conftest import move_to
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_objections_are_raised_during_notice_and_answered(scored, contest_operator):
    challenge, entries, _judges = scored
    citizen = UserFactory(roles=["company"])
    with pytest.raises(DomainError, match="公示"):
        services.objection_raise(
            actor=citizen, challenge=challenge, entry=entries[0], text="该方案的现场测试数据与申报材料不一致。"
        )
    move_to(challenge.contest, "notice")
    with pytest.raises(DomainError, match="至少 10 个字"):
        services.objection_raise(actor=citizen, challenge=challenge, text="有异议")
    objection = services.objection_raise(
        actor=citizen, challenge=challenge, entry=entries[0], text="该方案的现场测试数据与申报材料不一致。"
    )
    with pytest.raises(PermissionDenied):
        services.objection_answer(actor=citizen, objection=objection, answer="已核实")
    services.objection_answer(
        actor=contest_operator, objection=objection, answer="经核实，现场测试数据以第三方检测报告为准，排名不变。"
    )
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.answered_by == contest_operator
    assert AuditRecord.objects.filter(action__in=["objection.raise", "objection.answer"]).count() == 2


def test_an_award_within_cap_and_budget_is_decided_and_audited(results, contest_operator):
    challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="800000", note="第一名")
    assert award.amount == Decimal("800000.00") and award.contest == challenge.contest
    record = AuditRecord.objects.get(action="award.decide")
    assert record.after["amount"] == "800000.00" and record.after["rank"] == 1
    # The audit log names the award by what it is, not "Award object (1)".
    assert record.object_label == f"奖励：{entries[2].lead.name} ¥800,000"
    changed = services.award_decide(actor=contest_operator, entry=entries[2], amount="600000.50")
    assert changed.pk == award.pk and Award.objects.get().amount == Decimal("600000.50")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("800000.01", "超过该榜单的奖励上限"),
        ("0", "大于 0"),
        ("-5", "大于 0"),
        ("1e6", "最多保留两位小数|超过"),
        ("十万", "金额数字"),
        ("1.001", "两位小数"),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_stored(results, contest_operator, amount, message):
    _challenge, entries = results
    with pytest.raises(DomainError, match=message):
        services.award_decide(actor=contest_operator, entry=entries[2], amount=amount)
    assert not Award.objects.exists()


def test_awards_may_not_exceed_the_contest_budget(results, contest_operator, make_contest):
    challenge, entries = results
    contest = challenge.contest
    contest.award_budget = Decimal("1500000")
    contest.save()
    services.award_decide(actor=contest_operator, entry=entries[2], amount="800000")
    services.award_decide(actor=contest_operator, entry=entries[0], amount="700000")
    with pytest.raises(DomainError, match="超过大赛奖励预算"):
        services.award_decide(actor=contest_operator, entry=entries[1], amount="0.01")
    # raising one award past the budget is refused too; lowering it is fine
    with pytest.raises(DomainError, match="超过大赛奖励预算"):
        services.award_decide(actor=contest_operator, entry=entries[0], amount="700000.01")
    services.award_decide(actor=contest_operator, entry=entries[0], amount="600000")
    assert sorted(Award.objects.values_list("amount", flat=True)) == [Decimal("600000.00"), Decimal("800000.00")]


def test_no_award_without_a_passed_credit_check_ranking_or_round(scored, contest_operator):
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    services.entry_record_credit_check(actor=contest_operator, entry=entries[2], passed=True)
    with pytest.raises(DomainError, match="结果发布"):
        services.award_decide(actor=contest_operator, entry=entries[2], amount="100000")
    move_to(challenge.contest, "results")
    services.entry_record_credit_check(actor=contest_operator, entry=entries[0], passed=False, note="存在失信记录")
    with pytest.raises(DomainError, match="信用核查尚未通过"):
        services.award_decide(actor=contest_operator, entry=entries[0], amount="100000")
    with pytest.raises(DomainError, match="信用核查尚未通过"):
        services.award_decide(actor=contest_operator, entry=entries[1], amount="100000")  # still pending
    with pytest.raises(PermissionDenied):
        services.award_decide(actor=UserFactory(roles=["official"]), entry=entries[2], amount="100000")
    assert not Award.objects.exists()


def test_an_unanswered_objection_blocks_the_award(scored, contest_operator):
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    services.objection_raise(
        actor=UserFactory(roles=["company"]), challenge=challenge, text="第二名的方案存在知识产权争议，请核查。"
    )
    services.entry_record_credit_check(actor=contest_operator, entry=entries[2], passed=True)
    move_to(challenge.contest, "results")
    with pytest.raises(DomainError, match="未答复的异议"):
        services.award_decide(actor=contest_operator, entry=entries[2], amount="100000")
    services.objection_answer(actor=contest_operator, objection=Objection.objects.get(), answer="经核查不存在争议。")
    assert services.award_decide(actor=contest_operator, entry=entries[2], amount="100000").pk


def test_the_database_itself_refuses_an_award_over_cap_budget_or_without_credit(results, contest_operator):
    challenge, entries = results
    contest = challenge.contest

    def insert(entry, amount):
        with transaction.atomic():
            Award.objects.create(
                entry=entry, challenge=challenge, contest=contest, amount=Decimal(amount), decided_by=contest_operator
            )

    with pytest.raises(IntegrityError):
        insert(entries[2], "800000.01")  # over the challenge cap
    with pytest.raises(IntegrityError):
        insert(entries[2], "1000000.01")  # over ¥1,000,000 (check constraint)
    contest.award_budget = Decimal("1000000")
    contest.save()
    insert(entries[2], "800000")
    with pytest.raises(IntegrityError):
        insert(entries[0], "200000.01")  # over the budget
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(entry=entries[2]).update(amount=Decimal("800000.01"))
    entries[1].credit_check = "failed"
    entries[1].save()
    with pytest.raises(IntegrityError):
        insert(entries[1], "1000")
    assert list(Award.objects.values_list("amount", flat=True)) == [Decimal("800000.00")]


def test_withdrawing_an_award_needs_a_reason(results, contest_operator):
    _challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    with pytest.raises(DomainError, match="撤销原因"):
        services.award_withdraw(actor=contest_operator, award=award, reason="")
    services.award_withdraw(actor=contest_operator, award=award, reason="获奖单位主动放弃")
    assert (
        not Award.objects.exists()
        and AuditRecord.objects.filter(action="award.withdraw", reason="获奖单位主动放弃").exists()
    )
