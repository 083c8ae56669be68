"""Writes for enquiries (咨询对接诉求): a company asks, the addressee answers by a deadline, the company rates."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from accounts.selectors import operators_active
from capability_list.choices import EnquiryStatus
from capability_list.models import Enquiry
from capability_list.permissions import ENQUIRY_ROLES, can_answer, can_ask, is_asker_of
from capability_list.working_days import add_working_days, calendar_overrides, working_days_between
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify
from scenarios.permissions import is_publisher_of


def _members(organisation_id):
    """Who is told of an enquiry for an organisation: its people who ask and answer for it."""
    return User.objects.filter(
        organisation_id=organisation_id, role_assignments__role__in=ENQUIRY_ROLES, is_active=True
    ).distinct()


def _cleaned(subject: str, question: str) -> tuple[str, str]:
    subject, question = (subject or "").strip(), (question or "").strip()
    if not subject or not question:
        raise DomainError(_("请填写主题和问题。"), code="required")
    if len(subject) > 100 or len(question) > 2000:
        raise DomainError(_("主题不超过 100 字，问题不超过 2000 字。"), code="too_long")
    return subject, question


@transaction.atomic
def enquiry_ask(
    *, actor: User, subject: str, question: str, scenario=None, department: Organisation | None = None
) -> Enquiry:
    """A company asks the publisher of a published scenario, or a government department.

    Side effects: the Enquiry with its deadline (working days), the addressee's members notified, audit.
    """
    if not can_ask(actor):
        raise PermissionDenied(_("只有企业用户可以提出咨询。"))
    subject, question = _cleaned(subject, question)
    if (scenario is None) == (department is None):
        raise DomainError(_("请选择一个场景，或一个答复部门。"), code="addressee")
    if scenario is not None:
        if not scenario.is_public:
            raise DomainError(_("只能咨询已发布的场景。"), code="scenario_not_public")
        addressee = scenario.publisher
    else:
        if department.kind != "government":
            raise DomainError(_("答复部门应为政府部门。"), code="addressee")
        addressee = department
    today = timezone.localdate()
    enquiry = Enquiry.objects.create(
        company=actor.organisation,
        asked_by=actor,
        scenario=scenario,
        addressee=addressee,
        subject=subject,
        question=question,
        due_date=add_working_days(today, settings.ENQUIRY_RESPONSE_WORKING_DAYS),
    )
    audit_record(
        actor=actor,
        action="enquiry.ask",
        target=enquiry,
        after={"addressee": addressee.pk, "due_date": enquiry.due_date},
    )
    notify(
        recipients=_members(addressee.pk),
        title=Message(gettext_noop("新的企业咨询：%(subject)s"), subject=subject),
        body=Message(
            gettext_noop("%(company)s 提问，请于 %(due)s 前答复。"),
            company=actor.organisation.name,
            due=enquiry.due_date.isoformat(),
        ),
        link=reverse("capability_list:enquiry-detail", args=[enquiry.pk]),
    )
    return enquiry


@transaction.atomic
def enquiry_ask_supplier(*, actor: User, scenario, company: Organisation, subject: str, question: str) -> Enquiry:
    """A scenario's publisher asks a supplier company about the scenario (the next step after
    accepting a recommended supplier, matching.services.match_enquire). The enquiry is the same
    record as a company's: asked by the publisher's organisation, addressed to the company, which
    answers by the deadline (working days); the publisher may rate the answer.

    Side effects: the Enquiry with its deadline, the company's members notified, audit.
    """
    if not is_publisher_of(actor, scenario):
        raise PermissionDenied(_("只有场景的发榜方可以向供应商发起询问。"))
    subject, question = _cleaned(subject, question)
    if not scenario.is_public:
        raise DomainError(_("只能就已发布的场景发起询问。"), code="scenario_not_public")
    if company.kind != "company" or company.pk == actor.organisation_id:
        raise DomainError(_("询问对象应为供应商企业。"), code="addressee")
    enquiry = Enquiry.objects.create(
        company=actor.organisation,
        asked_by=actor,
        scenario=scenario,
        addressee=company,
        subject=subject,
        question=question,
        due_date=add_working_days(timezone.localdate(), settings.ENQUIRY_RESPONSE_WORKING_DAYS),
    )
    audit_record(
        actor=actor,
        action="enquiry.ask_supplier",
        target=enquiry,
        after={"scenario": scenario.pk, "addressee": company.pk, "due_date": enquiry.due_date},
    )
    notify(
        recipients=_members(company.pk),
        title=Message(gettext_noop("发榜方询问：%(subject)s"), subject=subject),
        body=Message(
            gettext_noop("%(publisher)s 就场景“%(scenario)s”向贵单位询问，请于 %(due)s 前答复。"),
            publisher=actor.organisation.name,
            scenario=scenario.title,
            due=enquiry.due_date.isoformat(),
        ),
        link=reverse("capability_list:enquiry-detail", args=[enquiry.pk]),
    )
    return enquiry


@transaction.atomic
def enquiry_answer(*, actor: User, enquiry: Enquiry, answer: str) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if not can_answer(actor, enquiry):
        raise PermissionDenied(_("只有被咨询单位可以答复。"))
    if enquiry.status != EnquiryStatus.OPEN:
        raise DomainError(_("该咨询已答复或已关闭。"), code="not_open")
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), code="required")
    if len(answer) > 3000:
        raise DomainError(_("答复不超过 3000 字。"), code="too_long")
    enquiry.answer, enquiry.answered_by, enquiry.answered_at, enquiry.status = (
        answer,
        actor,
        timezone.now(),
        EnquiryStatus.ANSWERED,
    )
    enquiry.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit_record(
        actor=actor, action="enquiry.answer", target=enquiry, before={"status": "open"}, after={"status": "answered"}
    )
    notify(
        recipients=[enquiry.asked_by],
        title=Message(gettext_noop("您的咨询已答复：%(subject)s"), subject=enquiry.subject),
        link=reverse("capability_list:enquiry-detail", args=[enquiry.pk]),
    )
    return enquiry


@transaction.atomic
def enquiry_rate(*, actor: User, enquiry: Enquiry, rating, comment: str = "") -> Enquiry:
    """The asking company rates the answer 1–5 (满意度), once."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if not is_asker_of(actor, enquiry):
        raise PermissionDenied(_("只有提问企业可以评价。"))
    if enquiry.status != EnquiryStatus.ANSWERED or enquiry.rating is not None:
        raise DomainError(_("只能对已答复、尚未评价的咨询评价一次。"), code="not_rateable")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise DomainError(_("满意度应为 1–5 的整数。"), code="rating") from None
    if not 1 <= rating <= 5:
        raise DomainError(_("满意度应为 1–5 的整数。"), code="rating")
    enquiry.rating, enquiry.rating_comment, enquiry.status = rating, (comment or "").strip()[:300], EnquiryStatus.CLOSED
    enquiry.save(update_fields=["rating", "rating_comment", "status"])
    audit_record(actor=actor, action="enquiry.rate", target=enquiry, after={"rating": rating})
    return enquiry


