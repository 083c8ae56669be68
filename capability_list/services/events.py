"""Writes for matchmaking events (论证会/对接会): an agenda of scenario–entry pairs, invitations, outcomes."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from capability_list.choices import AgendaOutcome, EntryStatus, EventKind
from capability_list.models import AgendaItem, MatchmakingEvent
from capability_list.permissions import is_operator
from core.errors import DomainError, PermissionDenied
from core.services import audit_record, notify


def _require_operator(actor) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以组织对接活动。"))


@transaction.atomic
def event_create(
    *, actor: User, title: str, kind: str, starts_at, venue: str, description: str = ""
) -> MatchmakingEvent:
    _require_operator(actor)
    if kind not in EventKind.values:
        raise DomainError(_("活动类型应为论证会或对接会。"), code="kind")
    if not (title or "").strip() or not (venue or "").strip():
        raise DomainError(_("请填写活动名称和地点。"), code="required")
    event = MatchmakingEvent.objects.create(
        title=title.strip()[:100],
        kind=kind,
        starts_at=starts_at,
        venue=venue.strip()[:200],
        description=(description or "")[:2000],
        host=actor.organisation,
        created_by=actor,
    )
    audit_record(actor=actor, action="event.create", target=event, after={"title": event.title, "starts_at": starts_at})
    return event


@transaction.atomic
def agenda_add(*, actor: User, event: MatchmakingEvent, scenario, entry) -> AgendaItem:
    """Put a scenario–entry pair on the agenda and invite both sides."""
    _require_operator(actor)
    if not scenario.is_public:
        raise DomainError(_("只能安排已发布的场景。"), code="scenario_not_public")
    if entry.status != EntryStatus.LISTED:
        raise DomainError(_("只能安排已入库的能力清单条目。"), code="entry_not_listed")
    position = event.agenda.count() + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(event=event, scenario=scenario, entry=entry, position=position)
    except IntegrityError:
        raise DomainError(_("该场景与条目已在议程中。"), code="duplicate") from None
    audit_record(
        actor=actor, action="event.agenda_add", target=event, after={"scenario": scenario.pk, "entry": entry.pk}
    )
    invitees = User.objects.filter(
        Q(organisation_id=scenario.publisher_id) | Q(organisation_id=entry.company_id), is_active=True
    )
    notify(
        recipients=invitees,
        title=_("邀请参加%(kind)s：%(title)s") % {"kind": event.get_kind_display(), "title": event.title},
        body=_("时间：%(time)s；地点：%(venue)s；议题：%(scenario)s × %(entry)s")
        % {
            "time": event.starts_at.strftime("%Y-%m-%d %H:%M"),
            "venue": event.venue,
            "scenario": scenario.title,
            "entry": entry.name,
        },
        link=reverse("capability_list:event-detail", args=[event.pk]),
    )
    return item


@transaction.atomic
def agenda_record(
    *,
    actor: User,
    item: AgendaItem,
    publisher_attended: bool | None,
    company_attended: bool | None,
    outcome: str,
    note: str = "",
) -> AgendaItem:
    """Record who came and what came of the pair (意向 / 跟进 / 签约)."""
    _require_operator(actor)
    if outcome not in AgendaOutcome.values:
        raise DomainError(_("未知的对接结果。"), code="outcome")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = {
        "outcome": item.outcome,
        "publisher_attended": item.publisher_attended,
        "company_attended": item.company_attended,
    }
    item.publisher_attended, item.company_attended, item.outcome, item.note = (
        publisher_attended,
        company_attended,
        outcome,
        (note or "")[:500],
    )
    item.save()
    audit_record(
        actor=actor,
        action="event.outcome",
        target=item.event,
        before=before,
        after={"outcome": outcome, "publisher_attended": publisher_attended, "company_attended": company_attended},
    )
    return item
