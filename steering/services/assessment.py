"""SOE assessment and credit: the uses of contest products (record, one step from a signed
cooperation agreement, verify or reject), and the year's scheme of points (create, edit, file).

A year's scheme is edited in place until its scorecard is filed; filing locks it for good (no
versions: a filed year's scorecard is recomputed from the same points whenever it is opened).

Keyword-only, atomic; refusals raise DomainError (or PermissionDenied) with a Chinese message.
"""

import datetime
import os
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import OrganisationKind
from accounts.models import Organisation, User
from accounts.permissions import is_operator
from accounts.selectors import operators_active
from contests.choices import CooperationMode
from contests.models import ContestEntry, CooperationAgreement
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot
from core.uploads import check_upload
from steering.choices import ProductUseKind, ProductUseStatus
from steering.models import AssessmentItem, AssessmentScheme, ProductUse
from steering.permissions import may_record_product_use, may_verify_product_use
from steering.reference_data import ASSESSMENT_ITEMS
from steering.selectors.assessment import SHANGHAI, shortlisted_entries, valid_year

PRODUCT_USE_AUDIT_FIELDS = [
    "status",
    "entry",
    "organisation",
    "agreement",
    "kind",
    "contract_number",
    "amount",
    "used_on",
    "evidence_name",
    "decision_reason",
]
ITEM_AUDIT_FIELDS = ["label", "points", "cap"]
USING_KINDS = (OrganisationKind.SOE, OrganisationKind.GOVERNMENT, OrganisationKind.INSTITUTE)
LARGEST_CONTRACT = Decimal("1000000000000")  # the field holds 12 digits of yuan
LARGEST_POINTS = Decimal("10000")


