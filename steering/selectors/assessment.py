"""SOE assessment (国资考核) and credit plus-points: every count computed from the records.

Each item of a scheme has one queryset builder here (`_item_records`), which returns the counted
records themselves annotated with `counted_org` (the organisation the record counts for) and
`reached_at` (the date that put it in the year). The scorecard groups that queryset by
`counted_org`; the drill-down filters it to one organisation. A count and its list are therefore
built by the same query code and cannot disagree.

口径 (counting rules), the year always being 1 January 00:00 to 31 December 24:00 Beijing time:

- 入围 (shortlisted), from what the contests app records: an entry (ContestEntry) that passed
  资格审查 (status eligible — the entries that went to 路演评审 and are ranked in the 公示), whose
  信用核查 did not fail, in a contest whose 结果发布 has come (results_open_at ≤ now). Winners
  (an Award) are such entries. Its result date is the contest's 结果发布 day.
- A product use counts when an operator verified it, its entry is 入围, and it was used on or
  after the result date (a contract signed before the contest's result is not a use of a contest
  product). Its year is that of the use date.
- Scenario items count scenarios of an SOE publisher (accounts Organisation kind soe), each
  scenario once per item, in the year the scenario first reached the state (see ITEM_DEFINITIONS).
- Company items count for the entry's lead (揭榜单位（牵头）), whom the contests app awards and
  with whom the agreements are signed.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.db.models import Count, DateTimeField, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationKind, VerificationStatus
from accounts.models import Organisation
from accounts.permissions import is_operator
from contests.choices import CreditCheck, EntryStatus
from contests.models import Challenge, ContestEntry, CooperationAgreement
from core.ids import whole_number
from scenarios.choices import ScenarioStatus
from scenarios.models import Scenario, ScenarioStatusChange
from steering.choices import (
    COMPANY_ITEM_CODES,
    SOE_ITEM_CODES,
    AssessmentItemCode,
    AssessmentSubject,
    ProductUseStatus,
)
from steering.models import AssessmentItem, AssessmentScheme, ProductUse
from steering.permissions import may_steer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST_YEAR, LAST_YEAR = 2000, 2100

ITEM_DEFINITIONS = {
    AssessmentItemCode.SCENARIOS_OPENED: _(
        "本单位发布方首次提交审核的日期在该年度的场景，每个场景计一次；当前已退回或已撤回的不计。"
    ),
    AssessmentItemCode.SCENARIOS_PUBLISHED: _("本单位发布时间（published_at）在该年度的场景。"),
    AssessmentItemCode.SCENARIOS_IN_CONTEST: _(
        "该年度内被纳入场景大赛（建立榜单）的本单位场景，一个场景在同一年度纳入多个大赛只计一次。"
    ),
    AssessmentItemCode.SCENARIOS_IN_IMPLEMENTATION: _("本单位场景首次进入“实施中”的日期在该年度。"),
    AssessmentItemCode.SCENARIOS_DEMONSTRATED: _("本单位场景首次达到“已示范”的日期在该年度。"),
    AssessmentItemCode.PRODUCTS_USED: _(
        "本单位使用场景大赛入围产品的合作协议或采购，经运营管理人员核实，使用日期在大赛结果发布日当天或之后并在该年度内；每份合同计一项。"
    ),
    AssessmentItemCode.PRODUCTS_SHORTLISTED: _(
        "企业牵头的揭榜方案资格审查通过、信用核查未被否决，且所在大赛的结果发布日在该年度。"
    ),
    AssessmentItemCode.PRODUCTS_IN_USE: _(
        "企业牵头的入围产品被其他单位实际使用，经核实，使用日期在大赛结果发布日当天或之后并在该年度内；每份合同计一项。"
    ),
}


ITEM_LABELS = AssessmentItemCode.choices


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return datetime.datetime(year, 1, 1, tzinfo=SHANGHAI), datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def current_year() -> int:
    return timezone.localdate().year


def valid_year(value) -> int | None:
    """The year as a whole number within the portal's range, else None (a hostile value)."""
    year = whole_number(str(value or "").strip())
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None


