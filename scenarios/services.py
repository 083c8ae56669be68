"""Every write to scenarios. Keyword-only, atomic; refusals raise DomainError with a Chinese message."""

import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from accounts.models import User
from accounts.selectors import operators_active
from core.services import audit_record, notify, snapshot
from scenarios.choices import ScenarioStatus, Track
from scenarios.models import (
    DemonstrationZone,
    Domain,
    InstrumentRequest,
    LabInstrument,
    NeedItem,
    Scenario,
    ScenarioAttachment,
    ScenarioStatusChange,
)
from scenarios.permissions import actor_kinds, can_create_scenario, can_edit_scenario, is_operator, is_publisher_of
from core.uploads import check_upload
from scenarios.workflow import TRANSITIONS, target_of

# The fields a publisher writes (everything else is set by the workflow).
EDITABLE_FIELDS = [
    "title",
    "summary",
    "domain",
    "need_description",
    "track",
    "stage",
    "funding_level",
    "funding_share",
    "funding_amount",
    "district",
    "location",
    "start_date",
    "end_date",
    "tolerance_start",
    "tolerance_end",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_flagship",
    "required_credential",
    "local_suppliers_only",
    "zone",
    "replication_of",
]
AUDIT_FIELDS = [*EDITABLE_FIELDS, "status", "status_reason"]
MAX_NEED_ITEMS = 20
MAX_ATTACHMENTS = 10


