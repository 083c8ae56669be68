"""Both sides accept or decline a recommended pair; a decline carries a reason code. The labels
are kept per pair (not per stored row), so a rebuild does not lose them."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError
from core.services import audit_record
from matching.choices import DeclineReason, MatchDecision
from matching.models import Match, MatchFeedback
from matching.permissions import side_of


@transaction.atomic
def match_answer(*, actor: User, match: Match, decision: str, reason: str = "") -> MatchFeedback:
    """Record (or change) the actor's side's answer to a stored match."""
    side = side_of(actor, match)
    if side is None:
        raise Http404
    if decision not in MatchDecision.values:
        raise DomainError(_("请选择接受或不接受。"), code="decision")
    if decision == MatchDecision.DECLINED and reason not in DeclineReason.values:
        raise DomainError(_("不接受时请选择原因：不相关、技术不成熟、预算不符、地域不符或已有供应商。"), code="reason")
    reason = reason if decision == MatchDecision.DECLINED else ""
    feedback, created = MatchFeedback.objects.select_for_update().get_or_create(
        scenario_id=match.scenario_id,
        entry_id=match.entry_id,
        side=side,
        defaults={"decision": decision, "reason": reason, "score": match.score, "decided_by": actor},
    )
    before = None if created else {"decision": feedback.decision, "reason": feedback.reason}
    if not created:
        feedback.decision, feedback.reason, feedback.score, feedback.decided_by = decision, reason, match.score, actor
        feedback.save()
    audit_record(
        actor=actor,
        action="match.answer",
        target=match.scenario,
        before=before,
        after={"entry": match.entry_id, "side": side, "decision": decision, "reason": reason},
    )
    return feedback