# ---- the rules ---------------------------------------------------------------------------------


def shortlisted_entries(now=None) -> QuerySet[ContestEntry]:
    """入围 entries (the module's 口径), each with `result_at` (its contest's 结果发布)."""
    now = now or timezone.now()
    return ContestEntry.objects.filter(
        status=EntryStatus.ELIGIBLE,
        challenge__contest__results_open_at__lte=now,
    ).exclude(credit_check=CreditCheck.FAILED)


def _uses_counted() -> QuerySet[ProductUse]:
    """Verified uses of 入围 entries dated on or after the contest's result day."""
    return ProductUse.objects.filter(
        status=ProductUseStatus.VERIFIED,
        entry__in=shortlisted_entries().values("pk"),
        used_on__gte=TruncDate("entry__challenge__contest__results_open_at", tzinfo=SHANGHAI),
    )


def _first_reached(status: str) -> Subquery:
    return Subquery(
        ScenarioStatusChange.objects.filter(scenario=OuterRef("pk"), to_status=status)
        .order_by("created_at", "id")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )


def _soe_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.filter(publisher__kind=OrganisationKind.SOE).annotate(counted_org=F("publisher_id"))


def _item_records(item_code: str, year: int) -> QuerySet:
    """The records counted by one item in one year, annotated with counted_org and reached_at."""
    start, end = year_bounds(year)
    if item_code == AssessmentItemCode.SCENARIOS_OPENED:
        return (
            _soe_scenarios()
            .annotate(reached_at=_first_reached(ScenarioStatus.SUBMITTED))
            .filter(reached_at__gte=start, reached_at__lt=end)
            .exclude(status__in=[ScenarioStatus.REJECTED, ScenarioStatus.WITHDRAWN])
        )
    if item_code == AssessmentItemCode.SCENARIOS_PUBLISHED:
        return _soe_scenarios().annotate(reached_at=F("published_at")).filter(reached_at__gte=start, reached_at__lt=end)
    if item_code == AssessmentItemCode.SCENARIOS_IN_CONTEST:
        first_challenge = Subquery(
            Challenge.objects.filter(scenario=OuterRef("pk"), created_at__gte=start, created_at__lt=end)
            .order_by("created_at", "id")
            .values("created_at")[:1],
            output_field=DateTimeField(),
        )
        return _soe_scenarios().annotate(reached_at=first_challenge).filter(reached_at__isnull=False)
    if item_code in (AssessmentItemCode.SCENARIOS_IN_IMPLEMENTATION, AssessmentItemCode.SCENARIOS_DEMONSTRATED):
        status = (
            ScenarioStatus.IN_IMPLEMENTATION
            if item_code == AssessmentItemCode.SCENARIOS_IN_IMPLEMENTATION
            else ScenarioStatus.DEMONSTRATED
        )
        return (
            _soe_scenarios()
            .annotate(reached_at=_first_reached(status))
            .filter(reached_at__gte=start, reached_at__lt=end)
        )
    if item_code == AssessmentItemCode.PRODUCTS_USED:
        return (
            _uses_counted()
            .filter(used_on__year=year, organisation__kind=OrganisationKind.SOE)
            .annotate(counted_org=F("organisation_id"), reached_at=F("used_on"))
        )
    if item_code == AssessmentItemCode.PRODUCTS_SHORTLISTED:
        return (
            shortlisted_entries()
            .annotate(counted_org=F("lead_id"), reached_at=F("challenge__contest__results_open_at"))
            .filter(reached_at__gte=start, reached_at__lt=end)
        )
    if item_code == AssessmentItemCode.PRODUCTS_IN_USE:
        return (
            _uses_counted()
            .filter(used_on__year=year)
            .annotate(counted_org=F("entry__lead_id"), reached_at=F("used_on"))
        )
    raise ValueError(item_code)