def _validate(scenario: Scenario) -> None:
    """Field rules and cross-field rules, as a ValidationError keyed by field (pages and API show it)."""
    errors = {}
    try:
        scenario.full_clean(exclude=["publisher", "created_by", "search_text", "needs_text"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if scenario.start_date and scenario.end_date and scenario.end_date < scenario.start_date:
        errors.setdefault("end_date", []).append(_("计划完成日期不能早于计划开始日期。"))
    if scenario.tolerance_start and scenario.tolerance_end and scenario.tolerance_end < scenario.tolerance_start:
        errors.setdefault("tolerance_end", []).append(_("包容期结束日期不能早于开始日期。"))
    if scenario.track == Track.MATURE and (scenario.tolerance_start or scenario.tolerance_end):
        errors.setdefault("tolerance_start", []).append(_("成熟技术场景不设包容期。"))
    if scenario.domain_id and scenario.domain.parent_id is None:
        errors.setdefault("domain", []).append(_("请选择具体领域（如“交通”），而不是大类。"))
    if scenario.domain_id and not scenario.domain.is_active:
        errors.setdefault("domain", []).append(_("该领域已停用。"))
    if scenario.replication_of_id and (scenario.replication_of_id == scenario.pk or not scenario.replication_of.is_public):
        errors.setdefault("replication_of", []).append(_("只能复制推广已发布的其他场景。"))
    if errors:
        raise ValidationError(errors)


def _clean_need_items(need_items: list[dict]) -> list[dict]:
    cleaned, seen, errors = [], set(), []
    for index, item in enumerate(need_items, start=1):
        name = str(item.get("name") or "").strip()
        detail = str(item.get("detail") or "").strip()
        if not name and not detail:
            continue
        if not name:
            errors.append(_("第 %(n)d 项技术需求缺少名称。") % {"n": index})
        elif len(name) > 60:
            errors.append(_("第 %(n)d 项技术需求名称超过 60 个字。") % {"n": index})
        elif name in seen:
            errors.append(_("技术需求“%(name)s”重复。") % {"name": name})
        if len(detail) > 300:
            errors.append(_("第 %(n)d 项技术需求说明超过 300 个字。") % {"n": index})
        seen.add(name)
        cleaned.append({"name": name, "detail": detail})
    if len(cleaned) > MAX_NEED_ITEMS:
        errors.append(_("技术需求最多 %(max)d 项。") % {"max": MAX_NEED_ITEMS})
    if errors:
        raise ValidationError({"need_items": errors})
    return cleaned


def _refresh_search_text(scenario: Scenario, need_items: list[dict]) -> None:
    scenario.needs_text = " ".join(item["name"] + " " + item["detail"] for item in need_items)
    scenario.search_text = " ".join(
        part for part in [scenario.title, scenario.summary, scenario.needs_text, scenario.need_description, scenario.publisher.name, scenario.location] if part
    )


def _save_with_needs(scenario: Scenario, need_items: list[dict] | None) -> None:
    if need_items is None:
        need_items = list(scenario.need_items.values("name", "detail")) if scenario.pk else []
        replace = False
    else:
        replace = True
    _refresh_search_text(scenario, need_items)
    scenario.save()
    if replace:
        scenario.need_items.all().delete()
        NeedItem.objects.bulk_create([NeedItem(scenario=scenario, sort_order=index, **item) for index, item in enumerate(need_items)])


@transaction.atomic
def scenario_create(*, actor: User, data: dict, need_items: list[dict] | None = None) -> Scenario:
    """A publisher writes a new scenario; it starts as a draft of the publisher's organisation."""
    if not can_create_scenario(actor):
        raise PermissionDenied(_("只有发榜单位的用户可以发布应用场景。"))
    scenario = Scenario(publisher=actor.organisation, created_by=actor, status=ScenarioStatus.DRAFT)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(scenario, field, data[field])
    cleaned_needs = _clean_need_items(need_items or [])
    _validate(scenario)
    _save_with_needs(scenario, cleaned_needs)
    audit_record(actor=actor, action="scenario.create", target=scenario, after=snapshot(scenario, AUDIT_FIELDS))
    return scenario


@transaction.atomic
def scenario_update(*, actor: User, scenario: Scenario, data: dict, need_items: list[dict] | None = None) -> Scenario:
    """Change a draft or returned scenario. need_items=None keeps the current list."""
    scenario = Scenario.objects.select_for_update(of=("self",)).select_related("publisher").get(pk=scenario.pk)
    if not can_edit_scenario(actor, scenario):
        if is_publisher_of(actor, scenario):
            raise DomainError(_("场景处于“%(status)s”状态，不能修改。") % {"status": scenario.get_status_display()}, code="not_editable")
        raise PermissionDenied(_("您无权修改该场景。"))
    before = snapshot(scenario, AUDIT_FIELDS)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(scenario, field, data[field])
    cleaned_needs = _clean_need_items(need_items) if need_items is not None else None
    _validate(scenario)
    _save_with_needs(scenario, cleaned_needs)
    audit_record(actor=actor, action="scenario.update", target=scenario, before=before, after=snapshot(scenario, AUDIT_FIELDS))
    return scenario


@dataclass(frozen=True)
class ScenarioSaveResult:
    scenario: Scenario
    submitted: bool
    submit_refusal: str = ""  # why the submission was refused; the draft is saved all the same


def scenario_save(*, actor: User, scenario: Scenario | None, data: dict, need_items: list[dict] | None, submit: bool = False) -> ScenarioSaveResult:
    """The editor's one action: save the draft, then, when asked, submit it for review.

    Step 1, the save (create or update), is its own transaction: a ValidationError or a refusal
    raises and nothing is written. Step 2, the submission, is a second transaction: when it is
    refused (e.g. 联系电话 still empty) the saved draft stays saved, and the refusal is returned
    in the result instead of raised, so the page can say both "saved" and "not submitted, because".
    Side effects: those of scenario_create / scenario_update, then of scenario_transition("submit").
    """
    if scenario is None:
        scenario = scenario_create(actor=actor, data=data, need_items=need_items)
    else:
        scenario = scenario_update(actor=actor, scenario=scenario, data=data, need_items=need_items)
    if not submit:
        return ScenarioSaveResult(scenario=scenario, submitted=False)
    try:
        scenario = scenario_transition(actor=actor, scenario=scenario, action="submit")
    except DomainError as refusal:
        return ScenarioSaveResult(scenario=scenario, submitted=False, submit_refusal=refusal.message)
    return ScenarioSaveResult(scenario=scenario, submitted=True)


def submission_problems(scenario: Scenario) -> list[str]:
    """What a scenario still lacks before it can be submitted for review."""
    required = [
        ("domain", _("场景领域")),
        ("need_description", _("需求描述")),
        ("stage", _("建设阶段")),
        ("funding_level", _("资金来源")),
        ("funding_share", _("投资方式")),
        ("funding_amount", _("项目投资额")),
        ("district", _("所在区域")),
        ("start_date", _("计划开始")),
        ("end_date", _("计划完成")),
        ("contact_name", _("联系人")),
        ("contact_phone", _("联系电话")),
    ]
    missing = [str(label) for field, label in required if getattr(scenario, field) in (None, "")]
    if not scenario.need_items.exists():
        missing.append(str(_("至少一项技术需求")))
    if scenario.track == Track.FORWARD_LOOKING and not (scenario.tolerance_start and scenario.tolerance_end):
        missing.append(str(_("包容期（前瞻性场景）")))
    return missing


def _notify_transition(scenario: Scenario, action: str, actor: User, reason: str) -> None:
    link = reverse("scenarios:detail", args=[scenario.pk])
    status = scenario.get_status_display()
    if action == "submit":
        notify(recipients=operators_active(), title=_("新场景待审核：%(title)s") % {"title": scenario.title}, link=reverse("scenarios:review-queue"), email=False)
        return
    publishers = User.objects.filter(organisation_id=scenario.publisher_id, role_assignments__role="publisher", is_active=True)
    recipients = [user for user in publishers if user.pk != actor.pk]
    body = _("原因：%(reason)s") % {"reason": reason} if reason else ""
    notify(recipients=recipients, title=_("场景“%(title)s”%(status)s") % {"title": scenario.title, "status": status}, body=body, link=link)


@transaction.atomic
def scenario_transition(*, actor: User, scenario: Scenario, action: str, reason: str = "") -> Scenario:
    """Move a scenario through its workflow.

    Checks that the action exists, that the scenario is in a state it leaves from, that the actor
    may take it, and that a reason is given where one is needed. Side effects: the new state and
    its timestamps, a ScenarioStatusChange, an audit record, notifications.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(_("未知的操作。"), code="unknown_action")
    scenario = Scenario.objects.select_for_update(of=("self",)).select_related("publisher", "domain").get(pk=scenario.pk)
    if not actor_kinds(actor, scenario) & transition.actors:
        raise PermissionDenied(_("您无权对该场景执行“%(action)s”。") % {"action": transition.label})
    if scenario.status not in transition.sources:
        raise DomainError(
            _("场景当前为“%(status)s”，不能%(action)s。") % {"status": scenario.get_status_display(), "action": transition.label},
            code="illegal_transition",
        )
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise DomainError(_("请填写%(action)s的原因。") % {"action": transition.label}, code="reason_required")
    if len(reason) > 500:
        raise DomainError(_("原因不能超过 500 个字。"), code="reason_too_long")
    if action == "submit":
        problems = submission_problems(scenario)
        if problems:
            raise DomainError(_("提交前请补充：%(items)s。") % {"items": "、".join(problems)}, code="incomplete")
    before = snapshot(scenario, ["status", "status_reason"])
    source = scenario.status
    scenario.status = target_of(action, scenario.track)
    scenario.status_reason = reason
    now = timezone.now()
    if action == "submit":
        scenario.submitted_at = now
    if scenario.status == ScenarioStatus.PUBLISHED and scenario.published_at is None:
        scenario.published_at = now
    scenario.save(update_fields=["status", "status_reason", "submitted_at", "published_at", "updated_at"])
    ScenarioStatusChange.objects.create(scenario=scenario, action=action, from_status=source, to_status=scenario.status, actor=actor, reason=reason)
    audit_record(actor=actor, action=f"scenario.{action}", target=scenario, before=before, after=snapshot(scenario, ["status", "status_reason"]), reason=reason)
    _notify_transition(scenario, action, actor, reason)
    return scenario


@transaction.atomic
def scenario_attachment_add(*, actor: User, scenario: Scenario, uploaded_file) -> ScenarioAttachment:
    """Attach a file after checking its size and that its content is what its name says."""
    if not can_edit_scenario(actor, scenario):
        raise PermissionDenied(_("只有在草稿或退回状态下，发榜单位才能上传附件。"))
    if scenario.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("每个场景最多 %(max)d 个附件。") % {"max": MAX_ATTACHMENTS}, code="too_many_files")
    kind = check_upload(uploaded_file)  # raises ValidationError with the reason in Chinese
    name = os.path.basename(uploaded_file.name)[:200]
    attachment = ScenarioAttachment(scenario=scenario, original_name=name, size=uploaded_file.size, kind=kind, uploaded_by=actor)
    attachment.file.save(f"scenario-{scenario.pk}.{kind}", uploaded_file, save=False)
    attachment.save()
    audit_record(actor=actor, action="scenario.attachment_add", target=scenario, after={"attachment": name, "size": uploaded_file.size})
    return attachment


@transaction.atomic
def scenario_attachment_remove(*, actor: User, attachment: ScenarioAttachment) -> None:
    if not can_edit_scenario(actor, attachment.scenario):
        raise PermissionDenied(_("只有在草稿或退回状态下，发榜单位才能删除附件。"))
    audit_record(actor=actor, action="scenario.attachment_remove", target=attachment.scenario, before={"attachment": attachment.original_name})
    attachment.file.delete(save=False)
    attachment.delete()


def _require_operator(actor: User) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以维护该数据。"))


@transaction.atomic
def domain_save(*, actor: User, domain: Domain | None = None, data: dict) -> Domain:
    """Operators add or change domains; a field's parent must be a category (two levels only)."""
    _require_operator(actor)
    domain = domain or Domain()
    before = snapshot(domain, ["code", "name", "parent", "is_active"]) if domain.pk else None
    for field in ("code", "name", "name_en", "parent", "sort_order", "is_active"):
        if field in data:
            setattr(domain, field, data[field])
    if domain.parent_id and domain.parent.parent_id is not None:
        raise ValidationError({"parent": [_("上级领域必须是大类（领域只有两级）。")]})
    if domain.pk and domain.parent_id and domain.children.exists():
        raise ValidationError({"parent": [_("该大类下已有具体领域，不能再设上级。")]})
    domain.full_clean()
    domain.save()
    audit_record(actor=actor, action="domain.save", target=domain, before=before, after=snapshot(domain, ["code", "name", "parent", "is_active"]))
    return domain


@transaction.atomic
def zone_save(*, actor: User, zone: DemonstrationZone | None = None, data: dict) -> DemonstrationZone:
    _require_operator(actor)
    zone = zone or DemonstrationZone()
    before = snapshot(zone, ["name", "kind", "district"]) if zone.pk else None
    for field in ("name", "kind", "district", "focus", "description"):
        if field in data:
            setattr(zone, field, data[field])
    zone.full_clean()
    zone.save()
    audit_record(actor=actor, action="zone.save", target=zone, before=before, after=snapshot(zone, ["name", "kind", "district"]))
    return zone


def _may_manage_instrument(actor: User, institute_id: int) -> bool:
    return is_operator(actor) or (actor.is_authenticated and actor.organisation_id == institute_id and actor.organisation.kind == "institute")


@transaction.atomic
def instrument_save(*, actor: User, instrument: LabInstrument | None = None, data: dict) -> LabInstrument:
    """An institute (or an operator for it) opens an instrument to scenarios."""
    instrument = instrument or LabInstrument()
    institute = data.get("institute", instrument.institute if instrument.institute_id else None)
    if institute is None or institute.kind != "institute":
        raise ValidationError({"institute": [_("仪器必须属于高校或科研院所。")]})
    if not _may_manage_instrument(actor, institute.pk):
        raise PermissionDenied(_("只有仪器所属单位或运营方可以维护仪器。"))
    before = snapshot(instrument, ["name", "institute", "is_open"]) if instrument.pk else None
    for field in ("name", "model_number", "institute", "category", "capabilities", "is_open"):
        if field in data:
            setattr(instrument, field, data[field])
    instrument.full_clean()
    instrument.save()
    audit_record(actor=actor, action="instrument.save", target=instrument, before=before, after=snapshot(instrument, ["name", "institute", "is_open"]))
    return instrument


@transaction.atomic
def instrument_request_create(*, actor: User, scenario: Scenario, instrument: LabInstrument, purpose: str) -> InstrumentRequest:
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
    request = InstrumentRequest.objects.create(scenario=scenario, instrument=instrument, purpose=purpose[:500], requested_by=actor)
    audit_record(actor=actor, action="instrument_request.create", target=scenario, after={"instrument": instrument.pk, "purpose": request.purpose})
    notify(
        recipients=User.objects.filter(organisation_id=instrument.institute_id, is_active=True),
        title=_("仪器使用申请：%(instrument)s") % {"instrument": instrument.name},
        body=_("场景“%(title)s”申请使用，用途：%(purpose)s") % {"title": scenario.title, "purpose": request.purpose},
        link=reverse("scenarios:detail", args=[scenario.pk]),
    )
    return request


@transaction.atomic
def instrument_request_answer(*, actor: User, request: InstrumentRequest, approve: bool, answer: str = "") -> InstrumentRequest:
    request = InstrumentRequest.objects.select_for_update(of=("self",)).select_related("instrument", "scenario").get(pk=request.pk)
    if not _may_manage_instrument(actor, request.instrument.institute_id):
        raise PermissionDenied(_("只有仪器所属单位或运营方可以答复申请。"))
    if request.status != "requested":
        raise DomainError(_("该申请已答复。"), code="already_answered")
    request.status = "approved" if approve else "declined"
    request.answer = (answer or "").strip()[:500]
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save()
    audit_record(actor=actor, action=f"instrument_request.{request.status}", target=request.scenario, after={"instrument": request.instrument_id, "answer": request.answer})
    notify(
        recipients=[request.requested_by],
        title=_("仪器申请已答复：%(instrument)s（%(status)s）") % {"instrument": request.instrument.name, "status": request.get_status_display()},
        body=request.answer,
        link=reverse("scenarios:detail", args=[request.scenario_id]),
    )
    return request