def enquiries_check_overdue(*, today=None) -> dict:
    """The daily job: remind the addressee of each overdue enquiry once, and escalate long-overdue
    ones to the operators once. Idempotent: running it twice a day changes nothing the second time."""
    today = today or timezone.localdate()
    overdue = list(
        Enquiry.objects.filter(status=EnquiryStatus.OPEN, due_date__lt=today).select_related("addressee", "company")
    )
    if not overdue:
        return {"reminded": 0, "escalated": 0}
    overrides = calendar_overrides(min(enquiry.due_date for enquiry in overdue), today)
    reminded = escalated = 0
    now = timezone.now()
    operators = list(operators_active())
    for enquiry in overdue:
        link = reverse("capability_list:enquiry-detail", args=[enquiry.pk])
        with transaction.atomic():
            if enquiry.overdue_notified_at is None:
                notify(
                    recipients=_members(enquiry.addressee_id),
                    title=Message(gettext_noop("咨询已逾期：%(subject)s"), subject=enquiry.subject),
                    body=Message(
                        gettext_noop("答复期限为 %(due)s，请尽快答复 %(company)s。"),
                        due=enquiry.due_date.isoformat(),
                        company=enquiry.company.name,
                    ),
                    link=link,
                )
                Enquiry.objects.filter(pk=enquiry.pk).update(overdue_notified_at=now)
                reminded += 1
            late = working_days_between(enquiry.due_date, today, overrides)
            if enquiry.escalated_at is None and late > settings.ENQUIRY_ESCALATE_AFTER_WORKING_DAYS:
                notify(
                    recipients=operators,
                    title=Message(
                        gettext_noop("咨询逾期 %(days)d 个工作日未答复：%(subject)s"),
                        days=late,
                        subject=enquiry.subject,
                    ),
                    body=Message(gettext_noop("答复单位：%(addressee)s"), addressee=enquiry.addressee.name),
                    link=link,
                )
                Enquiry.objects.filter(pk=enquiry.pk).update(escalated_at=now)
                audit_record(actor=None, action="enquiry.escalate", target=enquiry, after={"working_days_late": late})
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}
