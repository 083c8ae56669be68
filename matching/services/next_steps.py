"""After a publisher accepts a recommended supplier, the next step with that supplier: ask it about
the scenario (an enquiry, capability_list.services.enquiry_ask_supplier) or invite it to a
matchmaking event (the pair on the event's agenda, capability_list.services.event_invite_supplier).

Both need the publisher's acceptance of that very pair. What was done is read back from the
enquiry and the agenda (matching.selectors.suppliers_for), so nothing is stored twice."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from capability_list.models import AgendaItem, Enquiry, MatchmakingEvent
from capability_list.services import enquiry_ask_supplier, event_invite_supplier
from core.errors import DomainError, PermissionDenied
from matching.choices import MatchDecision, MatchSide
from matching.models import Match, MatchFeedback
from matching.permissions import side_of


def _require_accepted(actor: User, match: Match) -> None:
    if side_of(actor, match) != MatchSide.PUBLISHER:
        raise PermissionDenied(_("只有场景的发榜方可以对推荐供应商采取下一步。"))
    accepted = MatchFeedback.objects.filter(
        scenario_id=match.scenario_id,
        entry_id=match.entry_id,
        side=MatchSide.PUBLISHER,
        decision=MatchDecision.ACCEPTED,
    ).exists()
    if not accepted:
        raise DomainError(_("请先接受该推荐供应商，再发起询问或邀请。"), code="not_accepted")


@transaction.atomic
def match_enquire(*, actor: User, match: Match, subject: str, question: str) -> Enquiry:
    """The publisher asks the accepted supplier's company about the scenario.

    Side effects (enquiry_ask_supplier): the enquiry with its deadline, the company's members
    notified, an audit record."""
    _require_accepted(actor, match)
    return enquiry_ask_supplier(
        actor=actor, scenario=match.scenario, company=match.entry.company, subject=subject, question=question
    )


@transaction.atomic
def match_invite(*, actor: User, match: Match, event: MatchmakingEvent) -> AgendaItem:
    """The publisher invites the accepted supplier to an upcoming matchmaking event.

    Side effects (event_invite_supplier): the pair on the event's agenda, the supplier company's
    users invited, an audit record."""
    _require_accepted(actor, match)
    return event_invite_supplier(actor=actor, event=event, scenario=match.scenario, entry=match.entry)