def _counts(item_code: str, year: int) -> dict[int, int]:
    """{organisation id: count} for one item: one aggregate query."""
    rows = _item_records(item_code, year).order_by().values("counted_org").annotate(n=Count("pk", distinct=True))
    return {row["counted_org"]: row["n"] for row in rows}


def _with_detail(records: QuerySet, item_code: str) -> QuerySet:
    if item_code in (AssessmentItemCode.PRODUCTS_USED, AssessmentItemCode.PRODUCTS_IN_USE):
        return records.select_related("entry__lead", "entry__challenge__contest", "organisation").order_by(
            "reached_at", "pk"
        )
    if item_code == AssessmentItemCode.PRODUCTS_SHORTLISTED:
        return records.select_related("lead", "challenge__contest", "award").order_by("reached_at", "pk")
    return records.select_related("publisher", "district").order_by("reached_at", "pk")


# ---- schemes -----------------------------------------------------------------------------------


def scheme_of(year: int) -> AssessmentScheme | None:
    """The year's scheme with its items (2 queries), or None."""
    return (
        AssessmentScheme.objects.filter(year=year)
        .select_related("filed_by", "updated_by")
        .prefetch_related("items")
        .first()
    )


def scheme_years() -> list[int]:
    return list(AssessmentScheme.objects.order_by("-year").values_list("year", flat=True))


def scheme_item_of(scheme: AssessmentScheme, pk) -> AssessmentItem | None:
    number = whole_number(pk)
    return scheme.items.filter(pk=number).first() if number is not None else None


def scheme_items(scheme: AssessmentScheme | None, subject: str) -> list[AssessmentItem]:
    if scheme is None:
        return []
    order = SOE_ITEM_CODES if subject == AssessmentSubject.SOE else COMPANY_ITEM_CODES
    items = [item for item in scheme.items.all() if item.subject == subject and item.code in order]
    return sorted(items, key=lambda item: (item.sort_order, order.index(item.code)))


def item_score(count: int, item: AssessmentItem) -> Decimal:
    """min(count × points, cap)."""
    return min(Decimal(count) * item.points, item.cap)


def _rows(organisations, items, counts_by_code) -> list[dict]:
    rows = []
    for organisation in organisations:
        cells = []
        for item in items:
            count = counts_by_code[item.code].get(organisation.pk, 0)
            cells.append(
                {
                    "code": item.code,
                    "label": item.label,
                    "count": count,
                    "points": item.points,
                    "cap": item.cap,
                    "score": item_score(count, item),
                    "capped": Decimal(count) * item.points > item.cap,
                }
            )
        rows.append(
            {"organisation": organisation, "items": cells, "total": sum((c["score"] for c in cells), Decimal("0"))}
        )
    rows.sort(key=lambda row: (-row["total"], row["organisation"].name, row["organisation"].pk))
    return rows


# ---- what pages, the API and other topics call -------------------------------------------------


def soe_scorecard(*, year: int, scheme: AssessmentScheme | None = None) -> list[dict]:
    """Per SOE (every organisation of kind soe not refused registration), the year's items:
    [{"organisation", "items": [{"code", "label", "count", "points", "cap", "score", "capped"}],
    "total"}], best total first. Queries: the scheme and its items (2, unless given), the SOEs (1),
    one aggregate per SOE item (6)."""
    scheme = scheme if scheme is not None else scheme_of(year)
    items = scheme_items(scheme, AssessmentSubject.SOE)
    counts = {item.code: _counts(item.code, year) for item in items}
    soes = (
        Organisation.objects.filter(kind=OrganisationKind.SOE)
        .exclude(verification_status=VerificationStatus.REJECTED)
        .select_related("district")
        .order_by("name", "pk")
    )
    return _rows(soes, items, counts)


def soe_item_records(*, soe: Organisation, year: int, item_code: str) -> QuerySet:
    """The records one SOE's count of one item is made of (Scenario rows, or ProductUse rows for
    products_used), each with `reached_at`; `.count()` equals the scorecard's count."""
    return _with_detail(_item_records(item_code, year).filter(counted_org=soe.pk), item_code)


