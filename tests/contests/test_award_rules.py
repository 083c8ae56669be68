"""Each award check refusing alone, the amounts at their limits (exactly ¥1,000,000, exactly the
budget left), the objection and withdrawal rules (contests.services.awards, contests.money)."""

from decimal import Decimal

import pytest

from contests import services
from contests.models import Award, ContestEntry, CooperationAgreement, RankingSnapshot
from contests.money import LARGEST_AMOUNT, parse_money
from contests.selectors import awarded_total, latest_snapshot, panel_complete
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from tests.contests.conftest import move_to
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _refusal(entry, operator, amount="100000"):
    with pytest.raises(DomainError) as refused:
        services.award_decide(actor=operator, entry=entry, amount=amount)
    assert not Award.objects.exists()
    return refused.value.code


def test_exactly_one_million_is_allowed_and_one_fen_more_is_not(results, contest_operator):
    """Rule: an award is at most its challenge's cap and never over ¥1,000,000 (AWARD_CAP_LIMIT)."""
    challenge, entries = results
    challenge.award_cap = Decimal("1000000")
    challenge.save()
    entry = ContestEntry.objects.select_related("challenge").get(pk=entries[2].pk)
    assert _refusal(entry, contest_operator, "1000000.01") == "over_cap"
    # A cap above the limit (only possible in memory: the database refuses it) still meets the limit.
    entry.challenge.award_cap = Decimal("2000000")
    with pytest.raises(DomainError, match="单项奖励最高"):
        services.award_decide(actor=contest_operator, entry=entry, amount="1000000.01")
    award = services.award_decide(actor=contest_operator, entry=entry, amount="1000000")
    assert award.amount == Decimal("1000000.00")


def test_exactly_the_budget_left_is_allowed_and_one_fen_more_is_not(results, contest_operator):
    """Rule: the contest's awards together stay within its budget; changing an award counts it once."""
    challenge, entries = results
    contest = challenge.contest
    contest.award_budget = Decimal("1000000")
    contest.save()
    services.award_decide(actor=contest_operator, entry=entries[2], amount="600000")
    with pytest.raises(DomainError, match="奖励合计 ¥1,000,000.01 将超过大赛奖励预算"):
        services.award_decide(actor=contest_operator, entry=entries[0], amount="400000.01")
    services.award_decide(actor=contest_operator, entry=entries[0], amount="400000")
    assert awarded_total(contest) == Decimal("1000000.00")
    # Changing the first award to the same amount leaves the total within the budget.
    services.award_decide(actor=contest_operator, entry=entries[2], amount="600000")
    first = Award.objects.get(entry=entries[2])
    assert awarded_total(contest, excluding=first) == Decimal("400000.00")


def test_the_smallest_award_is_one_fen(results, contest_operator):
    """Rule: the amount is more than 0."""
    _challenge, entries = results
    assert _refusal(entries[2], contest_operator, "0.00") == "amount"
    assert services.award_decide(actor=contest_operator, entry=entries[2], amount="0.01").amount == Decimal("0.01")


def test_no_award_without_a_ranking(results, contest_operator):
    """Rule: the entry must be ranked — no snapshot at all refuses."""
    challenge, entries = results
    RankingSnapshot.objects.filter(challenge=challenge).delete()
    assert _refusal(entries[2], contest_operator) == "not_ranked"


def test_no_award_while_another_entry_of_the_panel_is_incomplete(results, contest_operator):
    """Rule: the panel's scoring complete — even when the entry itself is ranked."""
    challenge, entries = results
    snapshot = latest_snapshot(challenge)
    assert panel_complete(snapshot)
    rows = snapshot.results["entries"]
    other = next(row for row in rows if row["entry"] != entries[2].pk)
    other["complete"] = False
    snapshot.save()
    assert not panel_complete(latest_snapshot(challenge))
    assert _refusal(entries[2], contest_operator) == "not_ranked"


def test_no_award_for_an_entry_missing_from_the_ranking_or_without_a_rank(results, contest_operator):
    """Rule: the entry must have a row with a rank in the latest ranking."""
    challenge, entries = results
    snapshot = latest_snapshot(challenge)
    for row in snapshot.results["entries"]:
        if row["entry"] == entries[2].pk:
            row["rank"] = None
    snapshot.save()
    assert _refusal(entries[2], contest_operator) == "not_ranked"
    snapshot.results["entries"] = [row for row in snapshot.results["entries"] if row["entry"] != entries[2].pk]
    snapshot.save()
    assert _refusal(entries[2], contest_operator) == "not_ranked"