def _amount(value) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value if value is not None else "").strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError(_("合同金额应为金额数字。"), code="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError(_("合同金额应大于 0。"), code="amount")
    if amount >= LARGEST_CONTRACT:
        raise DomainError(_("合同金额超出范围。"), code="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("合同金额最多保留两位小数。"), code="amount")
    return amount.quantize(Decimal("0.01"))


def _result_day(entry: ContestEntry) -> datetime.date:
    return entry.challenge.contest.results_open_at.astimezone(SHANGHAI).date()


# ---- product uses ------------------------------------------------------------------------------


@transaction.atomic
def product_use_record(
    *,
    actor: User,
    entry: ContestEntry,
    kind: str,
    contract_number: str,
    amount,
    used_on: datetime.date,
    organisation: Organisation | None = None,
    description: str = "",
    evidence=None,
    agreement: CooperationAgreement | None = None,
) -> ProductUse:
    """Record that an organisation uses a 入围 contest product under a contract. A publisher
    records for their own organisation (any `organisation` given must be it); an operator names
    the organisation. The use must be dated on or after the contest's result day and not in the
    future; an evidence file (core.uploads) is needed unless the use comes from a cooperation
    agreement the portal holds.

    Side effects: a ProductUse (pending); an audit record; a message to the operators."""
    if not may_record_product_use(actor):
        raise PermissionDenied(_("只有使用单位的发榜方用户或运营管理人员可以登记入围产品使用。"))
    if not is_operator(actor):
        if organisation is not None and organisation.pk != actor.organisation_id:
            raise PermissionDenied(_("只能登记本单位的使用情况。"))
        organisation = actor.organisation
    if organisation is None:
        raise DomainError(_("请选择使用单位。"), code="organisation_required")
    if organisation.kind not in USING_KINDS:
        raise DomainError(_("使用单位应为国有企业、政府部门或高校院所。"), code="organisation_kind")
    entry = (
        shortlisted_entries().select_related("lead", "challenge__contest").filter(pk=getattr(entry, "pk", None)).first()
    )
    if entry is None:
        raise DomainError(_("只能登记场景大赛入围产品（资格审查通过且大赛结果已发布）的使用。"), code="not_shortlisted")
    if entry.lead_id == organisation.pk:
        raise DomainError(_("揭榜单位不能登记使用自己的产品。"), code="own_product")
    if kind not in ProductUseKind.values:
        raise DomainError(_("请选择使用方式。"), code="kind")
    contract_number = (contract_number or "").strip()
    if not contract_number:
        raise DomainError(_("请填写合同编号。"), code="contract_number")
    if len(contract_number) > 64:
        raise DomainError(_("合同编号最多 64 个字符。"), code="contract_number")
    amount = _amount(amount)
    if not isinstance(used_on, datetime.date):
        raise DomainError(_("请填写使用（签订）日期。"), code="used_on")
    if used_on > timezone.localdate():
        raise DomainError(_("使用日期不能晚于今天。"), code="used_on")
    result_day = _result_day(entry)
    if used_on < result_day:
        raise DomainError(
            _("使用日期早于该大赛结果发布日（%(day)s），不计为大赛入围产品的使用。") % {"day": result_day.isoformat()},
            code="before_result",
        )
    if (
        ProductUse.objects.filter(entry=entry, organisation=organisation, contract_number=contract_number)
        .exclude(status=ProductUseStatus.REJECTED)
        .exists()
    ):
        raise DomainError(_("该合同已登记过。"), code="duplicate")
    evidence_kind = None
    if evidence is not None:
        evidence_kind = check_upload(evidence)
    elif agreement is None:
        raise DomainError(_("请上传合同或验收材料等佐证。"), code="evidence_required")
    use = ProductUse(
        entry=entry,
        organisation=organisation,
        agreement=agreement,
        kind=kind,
        contract_number=contract_number,
        amount=amount,
        used_on=used_on,
        description=(description or "").strip()[:2000],
        recorded_by=actor,
    )
    if evidence_kind:
        use.evidence_name = os.path.basename(evidence.name)[:200]
        use.evidence.save(f"product-use.{evidence_kind}", evidence, save=False)
    try:
        with transaction.atomic():
            use.save()
    except IntegrityError:
        raise DomainError(_("该合同已登记过。"), code="duplicate") from None
    audit_record(
        actor=actor, action="steering.product_use.record", target=use, after=snapshot(use, PRODUCT_USE_AUDIT_FIELDS)
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("%(org)s登记了大赛入围产品使用，待核实"), org=organisation.name),
        body=Message(
            gettext_noop("“%(entry)s”，合同号 %(contract)s。"), entry=use.entry.title, contract=use.contract_number
        ),
        link=reverse("steering:product-use-detail", args=[use.pk]),  # the use itself, where it is verified
    )
    return use


@transaction.atomic
def product_use_from_agreement(
    *, actor: User, agreement: CooperationAgreement, contract_number: str, evidence=None
) -> ProductUse:
    """One step from a signed cooperation agreement: the use is pre-filled from it — the product
    (its entry), the user (the scenario's 发榜方), the kind (直接采购 → 采购, 联合攻关 → 合作协议), the
    amount and the signing date — and the person adds the contract number.

    Side effects: those of product_use_record."""
    agreement = CooperationAgreement.objects.select_related("entry__challenge__scenario__publisher").get(
        pk=agreement.pk
    )
    if agreement.signed_on is None:
        raise DomainError(_("该合作协议尚未签订，不能登记为使用。"), code="agreement_unsigned")
    if agreement.contract_amount is None:
        raise DomainError(_("该合作协议没有合同金额，请按普通方式登记。"), code="agreement_amount")
    if ProductUse.objects.filter(agreement=agreement).exclude(status=ProductUseStatus.REJECTED).exists():
        raise DomainError(_("该合作协议已登记为使用。"), code="duplicate")
    kind = ProductUseKind.PROCUREMENT if agreement.mode == CooperationMode.PROCUREMENT else ProductUseKind.AGREEMENT
    return product_use_record(
        actor=actor,
        entry=agreement.entry,
        organisation=agreement.entry.challenge.scenario.publisher,
        kind=kind,
        contract_number=contract_number,
        amount=agreement.contract_amount,
        used_on=agreement.signed_on,
        description=agreement.title,
        evidence=evidence,
        agreement=agreement,
    )


@transaction.atomic
def product_use_verify(*, actor: User, use: ProductUse, approve: bool, reason: str = "") -> ProductUse:
    """An operator verifies a pending use (it is then counted in the SOE scorecard and the company's
    credit) or rejects it with a reason.

    Side effects: status, verifier, time and reason saved; an audit record; a message to the
    recorder and the using organisation's people."""
    if not may_verify_product_use(actor):
        raise PermissionDenied(_("只有运营管理人员可以核实入围产品使用。"))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise DomainError(_("不予通过时请填写理由。"), code="reason_required")
    use = ProductUse.objects.select_for_update(of=("self",)).select_related("entry", "organisation").get(pk=use.pk)
    if use.status != ProductUseStatus.PENDING:
        raise DomainError(_("该使用记录已核实过。"), code="decided")
    before = snapshot(use, PRODUCT_USE_AUDIT_FIELDS)
    use.status = ProductUseStatus.VERIFIED if approve else ProductUseStatus.REJECTED
    use.verified_by = actor
    use.verified_at = timezone.now()
    use.decision_reason = reason[:500]
    use.save(update_fields=["status", "verified_by", "verified_at", "decision_reason"])
    audit_record(
        actor=actor,
        action="steering.product_use.verify" if approve else "steering.product_use.reject",
        target=use,
        before=before,
        after=snapshot(use, PRODUCT_USE_AUDIT_FIELDS),
        reason=reason,
    )
    recipients = [use.recorded_by, *User.objects.filter(organisation_id=use.organisation_id, is_active=True)]
    notify(
        recipients=recipients,
        title=Message(
            gettext_noop("入围产品使用已核实：%(entry)s")
            if approve
            else gettext_noop("入围产品使用未通过核实：%(entry)s"),
            entry=use.entry.title,
        ),
        body=reason,
        link=reverse("steering:product-use-detail", args=[use.pk]),
    )
    return use


# ---- schemes -----------------------------------------------------------------------------------


def _require_scheme_editor(actor) -> None:
    if not may_verify_product_use(actor):
        raise PermissionDenied(_("只有运营管理人员可以修改考核计分方案。"))


@transaction.atomic
def assessment_scheme_create(*, actor: User, year) -> AssessmentScheme:
    """A year's scheme, its items copied from the latest earlier scheme (or the reference items).

    Side effects: the scheme and its items; an audit record."""
    _require_scheme_editor(actor)
    year = valid_year(year)
    if year is None:
        raise DomainError(_("年度应为 2000–2100 之间的四位数字。"), code="year")
    if AssessmentScheme.objects.filter(year=year).exists():
        raise DomainError(_("%(year)s 年度已有计分方案。") % {"year": year}, code="exists")
    source = AssessmentScheme.objects.filter(year__lt=year).order_by("-year").prefetch_related("items").first()
    scheme = AssessmentScheme.objects.create(year=year, note=source.note if source else "", updated_by=actor)
    if source is not None:
        rows = [(i.subject, i.code, i.label, i.points, i.cap) for i in source.items.all()]
    else:
        rows = [(s, c, label, Decimal(p), Decimal(cap)) for s, c, label, p, cap in ASSESSMENT_ITEMS]
    AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(scheme=scheme, subject=s, code=c, label=label, points=p, cap=cap, sort_order=index)
            for index, (s, c, label, p, cap) in enumerate(rows)
        ]
    )
    audit_record(
        actor=actor,
        action="steering.assessment_scheme.create",
        target=scheme,
        after={"year": year, "copied_from": source.year if source else None},
    )
    return scheme


