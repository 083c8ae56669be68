"""Evaluation rounds: opening, subjects and their organisations, the expert team, the 回避承诺,
moving the round on, and the subject's self-assessment and evidence.

Closing a round is evaluation.services.results.round_close. Every write locks the round row first,
so concurrent changes to one round are serialised."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import District, Organisation, User
from capability_list.models import StrategicArea
from contests.models import Award, CooperationAgreement
from contests.permissions import is_judge
from contests.services.judging import recusal_commitment_sha256
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.navigation import NAV_SCOPE
from core.page_cache import pages_changed
from core.services import audit_record, notify
from core.uploads import accepted_file
from evaluation.choices import Level, RoundStatus, SubjectRole
from evaluation.experts import subject_conflicted_pairs, subject_conflicts
from evaluation.models import (
    EvaluationCommitment,
    EvaluationRound,
    EvidenceFile,
    Framework,
    Indicator,
    RoundExpert,
    Subject,
    SubjectOrganisation,
)
from evaluation.permissions import WORKING_ROLES, can_act_for_subject, require_round_manager
from evaluation.selectors import framework_leaves
from evaluation.services.frameworks import figures_compute
from scenarios.choices import PUBLIC_STATUSES
from scenarios.models import Domain, Scenario

MIN_TEAM = 3
SUBJECT_OPEN_STATUSES = (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT)
TEAM_OPEN_STATUSES = (RoundStatus.PREPARING, RoundStatus.SELF_ASSESSMENT)
MATERIAL_OPEN_STATUSES = (RoundStatus.SELF_ASSESSMENT, RoundStatus.SCORING)


def lock_round(round_id: int) -> EvaluationRound:
    """The round row, locked for the rest of the transaction."""
    return EvaluationRound.objects.select_for_update().select_related("framework").get(pk=round_id)


def _require_status(round_: EvaluationRound, statuses, message) -> None:
    if round_.status not in statuses:
        raise DomainError(message, code="round_status")


@transaction.atomic
def round_open(
    *,
    actor: User,
    title: str,
    level: str,
    year: int,
    framework: Framework,
    self_assessment_due=None,
    scoring_due=None,
) -> EvaluationRound:
    """An operator opens a round on a published framework version of the same level (frozen for the
    round). Side effects: an audit record."""
    require_round_manager(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写评估轮次名称。"), code="title")
    if level not in Level.values:
        raise DomainError(_("评价层级无效。"), code="level")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise DomainError(_("评价年度不合理。"), code="year")
    if not framework.is_published:
        raise DomainError(_("只能使用已发布的指标体系。"), code="framework_draft")
    if framework.level != level:
        raise DomainError(_("指标体系的层级与评估轮次不一致。"), code="framework_level")
    if self_assessment_due and scoring_due and scoring_due < self_assessment_due:
        raise DomainError(_("评分截止日期不能早于自评截止日期。"), code="dates")
    round_ = EvaluationRound.objects.create(
        title=title[:100],
        level=level,
        year=int(year),
        framework=framework,
        self_assessment_due=self_assessment_due,
        scoring_due=scoring_due,
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        action="evaluation.round_open",
        target=round_,
        after={"level": level, "year": round_.year, "framework": framework.pk, "version": framework.version},
    )
    return round_


def contest_supplier(scenario: Scenario) -> Organisation | None:
    """The company that won (Award) or contracted (CooperationAgreement) the scenario's challenge in
    the contests, the most recent first; None when the contests have no record of one."""
    award = Award.objects.filter(challenge__scenario=scenario).select_related("entry__lead").order_by("-id").first()
    if award is not None:
        return award.entry.lead
    agreement = (
        CooperationAgreement.objects.filter(entry__challenge__scenario=scenario)
        .select_related("entry__lead")
        .order_by("-id")
        .first()
    )
    return agreement.entry.lead if agreement is not None else None


@transaction.atomic
def subject_add(
    *,
    actor: User,
    round: EvaluationRound,  # noqa: A002 — the brief's keyword
    title: str = "",
    scenario: Scenario | None = None,
    supplier: Organisation | None = None,
    domain: Domain | None = None,
    strategic_area: StrategicArea | None = None,
    district: District | None = None,
    responsible: Organisation | None = None,
) -> Subject:
    """Add a subject, validated per level:
    企业级 — a scenario published or later, with its publisher and the supplier (given, or the
    winning / contracted company found in the contests' records);
    产业级 — a domain or a 战新 area, with its responsible organisation;
    城市级 — the programme (no district) or one district, with its responsible organisation.
    Only while the round is preparing or in self-assessment; a duplicate is refused.

    Side effects: the subject and its SubjectOrganisation rows; an audit record."""
    require_round_manager(actor)
    round_ = lock_round(round.pk)
    _require_status(round_, SUBJECT_OPEN_STATUSES, _("评估轮次已进入专家评分，不能再添加评价对象。"))
    existing = Subject.objects.filter(round=round_)
    organisations: list[tuple[Organisation, str]] = []
    values: dict = {}
    if round_.level == Level.ENTERPRISE:
        if scenario is None:
            raise DomainError(_("企业级评价对象须选择一个应用场景。"), code="scenario_required")
        if scenario.status not in PUBLIC_STATUSES:
            raise DomainError(_("只能评价已发布（或其后阶段）的应用场景。"), code="scenario_status")
        if existing.filter(scenario=scenario).exists():
            raise DomainError(_("该场景已是本轮的评价对象。"), code="duplicate")
        supplier = supplier or contest_supplier(scenario)
        if supplier is None:
            raise DomainError(
                _("未在场景大赛记录中找到该场景的中标或签约单位，请指定场景承接单位。"), code="supplier_required"
            )
        if supplier.pk == scenario.publisher_id:
            raise DomainError(_("场景承接单位不能是发布单位本身。"), code="supplier_is_publisher")
        organisations = [(scenario.publisher, SubjectRole.PUBLISHER), (supplier, SubjectRole.SUPPLIER)]
        values = {"scenario": scenario, "title": title or scenario.title}
    elif round_.level == Level.INDUSTRY:
        if (domain is None) == (strategic_area is None):
            raise DomainError(_("产业级评价对象须选择一个场景领域或一个战略性新兴产业（二选一）。"), code="area")
        if domain is not None and existing.filter(domain=domain).exists():
            raise DomainError(_("该领域已是本轮的评价对象。"), code="duplicate")
        if strategic_area is not None and existing.filter(strategic_area=strategic_area).exists():
            raise DomainError(_("该产业已是本轮的评价对象。"), code="duplicate")
        values = {
            "domain": domain,
            "strategic_area": strategic_area,
            "title": title or (domain.name if domain else strategic_area.name),
        }
    else:
        if existing.filter(district=district).exists():
            raise DomainError(
                _("该区县（市）已是本轮的评价对象。") if district else _("全市已是本轮的评价对象。"), code="duplicate"
            )
        values = {"district": district, "title": title or (district.name if district else _("宁波市（全市）"))}
    if round_.level != Level.ENTERPRISE:
        if responsible is None:
            raise DomainError(_("请指定评价对象的责任单位。"), code="responsible_required")
        organisations = [(responsible, SubjectRole.RESPONSIBLE)]
    values["title"] = str(values["title"]).strip()[:100]
    subject = Subject.objects.create(round=round_, **values)
    SubjectOrganisation.objects.bulk_create(
        [SubjectOrganisation(subject=subject, organisation=org, role=role) for org, role in organisations]
    )
    pages_changed(NAV_SCOPE)  # bulk_create sends no signal: the organisations' menus gain 本单位评估
    audit_record(
        actor=actor,
        action="evaluation.subject_add",
        target=subject,
        after={
            "round": round_.pk,
            "scenario": scenario.pk if scenario else None,
            "domain": domain.pk if domain else None,
            "strategic_area": strategic_area.pk if strategic_area else None,
            "district": district.pk if district else None,
            "organisations": {str(org.pk): role for org, role in organisations},
        },
    )
    return subject


@transaction.atomic
def subject_remove(*, actor: User, subject: Subject) -> None:
    """Remove a subject while the round is preparing. Side effects: an audit record."""
    require_round_manager(actor)
    round_ = lock_round(subject.round_id)
    _require_status(round_, (RoundStatus.PREPARING,), _("只有筹备中的评估轮次可以移除评价对象。"))
    audit_record(
        actor=actor,
        action="evaluation.subject_remove",
        target=round_,
        before={"subject": subject.pk, "title": subject.title},
    )
    subject.delete()


@dataclass
class ExpertAssignment:
    """An assigned expert and, per subject, why they will not see or score it (evaluation.experts)."""

    membership: RoundExpert
    conflicts: list[tuple[Subject, list[str]]] = field(default_factory=list)


@transaction.atomic
def round_expert_assign(
    *,
    actor: User,
    round: EvaluationRound,
    expert: User,
    is_lead: bool = False,  # noqa: A002
) -> ExpertAssignment:
    """Put a judge-pool expert on the round's team (or make a member the lead). A conflict with a
    subject does not refuse the assignment — the expert is simply excluded from that subject — but a
    conflict with every subject does. A new lead replaces the old one.

    Side effects: the RoundExpert; an audit record with the conflicts; a notification to the expert."""
    require_round_manager(actor)
    round_ = lock_round(round.pk)
    _require_status(round_, TEAM_OPEN_STATUSES, _("专家评分开始后不能调整专家组。"))
    if not is_judge(expert):
        raise DomainError(_("该用户不是评审专家。"), code="not_judge")
    subjects = list(Subject.objects.filter(round=round_).prefetch_related("subject_organisations"))
    # Which subjects in bulk; the reasons (for the message and the audit) only for those.
    conflicted = subject_conflicted_pairs(round_, subjects=subjects, experts=[expert])
    conflicts = [
        (subject, subject_conflicts(expert, subject)) for subject in subjects if (expert.pk, subject.pk) in conflicted
    ]
    if subjects and len(conflicts) == len(subjects):
        raise DomainError(
            _("该专家与本轮全部评价对象存在利益冲突，不能分配：%(reasons)s")
            % {"reasons": "".join(f"{subject.title}：{''.join(reasons)}" for subject, reasons in conflicts)},
            code="conflict",
        )
    membership = RoundExpert.objects.filter(round=round_, expert=expert).first()
    if membership is not None and (membership.is_lead or not is_lead):
        raise DomainError(_("该专家已在专家组中。"), code="duplicate")
    if is_lead:
        RoundExpert.objects.filter(round=round_, is_lead=True).update(is_lead=False)
    if membership is not None:
        membership.is_lead = True
        membership.save(update_fields=["is_lead"])
    else:
        try:
            with transaction.atomic():
                membership = RoundExpert.objects.create(round=round_, expert=expert, is_lead=is_lead, assigned_by=actor)
        except IntegrityError:
            raise DomainError(_("该专家已在专家组中。"), code="duplicate") from None
        notify(
            recipients=[expert],
            title=Message(gettext_noop("您被邀请参加评估：%(title)s"), title=round_.title),
            body=Message(gettext_noop("查看评价对象材料前请先签署回避承诺。")),
            link=reverse("evaluation:round-commitment", args=[round_.pk]),
        )
    audit_record(
        actor=actor,
        action="evaluation.expert_assign",
        target=round_,
        after={
            "expert": expert.pk,
            "is_lead": is_lead,
            "conflicts": {str(subject.pk): reasons for subject, reasons in conflicts},
        },
    )
    return ExpertAssignment(membership=membership, conflicts=conflicts)


@transaction.atomic
def round_expert_remove(*, actor: User, round: EvaluationRound, expert: User) -> None:  # noqa: A002
    """Take an expert off the team before scoring starts. Side effects: an audit record."""
    require_round_manager(actor)
    round_ = lock_round(round.pk)
    _require_status(round_, TEAM_OPEN_STATUSES, _("专家评分开始后不能调整专家组。"))
    membership = RoundExpert.objects.filter(round=round_, expert=expert).first()
    if membership is None:
        raise DomainError(_("该专家不在专家组中。"), code="not_member")
    audit_record(
        actor=actor,
        action="evaluation.expert_remove",
        target=round_,
        before={"expert": expert.pk, "is_lead": membership.is_lead},
    )
    membership.delete()


@transaction.atomic
def evaluation_commitment_sign(*, actor: User, round: EvaluationRound) -> EvaluationCommitment:  # noqa: A002
    """A team expert signs the 回避承诺 for the round (the contests' text and hash); no subject's
    material is shown before. Signing again changes nothing. Side effects: an audit record the
    first time."""
    if not RoundExpert.objects.filter(round_id=round.pk, expert=actor).exists():
        raise PermissionDenied(_("您不是该评估轮次的专家。"))
    commitment, created = EvaluationCommitment.objects.get_or_create(
        round_id=round.pk, expert=actor, defaults={"text_sha256": recusal_commitment_sha256(actor, round)}
    )
    if created:
        audit_record(
            actor=actor,
            action="evaluation.commitment_sign",
            target=round,
            after={"sha256": commitment.text_sha256},
        )
    return commitment


def _team_problems(round_: EvaluationRound, subjects: list[Subject]) -> list[str]:
    team = list(RoundExpert.objects.filter(round=round_).select_related("expert__judge_profile"))
    problems = []
    if not subjects:
        problems.append(_("至少需要一个评价对象。"))
    if len(team) < MIN_TEAM:
        problems.append(_("专家组至少需要 %(count)d 名专家。") % {"count": MIN_TEAM})
    if not any(member.is_lead for member in team):
        problems.append(_("请指定专家组长。"))
    return problems


def subject_organisation_users(subjects) -> list[User]:
    """The users who act for the subjects: members of their organisations holding a working role."""
    organisation_ids = {link.organisation_id for subject in subjects for link in subject.subject_organisations.all()}
    return list(
        User.objects.filter(
            organisation_id__in=organisation_ids,
            is_active=True,
            role_assignments__role__in=WORKING_ROLES,
        ).distinct()
    )


@transaction.atomic
def round_advance(*, actor: User, round: EvaluationRound) -> EvaluationRound:  # noqa: A002
    """Move the round on: 筹备中 → 自评中 (needs a subject and a team of at least three with a lead;
    notifies the subjects' organisations) → 专家评分中 (the team checked again; notifies the team).

    Side effects: the status; an audit record; notifications; entering 专家评分中, every subject's
    computed indicators computed (evaluation.services.frameworks.figures_compute)."""
    require_round_manager(actor)
    round_ = lock_round(round.pk)
    subjects = list(Subject.objects.filter(round=round_).prefetch_related("subject_organisations"))
    before = round_.status
    if round_.status == RoundStatus.PREPARING:
        target = RoundStatus.SELF_ASSESSMENT
    elif round_.status == RoundStatus.SELF_ASSESSMENT:
        target = RoundStatus.SCORING
    else:
        raise DomainError(_("该评估轮次已在专家评分或已结束，不能再推进；结束请使用“结束评估”。"), code="round_status")
    problems = _team_problems(round_, subjects)
    if problems:
        raise DomainError(_("还不能进入下一阶段：%(problems)s") % {"problems": "".join(problems)}, code="not_ready")
    round_.status = target
    round_.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="evaluation.round_advance",
        target=round_,
        before={"status": before},
        after={"status": target},
    )
    if target == RoundStatus.SELF_ASSESSMENT:
        notify(
            recipients=subject_organisation_users(subjects),
            title=Message(gettext_noop("请提交评估自评材料：%(title)s"), title=round_.title),
            body=(
                (Message(gettext_noop("自评截止日期：%(date)s"), date=round_.self_assessment_due.isoformat()))
                if round_.self_assessment_due
                else (Message(gettext_noop("请尽快提交自评报告和佐证材料。")))
            ),
            link=reverse("evaluation:self-assessment-list"),
        )
    else:
        # The experts confirm the computed indicators rather than type them: the rules run now,
        # on the records as they stand when scoring begins (an operator may recompute them later).
        for subject in subjects:
            figures_compute(actor=actor, subject=subject)
        notify(
            recipients=[member.expert for member in RoundExpert.objects.filter(round=round_).select_related("expert")],
            title=Message(gettext_noop("评估进入专家评分：%(title)s"), title=round_.title),
            body=(
                (Message(gettext_noop("评分截止日期：%(date)s"), date=round_.scoring_due.isoformat()))
                if round_.scoring_due
                else (Message(gettext_noop("请签署回避承诺后评分。")))
            ),
            link=reverse("evaluation:round-commitment", args=[round_.pk]),
        )
    return round_


def _require_subject_actor(actor: User, subject: Subject) -> None:
    if not can_act_for_subject(actor, subject):
        raise PermissionDenied(_("只有评价对象单位的业务人员可以提交自评材料。"))


def self_assessment_save(*, actor: User, subject: Subject, text: str, submit: bool = False) -> Subject:
    """The subject's organisation writes its self-assessment (while 自评中 or 专家评分中) and
    submits it; a submitted self-assessment is locked. Submitting needs the text and one evidence
    file for each indicator that requires evidence.

    Two steps, each its own transaction: the text is saved as a draft, then (submit) the submission
    is checked and recorded. A refused submission leaves the text saved as a draft, so nothing the
    organisation typed is lost while it goes to upload the evidence the refusal names.

    Side effects: the text saved (an audit record when it changed); on submit the time and author,
    an audit record."""
    subject = _self_assessment_draft(actor=actor, subject=subject, text=text)
    if submit:
        subject = _self_assessment_submit(actor=actor, subject=subject)
    return subject


def _locked_open_subject(actor: User, subject: Subject) -> tuple[EvaluationRound, Subject]:
    _require_subject_actor(actor, subject)
    round_ = lock_round(subject.round_id)
    _require_status(round_, MATERIAL_OPEN_STATUSES, _("当前不在自评时间内。"))
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    if subject.self_assessment_submitted_at is not None:
        raise DomainError(_("自评报告已提交，不能再修改。"), code="submitted")
    return round_, subject


@transaction.atomic
def _self_assessment_draft(*, actor: User, subject: Subject, text: str) -> Subject:
    _round, subject = _locked_open_subject(actor, subject)
    text = (text or "").strip()
    if len(text) > 10000:
        raise DomainError(_("自评报告不能超过 10000 字。"), code="too_long")
    if text == subject.self_assessment:
        return subject
    before = {"length": len(subject.self_assessment)}
    subject.self_assessment = text
    subject.save(update_fields=["self_assessment"])
    audit_record(
        actor=actor,
        action="evaluation.self_assessment_save",
        target=subject,
        before=before,
        after={"length": len(text), "submitted": False},
    )
    return subject


@transaction.atomic
def _self_assessment_submit(*, actor: User, subject: Subject) -> Subject:
    round_, subject = _locked_open_subject(actor, subject)
    if not subject.self_assessment:
        raise DomainError(_("请先填写自评报告再提交。"), code="empty")
    uploaded = set(
        EvidenceFile.objects.filter(subject=subject, indicator__isnull=False).values_list("indicator_id", flat=True)
    )
    # In the order of the tree (1.2 before 2.1.1 before 3.1), as the self-assessment page lists them.
    names = [
        f"{leaf.code} {leaf.name}"
        for leaf in framework_leaves(round_.framework)
        if leaf.evidence_required and leaf.pk not in uploaded
    ]
    if names:
        raise DomainError(
            _("自评报告已保存为草稿；以下指标须上传佐证材料后才能提交：%(names)s") % {"names": "、".join(names)},
            code="evidence_missing",
        )
    subject.self_assessment_submitted_at = timezone.now()
    subject.self_assessment_by = actor
    subject.save(update_fields=["self_assessment_submitted_at", "self_assessment_by"])
    audit_record(
        actor=actor,
        action="evaluation.self_assessment_submit",
        target=subject,
        after={"length": len(subject.self_assessment), "submitted": True},
    )
    return subject


@transaction.atomic
def evidence_upload(
    *, actor: User, subject: Subject, uploaded_file, indicator: Indicator | None = None
) -> EvidenceFile:
    """The subject's organisation uploads an evidence file (checked by core.uploads.check_upload),
    optionally for one scored indicator of the round's framework, while 自评中 or 专家评分中.

    Side effects: the file stored; an audit record."""
    _require_subject_actor(actor, subject)
    round_ = lock_round(subject.round_id)
    _require_status(round_, MATERIAL_OPEN_STATUSES, _("当前不在自评时间内。"))
    if indicator is not None and (
        indicator.framework_id != round_.framework_id or Indicator.objects.filter(parent=indicator).exists()
    ):
        raise DomainError(_("所选指标不是本轮指标体系的评分指标。"), code="indicator")
    evidence = EvidenceFile.objects.create(
        subject=subject, indicator=indicator, uploaded_by=actor, **accepted_file(uploaded_file)
    )
    audit_record(
        actor=actor,
        action="evaluation.evidence_upload",
        target=subject,
        after={
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "indicator": indicator.pk if indicator else None,
        },
    )
    return evidence