def test_an_empty_ranking_is_not_a_complete_panel():
    """Rule: panel_complete needs a snapshot with entries, every one complete."""
    assert panel_complete(None) is False
    assert panel_complete(RankingSnapshot(results={"entries": []})) is False
    assert panel_complete(RankingSnapshot(results={"entries": [{"complete": True}]})) is True


def test_the_award_is_audited_and_the_entrant_told(results, contest_operator):
    """Rule: an award decision leaves an audit record with its rank and tells the entrant."""
    _challenge, entries = results
    services.award_decide(actor=contest_operator, entry=entries[2], amount="500000", note="备注" * 200)
    award = Award.objects.get()
    assert len(award.note) == 300
    record = AuditRecord.objects.get(action="award.decide")
    assert record.after["rank"] == 1 and record.before is None
    assert Notification.objects.filter(title__contains="获得奖励").exists()
    services.award_decide(actor=contest_operator, entry=entries[2], amount="400000", note="调整")
    changed = AuditRecord.objects.filter(action="award.decide").order_by("-pk").first()
    assert changed.before == {"amount": "500000.00", "note": award.note}


def test_an_award_with_an_agreement_cannot_be_withdrawn(results, contest_operator):
    """Rule: an award is withdrawn with a reason, and never once a cooperation agreement is recorded."""
    _challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    CooperationAgreement.objects.create(entry=entries[2], mode="joint", recorded_by=contest_operator)
    award = Award.objects.select_related("entry").get(pk=award.pk)
    with pytest.raises(DomainError) as refused:
        services.award_withdraw(actor=contest_operator, award=award, reason="放弃")
    assert refused.value.code == "has_agreement" and Award.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.award_withdraw(actor=contest_operator, award=award, reason="   ")
    assert refused.value.code == "reason_required"


def test_objection_length_limits_on_both_sides(scored, contest_operator):
    """Rule: an objection has 10 to 2000 characters; an answer 1 to 2000; its entry is of the challenge."""
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    citizen = UserFactory(roles=["company"])
    with pytest.raises(DomainError, match="至少 10 个字"):
        services.objection_raise(actor=citizen, challenge=challenge, text="一" * 9)
    with pytest.raises(DomainError, match="2000"):
        services.objection_raise(actor=citizen, challenge=challenge, text="一" * 2001)
    services.objection_raise(actor=citizen, challenge=challenge, text="一" * 10)
    objection = services.objection_raise(actor=citizen, challenge=challenge, text="一" * 2000, entry=entries[0])
    assert AuditRecord.objects.filter(action="objection.raise").count() == 2
    with pytest.raises(DomainError, match="请填写答复内容"):
        services.objection_answer(actor=contest_operator, objection=objection, answer=" ")
    with pytest.raises(DomainError, match="2000"):
        services.objection_answer(actor=contest_operator, objection=objection, answer="答" * 2001)
    services.objection_answer(actor=contest_operator, objection=objection, answer="答" * 2000)


def test_an_objection_naming_an_entry_of_another_challenge_is_refused(scored, contest_operator, make_contest):
    """Rule: the entry an objection names belongs to the challenge."""
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    stranger = ContestEntry(pk=entries[0].pk, challenge_id=challenge.pk + 1000)
    with pytest.raises(DomainError, match="不属于该榜单"):
        services.objection_raise(
            actor=UserFactory(roles=["company"]), challenge=challenge, text="一" * 10, entry=stranger
        )


def test_money_is_parsed_exactly_within_its_range():
    """Rule: exact yuan with at most two decimals, below LARGEST_AMOUNT or the column's bound."""
    assert parse_money("1,000,000", field="金额") == Decimal("1000000.00")
    assert parse_money(0.1, field="金额") == Decimal("0.10")  # a float by its shortest repr
    assert parse_money(" 12.5 ", field="金额") == Decimal("12.50")
    assert parse_money(LARGEST_AMOUNT - 1, field="金额") == LARGEST_AMOUNT - 1
    for bad in (LARGEST_AMOUNT, -LARGEST_AMOUNT, "1.001", "NaN", "Infinity", "abc", None):
        with pytest.raises(DomainError):
            parse_money(bad, field="金额")
    column = Award._meta.get_field("amount")
    largest = Decimal(10) ** (column.max_digits - column.decimal_places)
    assert parse_money(largest - Decimal("0.01"), field="金额", column=column) == largest - Decimal("0.01")
    with pytest.raises(DomainError, match="超出范围"):
        parse_money(largest, field="金额", column=column)


