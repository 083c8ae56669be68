"""公示 and awards: objections raised during the notice round and answered by operators; awards
decided by operators once 公示 is over.

A decided award changes only through award_decide and award_withdraw: on PostgreSQL the database
refuses any other UPDATE or DELETE of it (migration 0007, core.locked_rows).

An award goes only to a ranked entry whose 信用核查 passed, is at most its challenge's cap
(≤ ¥1,000,000), and keeps the contest's awards within its budget. The same rules stand in the
database (migration 0003), which also serialises concurrent decisions on the contest row."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests.choices import CreditCheck, ObjectionStatus, Round
from contests.models import AWARD_CAP_LIMIT, Award, Challenge, Contest, ContestEntry, Objection
from contests.money import parse_money, yuan
from contests.permissions import require_contest_manager
from contests.rounds import require_round
from contests.selectors import awarded_total, latest_snapshot, panel_complete
from contests.services.notices import award_told
from core.errors import DomainError
from core.locked_rows import audited_reopen
from core.services import audit_record, snapshot


@transaction.atomic
def objection_raise(*, actor: User, challenge: Challenge, text: str, entry: ContestEntry | None = None) -> Objection:
    """Anyone signed in may object to a challenge's published ranking during 公示.

    Side effects: the objection (it blocks the challenge's awards until answered); an audit record."""
    require_round(challenge.contest, Round.NOTICE, _("提出异议"))
    text = (text or "").strip()
    if len(text) < 10:
        raise DomainError(_("请具体说明异议内容（至少 10 个字）。"), code="text")
    if len(text) > 2000:
        raise DomainError(_("异议内容不能超过 2000 字。"), code="text")
    if entry is not None and entry.challenge_id != challenge.pk:
        raise DomainError(_("所选方案不属于该榜单。"), code="entry")
    objection = Objection.objects.create(challenge=challenge, entry=entry, raised_by=actor, text=text)
    audit_record(
        actor=actor,
        action="objection.raise",
        target=objection,
        after={"challenge": challenge.pk, "entry": entry.pk if entry else None},
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: Objection, answer: str) -> Objection:
    """An operator answers an objection. Side effects: an audit record with it before and after."""
    require_contest_manager(actor)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), code="answer")
    if len(answer) > 2000:
        raise DomainError(_("答复内容不能超过 2000 字。"), code="answer")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    before = snapshot(objection, ["status", "answer"])
    objection.answer, objection.status = answer, ObjectionStatus.ANSWERED
    objection.answered_by, objection.answered_at = actor, timezone.now()
    objection.save()
    audit_record(
        actor=actor,
        action="objection.answer",
        target=objection,
        before=before,
        after=snapshot(objection, ["status", "answer"]),
    )
    return objection


@transaction.atomic
def award_decide(*, actor: User, entry: ContestEntry, amount, note: str = "") -> Award:
    """Decide (or change) an entry's award. Refused, with nothing stored, when the entry is not
    ranked, its 信用核查 has not passed, an objection is unanswered, or the amount breaks the
    challenge cap or the contest budget.

    Side effects: the award created or changed; an audit record with the amount and the rank; the
    entrant told the amount (again only when it changes)."""
    require_contest_manager(actor)
    contest = Contest.objects.select_for_update().get(
        pk=entry.challenge.contest_id
    )  # one decision at a time per contest
    challenge = entry.challenge
    require_round(contest, Round.RESULTS, _("决定奖励"))
    value = parse_money(amount, field=_("奖励金额"), column=Award._meta.get_field("amount"))
    if value <= 0:
        raise DomainError(_("奖励金额应大于 0。"), code="amount")
    entry = ContestEntry.objects.get(pk=entry.pk)
    if entry.credit_check != CreditCheck.PASSED:
        raise DomainError(
            _("“%(title)s”的信用核查尚未通过，不能给予奖励。") % {"title": entry.title}, code="credit_check"
        )
    ranking = latest_snapshot(challenge)
    row = next((row for row in ranking.results["entries"] if row["entry"] == entry.pk), None) if ranking else None
    if not panel_complete(ranking) or row is None or row["rank"] is None:
        raise DomainError(_("该榜单的评分尚未全部完成，方案没有排名，不能决定奖励。"), code="not_ranked")
    if challenge.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise DomainError(_("该榜单还有未答复的异议，请先答复。"), code="objections_open")
    if value > challenge.award_cap:
        raise DomainError(
            _("奖励金额 %(amount)s 超过该榜单的奖励上限 %(cap)s。")
            % {"amount": yuan(value), "cap": yuan(challenge.award_cap)},
            code="over_cap",
        )
    if value > AWARD_CAP_LIMIT:
        raise DomainError(_("单项奖励最高 ¥1,000,000.00。"), code="over_cap")
    existing = Award.objects.filter(entry=entry).first()
    others = awarded_total(contest, excluding=existing)
    if others + value > contest.award_budget:
        raise DomainError(
            _("奖励合计 %(total)s 将超过大赛奖励预算 %(budget)s（其余已决定 %(others)s）。")
            % {"total": yuan(others + value), "budget": yuan(contest.award_budget), "others": yuan(others)},
            code="over_budget",
        )
    before = snapshot(existing, ["amount", "note"]) if existing else None
    try:
        with transaction.atomic():
            if existing:
                existing.amount, existing.note, existing.decided_by = value, note[:300], actor
                with audited_reopen():  # the database refuses any other change to a decided award
                    existing.save()
                award = existing
            else:
                award = Award.objects.create(
                    entry=entry,
                    challenge=challenge,
                    contest=contest,
                    amount=value,
                    note=(note or "")[:300],
                    decided_by=actor,
                )
    except IntegrityError:
        # The database triggers hold the same rules; reaching here means a rule changed under us.
        raise DomainError(_("奖励不符合上限、预算或信用核查要求，未保存。"), code="award_refused") from None
    audit_record(
        actor=actor,
        action="award.decide",
        target=award,
        before=before,
        after={"entry": entry.pk, "amount": value, "note": award.note, "rank": row["rank"]},
    )
    award_told(entry, award)
    return award


@transaction.atomic
def award_withdraw(*, actor: User, award: Award, reason: str) -> None:
    """An operator withdraws an award (not once a cooperation agreement is recorded), with a reason.

    Side effects: the award deleted; an audit record with it as it was."""
    require_contest_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), code="reason_required")
    if hasattr(award.entry, "agreement"):
        raise DomainError(_("已登记合作协议的奖励不能撤销。"), code="has_agreement")
    before = snapshot(award, ["entry", "amount", "note"])
    with audited_reopen():  # the database refuses any other removal of a decided award
        award.delete()
    audit_record(actor=actor, action="award.withdraw", target=None, before=before, reason=reason[:500])