def _points(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value if value is not None else "").strip())
    except InvalidOperation:
        raise DomainError(_("%(label)s应为数字。") % {"label": label}, code="points") from None
    if not number.is_finite() or number <= 0 or number >= LARGEST_POINTS:
        raise DomainError(_("%(label)s应大于 0 且小于 10000。") % {"label": label}, code="points")
    if number != number.quantize(Decimal("0.01")):
        raise DomainError(_("%(label)s最多保留两位小数。") % {"label": label}, code="points")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def assessment_item_update(*, actor: User, item: AssessmentItem, points, cap, reason: str = "") -> AssessmentItem:
    """Change an item's points per record and cap while its year's scorecard is not filed.

    Side effects: the item saved; an audit record (before, after, reason)."""
    _require_scheme_editor(actor)
    item = AssessmentItem.objects.select_for_update().select_related("scheme").get(pk=item.pk)
    if item.scheme.is_filed:
        raise DomainError(
            _("%(year)s 年度考核表已报送，计分方案不能再修改。") % {"year": item.scheme.year}, code="filed"
        )
    points = _points(points, _("每项分值"))
    cap = _points(cap, _("分值上限"))
    if cap < points:
        raise DomainError(_("分值上限不能小于每项分值。"), code="cap")
    before = snapshot(item, ITEM_AUDIT_FIELDS)
    item.points, item.cap = points, cap
    item.save(update_fields=["points", "cap"])
    AssessmentScheme.objects.filter(pk=item.scheme_id).update(updated_by=actor, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="steering.assessment_item.update",
        target=item,
        before=before,
        after=snapshot(item, ITEM_AUDIT_FIELDS),
        reason=(reason or "").strip()[:500],
    )
    return item


@transaction.atomic
def assessment_scheme_file(*, actor: User, scheme: AssessmentScheme) -> AssessmentScheme:
    """File the year's scorecard (报送): its scheme is locked from now on.

    Side effects: filed_at and filed_by set; an audit record."""
    _require_scheme_editor(actor)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_filed:
        raise DomainError(_("该年度考核表已报送。"), code="filed")
    scheme.filed_at, scheme.filed_by = timezone.now(), actor
    scheme.save(update_fields=["filed_at", "filed_by"])
    audit_record(
        actor=actor, action="steering.assessment_scheme.file", target=scheme, after={"year": scheme.year, "filed": True}
    )
    return scheme