def test_only_a_contest_manager_withdraws_an_award(results, contest_operator):
    """Rule: withdrawing an award is an operator's, like deciding it; anyone else is refused."""
    _challenge, entries = results
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    with pytest.raises(PermissionDenied):
        services.award_withdraw(actor=UserFactory(roles=["official"]), award=award, reason="放弃")
    assert Award.objects.filter(pk=award.pk).exists()
    assert not AuditRecord.objects.filter(action="award.withdraw").exists()


def test_money_is_kept_to_the_fen_below_ten_trillion():
    """Rule: an amount is exact yuan to two decimals (12.5 is ¥12.50) and under ¥10,000,000,000,000
    (LARGEST_AMOUNT) — written out here, not read from the constant."""
    assert str(parse_money("12.5", field="金额")) == "12.50"
    assert str(parse_money("3", field="金额")) == "3.00"
    assert parse_money("9999999999999.99", field="金额") == Decimal("9999999999999.99")
    with pytest.raises(DomainError, match="超出范围"):
        parse_money("10000000000000", field="金额")


def test_the_budget_counts_this_contests_awards_only(results, contest_operator, make_contest):
    """Rule: a contest's awards total is its own: nothing decided reads 0, another contest's
    awards are not in it."""
    challenge, entries = results
    other = make_contest(name="2026 另一场大赛")
    assert awarded_total(other) == Decimal("0")
    assert awarded_total(challenge.contest) == Decimal("0")
    services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    assert awarded_total(challenge.contest) == Decimal("500000.00")
    assert awarded_total(other) == Decimal("0")


def test_a_changed_note_and_a_withdrawal_reason_are_cut_to_their_lengths(results, contest_operator):
    """Rule: an award's note keeps 300 characters, also when the award is changed; a withdrawal's
    reason is audited with 500."""
    _challenge, entries = results
    services.award_decide(actor=contest_operator, entry=entries[2], amount="500000")
    award = services.award_decide(actor=contest_operator, entry=entries[2], amount="400000", note="改" * 400)
    assert Award.objects.get(pk=award.pk).note == "改" * 300
    services.award_withdraw(actor=contest_operator, award=Award.objects.get(pk=award.pk), reason="撤" * 600)
    assert AuditRecord.objects.get(action="award.withdraw").reason == "撤" * 500


def test_an_objection_is_audited_with_the_entry_it_names(scored):
    """Rule: the audit record of an objection names its challenge and the entry objected to, if any."""
    challenge, entries, _judges = scored
    move_to(challenge.contest, "notice")
    citizen = UserFactory(roles=["company"])
    services.objection_raise(actor=citizen, challenge=challenge, text="一" * 10, entry=entries[0])
    services.objection_raise(actor=citizen, challenge=challenge, text="二" * 10)
    afters = [record.after for record in AuditRecord.objects.filter(action="objection.raise").order_by("pk")]
    assert afters == [{"challenge": challenge.pk, "entry": entries[0].pk}, {"challenge": challenge.pk, "entry": None}]


def test_an_award_the_database_refuses_is_a_clear_refusal(results, contest_operator, monkeypatch):
    """Rule: should the service's own checks let an award through that the database's constraints
    refuse (over ¥1,000,000 here), the operator gets a refusal, never a 500, and nothing is stored."""
    _challenge, entries = results
    monkeypatch.setattr("contests.services.awards.AWARD_CAP_LIMIT", Decimal("2000000"))
    entry = ContestEntry.objects.select_related("challenge").get(pk=entries[2].pk)
    entry.challenge.award_cap = Decimal("2000000")  # in memory only: the database refuses it
    with pytest.raises(DomainError) as refused:
        services.award_decide(actor=contest_operator, entry=entry, amount="1500000")
    assert refused.value.code == "award_refused" and not Award.objects.exists()