def company_credit(*, year: int, scheme: AssessmentScheme | None = None) -> list[dict]:
    """Per company with anything counted in the year: its credit plus-points, rows as in
    soe_scorecard. Queries: scheme and items (2, unless given), one aggregate per item (2), the
    companies (1)."""
    scheme = scheme if scheme is not None else scheme_of(year)
    items = scheme_items(scheme, AssessmentSubject.COMPANY)
    counts = {item.code: _counts(item.code, year) for item in items}
    ids = set().union(*(set(c) for c in counts.values())) if counts else set()
    companies = Organisation.objects.filter(pk__in=ids).select_related("district").order_by("name", "pk") if ids else []
    return _rows(companies, items, counts)


def company_item_records(*, company: Organisation, year: int, item_code: str) -> QuerySet:
    """The records a company's count of one credit item is made of (ContestEntry or ProductUse)."""
    return _with_detail(_item_records(item_code, year).filter(counted_org=company.pk), item_code)


def product_uses_verified(*, year: int | None = None, district=None) -> QuerySet[ProductUse]:
    """Counted uses of contest products (verified, of 入围 entries, on or after the result day),
    optionally of a year (the use date's) and of a district (the using organisation's; a District
    or its id)."""
    uses = _uses_counted().select_related("entry__lead", "entry__challenge__contest", "organisation")
    if year:
        uses = uses.filter(used_on__year=int(year))
    if district is not None:
        uses = uses.filter(organisation__district_id=getattr(district, "pk", district))
    return uses.order_by("-used_on", "-pk")


# ---- product uses: who sees which --------------------------------------------------------------


def product_uses_visible_to(user) -> QuerySet[ProductUse]:
    """Operators and officials: every use; a publisher: the uses of their own organisation."""
    uses = ProductUse.objects.select_related(
        "entry__lead", "entry__challenge__contest", "organisation", "recorded_by", "verified_by", "agreement"
    ).order_by("-recorded_at", "-pk")
    if may_steer(user):
        return uses
    if user.is_authenticated and user.organisation_id and user.has_role("publisher"):
        return uses.filter(organisation_id=user.organisation_id)
    return uses.none()


def product_use_queue() -> QuerySet[ProductUse]:
    """Operators' verification queue: pending uses, oldest first."""
    return (
        ProductUse.objects.filter(status=ProductUseStatus.PENDING)
        .select_related("entry__lead", "entry__challenge__contest", "organisation", "recorded_by", "agreement")
        .order_by("recorded_at", "pk")
    )


def usable_entries() -> QuerySet[ContestEntry]:
    """The 入围 entries a use may be recorded for, newest contest first."""
    return (
        shortlisted_entries()
        .select_related("lead", "challenge__contest")
        .order_by("-challenge__contest__results_open_at", "challenge_id", "pk")
    )


def using_organisations() -> QuerySet[Organisation]:
    """Organisations an operator may record a use for: SOEs and the other kinds that publish."""
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.SOE, OrganisationKind.GOVERNMENT, OrganisationKind.INSTITUTE]
    ).order_by("kind", "name")


def agreements_to_record(user) -> QuerySet[CooperationAgreement]:
    """Signed cooperation agreements of 入围 entries not yet recorded as a use (a pending or
    verified one): all for operators; for a publisher, those of their own organisation's
    scenarios (the 发榜方 is the user of the product)."""
    recorded = ProductUse.objects.filter(agreement=OuterRef("pk")).exclude(status=ProductUseStatus.REJECTED)
    agreements = (
        CooperationAgreement.objects.filter(signed_on__isnull=False, entry__in=shortlisted_entries().values("pk"))
        .exclude(Exists(recorded))
        .select_related("entry__lead", "entry__challenge__scenario__publisher", "entry__challenge__contest")
        .order_by("-signed_on", "-pk")
    )
    if is_operator(user):
        return agreements
    if user.is_authenticated and user.organisation_id and user.has_role("publisher"):
        return agreements.filter(entry__challenge__scenario__publisher_id=user.organisation_id)
    return agreements.none()
