"""Writes for open lab instruments (开放仪器): institutes open them; publishers ask to use them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.errors import DomainError, PermissionDenied
from core.messages import Message, choice
from core.services import audit_record, notify, snapshot
from scenarios.models import InstrumentRequest, LabInstrument, Scenario
from scenarios.permissions import INSTRUMENT_MANAGER_ROLE, can_manage_instrument, is_publisher_of


@transaction.atomic
def instrument_save(*, actor: User, instrument: LabInstrument | None = None, data: dict) -> LabInstrument:
    """An institute (or an operator for it) opens an instrument to scenarios."""
    instrument = instrument or LabInstrument()
    institute = data.get("institute", instrument.institute if instrument.institute_id else None)
    if institute is None or institute.kind != "institute":
        raise ValidationError({"institute": [_("仪器必须属于高校或科研院所。")]})
    if not can_manage_instrument(actor, institute.pk):
        raise PermissionDenied(_("只有仪器所属单位或运营方可以维护仪器。"))
    before = snapshot(instrument, ["name", "institute", "is_open"]) if instrument.pk else None
    for field in ("name", "model_number", "institute", "category", "capabilities", "is_open"):
        if field in data:
            setattr(instrument, field, data[field])
    instrument.full_clean()
    instrument.save()
    audit_record(
        actor=actor,
        action="instrument.save",
        target=instrument,
        before=before,
        after=snapshot(instrument, ["name", "institute", "is_open"]),
    )
    return instrument


@transaction.atomic
def instrument_request_create(
    *, actor: User, scenario: Scenario, instrument: LabInstrument, purpose: str
) -> InstrumentRequest:
    """The publisher asks to use an open instrument for one of its scenarios; the institute is told."""
    if not is_publisher_of(actor, scenario):
        raise PermissionDenied(_("只有场景的发榜单位可以申请使用仪器。"))
    if not instrument.is_open:
        raise DomainError(_("该仪器暂未开放共享。"), code="instrument_closed")
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("请说明仪器用途。"), code="purpose_required")
    if InstrumentRequest.objects.filter(scenario=scenario, instrument=instrument, status="requested").exists():
        raise DomainError(_("已为该场景申请过此仪器，等待答复中。"), code="duplicate_request")
    request = InstrumentRequest.objects.create(
        scenario=scenario, instrument=instrument, purpose=purpose[:500], requested_by=actor
    )
    audit_record(
        actor=actor,
        action="instrument_request.create",
        target=scenario,
        after={"instrument": instrument.pk, "purpose": request.purpose},
    )
    notify(
        recipients=User.objects.filter(
            organisation_id=instrument.institute_id, role_assignments__role=INSTRUMENT_MANAGER_ROLE, is_active=True
        ),
        title=Message(gettext_noop("仪器使用申请：%(instrument)s"), instrument=instrument.name),
        body=Message(
            gettext_noop("场景“%(title)s”申请使用，用途：%(purpose)s"), title=scenario.title, purpose=request.purpose
        ),
        link=reverse("scenarios:detail", args=[scenario.pk]),
    )
    return request


@transaction.atomic
def instrument_request_answer(
    *, actor: User, request: InstrumentRequest, approve: bool, answer: str = ""
) -> InstrumentRequest:
    """The instrument's institute (or an operator) agrees or declines; the publisher is told."""
    request = (
        InstrumentRequest.objects.select_for_update(of=("self",))
        .select_related("instrument", "scenario")
        .get(pk=request.pk)
    )
    if not can_manage_instrument(actor, request.instrument.institute_id):
        raise PermissionDenied(_("只有仪器所属单位或运营方可以答复申请。"))
    if request.status != "requested":
        raise DomainError(_("该申请已答复。"), code="already_answered")
    request.status = "approved" if approve else "declined"
    request.answer = (answer or "").strip()[:500]
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save()
    audit_record(
        actor=actor,
        action=f"instrument_request.{request.status}",
        target=request.scenario,
        after={"instrument": request.instrument_id, "answer": request.answer},
    )
    notify(
        recipients=[request.requested_by],
        title=Message(
            gettext_noop("仪器申请已答复：%(instrument)s（%(status)s）"),
            instrument=request.instrument.name,
            status=choice(request, "status"),
        ),
        body=request.answer,
        link=reverse("scenarios:detail", args=[request.scenario_id]),
    )
    return request
