"""Writes for matchmaking events (论证会/对接会): an agenda of scenario–entry pairs, invitations, outcomes."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from capability_list.choices import AgendaOutcome, EntryStatus, EventKind
from capability_list.models import AgendaItem, MatchmakingEvent
from capability_list.permissions import is_operator
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify
from scenarios.permissions import is_publisher_of


def _require_operator(actor) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以组织对接活动。"))


def _kind(event: MatchmakingEvent) -> Message:
    """The event's kind as a message parameter, translated with the text around it (the labels'
    source text is their Chinese, shown untranslated with every translation switched off)."""
    with translation.override(None):
        return Message(str(EventKind(event.kind).label))


def _time(event: MatchmakingEvent) -> str:
    return timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")


def _agenda_item_create(event: MatchmakingEvent, scenario, entry) -> AgendaItem:
    """The pair on the event's agenda, after the rules both ways of adding one share."""
    if not scenario.is_public:
        raise DomainError(_("只能安排已发布的场景。"), code="scenario_not_public")
    if entry.status != EntryStatus.LISTED:
        raise DomainError(_("只能安排已入库的能力清单条目。"), code="entry_not_listed")
    position = event.agenda.count() + 1
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(event=event, scenario=scenario, entry=entry, position=position)
    except IntegrityError:
        raise DomainError(_("该场景与条目已在议程中。"), code="duplicate") from None


@transaction.atomic
def event_create(
    *,
    actor: User,
    title: str,
    starts_at,
    venue: str,
    kind: str = EventKind.MATCHMAKING,
    description: str = "",
) -> MatchmakingEvent:
    # `kind` defaults as the model's column does: the API (a ModelSerializer) leaves it optional, and
    # an API request without it was a 500 when the service required it.
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
    item = _agenda_item_create(event, scenario, entry)
    audit_record(
        actor=actor, action="event.agenda_add", target=event, after={"scenario": scenario.pk, "entry": entry.pk}
    )
    invitees = User.objects.filter(
        Q(organisation_id=scenario.publisher_id) | Q(organisation_id=entry.company_id), is_active=True
    )
    notify(
        recipients=invitees,
        title=Message(gettext_noop("邀请参加%(kind)s：%(title)s"), kind=_kind(event), title=event.title),
        body=Message(
            gettext_noop("时间：%(time)s；地点：%(venue)s；议题：%(scenario)s × %(entry)s"),
            time=_time(event),
            venue=event.venue,
            scenario=scenario.title,
            entry=entry.name,
        ),
        link=reverse("capability_list:event-detail", args=[event.pk]),
    )
    return item


@transaction.atomic
def event_invite_supplier(*, actor: User, event: MatchmakingEvent, scenario, entry) -> AgendaItem:
    """A scenario's publisher invites a supplier to an upcoming matchmaking event (the next step
    after accepting a recommended supplier, matching.services.match_invite): the pair goes on the
    event's agenda, as an operator's agenda_add puts it, and the operators record its outcome there.

    Side effects: the AgendaItem; audit; the supplier company's users invited (站内消息).
    """
    if not is_publisher_of(actor, scenario):
        raise PermissionDenied(_("只有场景的发榜方可以邀请供应商参加对接活动。"))
    if event.starts_at <= timezone.now():
        raise DomainError(_("该活动已开始或已结束，请选择尚未举行的对接活动。"), code="event_past")
    item = _agenda_item_create(event, scenario, entry)
    audit_record(
        actor=actor,
        action="event.invite_supplier",
        target=event,
        after={"scenario": scenario.pk, "entry": entry.pk, "company": entry.company_id},
    )
    notify(
        recipients=User.objects.filter(organisation_id=entry.company_id, is_active=True),
        title=Message(gettext_noop("邀请参加%(kind)s：%(title)s"), kind=_kind(event), title=event.title),
        body=Message(
            gettext_noop(
                "%(publisher)s 邀请贵单位就场景“%(scenario)s”与“%(entry)s”参加对接。时间：%(time)s；地点：%(venue)s"
            ),
            publisher=actor.organisation.name,
            scenario=scenario.title,
            entry=entry.name,
            time=_time(event),
            venue=event.venue,
        ),
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
