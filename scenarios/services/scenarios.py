"""Writes for scenarios themselves: the publisher's editor, the workflow, attachments.

Keyword-only, atomic; refusals raise DomainError with a Chinese message.
"""

import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.selectors import operators_active
from core.batches import BatchResult, each_on_its_own
from core.errors import DomainError, PermissionDenied
from core.messages import Message, choice
from core.search import folded
from core.services import audit_record, notify, snapshot
from core.uploads import check_upload
from scenarios.choices import ScenarioStatus, Track
from scenarios.models import NeedItem, Scenario, ScenarioAttachment, ScenarioStatusChange
from scenarios.permissions import actor_kinds, can_create_scenario, can_edit_scenario, is_publisher_of
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
    if scenario.replication_of_id and (
        scenario.replication_of_id == scenario.pk or not scenario.replication_of.is_public
    ):
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


def refresh_search_text(scenario: Scenario, need_items: list[dict]) -> None:
    """Fill the two texts the catalogue searches (needs_text, search_text); the caller saves."""
    scenario.needs_text = " ".join(item["name"] + " " + item["detail"] for item in need_items)
    scenario.search_text = folded(
        " ".join(
            part
            for part in [
                scenario.title,
                scenario.summary,
                scenario.needs_text,
                scenario.need_description,
                scenario.publisher.name,
                scenario.location,
            ]
            if part
        )
    )


def _save_with_needs(scenario: Scenario, need_items: list[dict] | None) -> None:
    if need_items is None:
        need_items = list(scenario.need_items.values("name", "detail")) if scenario.pk else []
        replace = False
    else:
        replace = True
    refresh_search_text(scenario, need_items)
    scenario.save()
    if replace:
        scenario.need_items.all().delete()
        NeedItem.objects.bulk_create(
            [NeedItem(scenario=scenario, sort_order=index, **item) for index, item in enumerate(need_items)]
        )


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
            raise DomainError(
                _("场景处于“%(status)s”状态，不能修改。") % {"status": scenario.get_status_display()},
                code="not_editable",
            )
        raise PermissionDenied(_("您无权修改该场景。"))
    before = snapshot(scenario, AUDIT_FIELDS)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(scenario, field, data[field])
    cleaned_needs = _clean_need_items(need_items) if need_items is not None else None
    _validate(scenario)
    _save_with_needs(scenario, cleaned_needs)
    audit_record(
        actor=actor, action="scenario.update", target=scenario, before=before, after=snapshot(scenario, AUDIT_FIELDS)
    )
    return scenario


@dataclass(frozen=True)
class ScenarioSaveResult:
    scenario: Scenario
    submitted: bool
    submit_refusal: str = ""  # why the submission was refused; the draft is saved all the same


def scenario_save(
    *, actor: User, scenario: Scenario | None, data: dict, need_items: list[dict] | None, submit: bool = False
) -> ScenarioSaveResult:
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
    status = choice(scenario, "status")
    if action == "submit":
        notify(
            recipients=operators_active(),
            title=Message(gettext_noop("新场景待审核：%(title)s"), title=scenario.title),
            body=Message(
                gettext_noop("%(publisher)s 提交了场景“%(title)s”，请在场景页面审核。"),
                publisher=scenario.publisher.name,
                title=scenario.title,
            ),
            link=link,  # the scenario itself, where it is approved or returned
            email=False,
        )
        return
    publishers = User.objects.filter(
        organisation_id=scenario.publisher_id, role_assignments__role="publisher", is_active=True
    )
    recipients = [user for user in publishers if user.pk != actor.pk]
    body = Message(gettext_noop("原因：%(reason)s"), reason=reason) if reason else ""
    notify(
        recipients=recipients,
        title=Message(gettext_noop("场景“%(title)s”%(status)s"), title=scenario.title, status=status),
        body=body,
        link=link,
    )


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
    if transition.part_of:
        raise DomainError(transition.part_of, code="part_of_another_action")
    return _transition(actor=actor, scenario=scenario, transition=transition, reason=reason)


@transaction.atomic
def scenario_enter_contest(*, actor: User, scenario: Scenario) -> Scenario:
    """The scenario enters 场景大赛. Called only by contests' challenge_create, in its transaction,
    so a scenario is in a contest exactly when it is a challenge of one.
    Side effects: those of a workflow step (timeline, audit record, notifications)."""
    return _transition(actor=actor, scenario=scenario, transition=TRANSITIONS["enter_contest"], reason="")


def _transition(*, actor: User, scenario: Scenario, transition, reason: str) -> Scenario:
    action = transition.action
    scenario = (
        Scenario.objects.select_for_update(of=("self",)).select_related("publisher", "domain").get(pk=scenario.pk)
    )
    if not actor_kinds(actor, scenario) & transition.actors:
        raise PermissionDenied(_("您无权对该场景执行“%(action)s”。") % {"action": transition.label})
    if scenario.status not in transition.sources:
        raise DomainError(
            _("场景当前为“%(status)s”，不能%(action)s。")
            % {"status": scenario.get_status_display(), "action": transition.label},
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
    ScenarioStatusChange.objects.create(
        scenario=scenario, action=action, from_status=source, to_status=scenario.status, actor=actor, reason=reason
    )
    audit_record(
        actor=actor,
        action=f"scenario.{action}",
        target=scenario,
        before=before,
        after=snapshot(scenario, ["status", "status_reason"]),
        reason=reason,
    )
    _notify_transition(scenario, action, actor, reason)
    return scenario


def scenario_transition_many(
    *, actor: User, scenarios: Iterable[Scenario], action: str, reason: str = ""
) -> BatchResult:
    """The review queue's bulk action: the same workflow step for each scenario chosen.

    Each scenario is its own scenario_transition, in its own transaction: a scenario refused
    (e.g. already published by another operator) neither stops nor undoes the others; its refusal
    is returned as "title：why". Side effects: those of scenario_transition, for each one done.
    """
    return each_on_its_own(
        scenarios,
        lambda scenario: scenario_transition(actor=actor, scenario=scenario, action=action, reason=reason),
        label=lambda scenario: scenario.title,
    )


@transaction.atomic
def scenario_attachment_add(*, actor: User, scenario: Scenario, uploaded_file) -> ScenarioAttachment:
    """Attach a file after checking its size and that its content is what its name says."""
    if not can_edit_scenario(actor, scenario):
        raise PermissionDenied(_("只有在草稿或退回状态下，发榜单位才能上传附件。"))
    if scenario.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("每个场景最多 %(max)d 个附件。") % {"max": MAX_ATTACHMENTS}, code="too_many_files")
    kind = check_upload(uploaded_file)  # raises ValidationError with the reason in Chinese
    name = os.path.basename(uploaded_file.name)[:200]
    attachment = ScenarioAttachment(
        scenario=scenario, original_name=name, size=uploaded_file.size, kind=kind, uploaded_by=actor
    )
    attachment.file.save(f"scenario-{scenario.pk}.{kind}", uploaded_file, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="scenario.attachment_add",
        target=scenario,
        after={"attachment": name, "size": uploaded_file.size},
    )
    return attachment


@transaction.atomic
def scenario_attachment_remove(*, actor: User, attachment: ScenarioAttachment) -> None:
    if not can_edit_scenario(actor, attachment.scenario):
        raise PermissionDenied(_("只有在草稿或退回状态下，发榜单位才能删除附件。"))
    audit_record(
        actor=actor,
        action="scenario.attachment_remove",
        target=attachment.scenario,
        before={"attachment": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()
