"""Computed indicators: each rule counts records of the portal for an evaluation subject and a year.

A rule is registered with `@indicator_rule(code, label=..., levels=[...])` and is a function
`(subject, year) -> RuleResult`. Its docstring is its 口径 (what is counted, from which records,
in which year), shown to the operators who pick the rule and to the experts who confirm the figure.
`RuleResult.counted` lists exactly the records counted ({"model", "id", "label"}), so every number
drills down to its records.

How a figure becomes points (evaluation.services.frameworks.figure_points):
    a rule where more is better ("higher"): points = min(value / target, 1) × max_points
    a rule where less is better ("lower"):  points = max(1 − value / target, 0) × max_points
                                            (target is the count at which no points are left)
rounded half-up to 0.1.

Subjects (evaluation.models.Subject): 企业级 — one scenario; 产业级 — a domain (its sub-domains
included); 城市级 — the whole programme (no district) or one district.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.choices import Level, ToleranceDecision, ToleranceStatus

HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class RuleResult:
    value: Decimal
    counted: list[dict] = field(default_factory=list)  # [{"model": "scenarios.Scenario", "id": 1, "label": "…"}]
    note: str = ""


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    label: str
    levels: tuple[str, ...]
    function: Callable
    description: str  # the rule's 口径, shown beside it in the framework
    better: str = HIGHER

    def compute(self, subject, year: int) -> RuleResult:
        return self.function(subject, year)


RULES: dict[str, IndicatorRule] = {}


def indicator_rule(code: str, *, label, levels, description, better: str = HIGHER):
    """Register a computed rule under `code` for the given levels."""

    def register(function):
        if code in RULES:
            raise ValueError(f"indicator rule {code!r} registered twice")
        RULES[code] = IndicatorRule(
            code=code,
            label=label,
            levels=tuple(str(level) for level in levels),
            function=function,
            description=description,
            better=better,
        )
        return function

    return register


def rule_for(code: str) -> IndicatorRule | None:
    return RULES.get(code or "")


def rule_choices(level: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the rules, for a level when given."""
    return [(rule.code, str(rule.label)) for rule in RULES.values() if level is None or level in rule.levels]


def _counted(model: str, rows) -> list[dict]:
    return [{"model": model, "id": pk, "label": str(label)} for pk, label in rows]


def _result(model: str, rows, note: str = "") -> RuleResult:
    counted = _counted(model, rows)
    return RuleResult(value=Decimal(len(counted)), counted=counted, note=note)


def _public_scenarios():
    from scenarios.choices import PUBLIC_STATUSES
    from scenarios.models import Scenario

    return Scenario.objects.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)


def _domain_q(subject, prefix: str = "") -> Q:
    """The subject's domain and its sub-domains."""
    return Q(**{f"{prefix}domain_id": subject.domain_id}) | Q(**{f"{prefix}domain__parent_id": subject.domain_id})


def _district_q(subject, prefix: str = "") -> Q:
    return Q(**{f"{prefix}district_id": subject.district_id}) if subject.district_id else Q()


# ---- 企业级 ----------------------------------------------------------------------------------


@indicator_rule(
    "enterprise.contest_products_contracted",
    label=_("大赛产品签约采购（合作协议）数"),
    levels=[Level.ENTERPRISE],
    description=_(
        "本场景经场景大赛揭榜后签订合作协议（直接采购或联合攻关任务书）的揭榜方案数：榜单的场景为评价对象的场景，合作协议已填写签订日期且签订日期不晚于评价年度末。未签订日期的合作记录不计。"
    ),
)
def contest_products_contracted(subject, year):
    from contests.models import CooperationAgreement

    if subject.scenario_id is None:
        return RuleResult(Decimal(0), [], str(_("评价对象未关联场景。")))
    rows = (
        CooperationAgreement.objects.filter(
            entry__challenge__scenario_id=subject.scenario_id, signed_on__isnull=False, signed_on__year__lte=year
        )
        .order_by("signed_on", "id")
        .values_list("id", "entry__title")
    )
    return _result("contests.CooperationAgreement", rows)


@indicator_rule(
    "enterprise.tolerance_incidents_held",
    label=_("包容期内未予免责的事件数"),
    levels=[Level.ENTERPRISE],
    better=LOWER,
    description=_(
        "本场景包容期登记的事件中，发生在评价年度、且不予免责的事件数（政策第四部分（二）容错纠错）：经认定“免责”且发生在包容期内（开始日至结束日；提前终止的至实际结束日）的事件不计；“减责”“不予容错”和尚未认定的事件计入（尚未认定的在说明中列出，供专家核实）。越少越好，达到目标值不得分。"
    ),
)
def tolerance_incidents_held(subject, year):
    from evaluation.models import ToleranceIncident

    if subject.scenario_id is None:
        return RuleResult(Decimal(0), [], str(_("评价对象未关联场景。")))
    incidents = (
        ToleranceIncident.objects.filter(period__scenario_id=subject.scenario_id, occurred_on__year=year)
        .select_related("period")
        .order_by("occurred_on", "id")
    )
    held, undecided, exempted = [], [], 0
    for incident in incidents:
        period = incident.period
        period_end = (
            period.ended_on if period.status == ToleranceStatus.ENDED_EARLY and period.ended_on else period.ends_on
        )
        inside = period.starts_on <= incident.occurred_on <= period_end
        if incident.decision == ToleranceDecision.EXEMPT and inside:
            exempted += 1
            continue
        held.append((incident.pk, incident.description[:60]))
        if not incident.decision:
            undecided.append(incident.pk)
    note = str(_("免责不计 %(exempted)s 件。") % {"exempted": exempted})
    if undecided:
        note += str(_("尚未认定 %(count)s 件，按未免责计入。") % {"count": len(undecided)})
    return _result("evaluation.ToleranceIncident", held, note)


# ---- 产业级 ----------------------------------------------------------------------------------


def _needs_domain(subject) -> RuleResult | None:
    if subject.domain_id is None:
        return RuleResult(Decimal(0), [], str(_("评价对象未指定场景领域，无法计算。")))
    return None


@indicator_rule(
    "industry.scenarios_published",
    label=_("本年度领域发布场景数"),
    levels=[Level.INDUSTRY],
    description=_(
        "评价对象领域（含其下级领域）在评价年度内发布的场景数：以场景的发布时间所在年度计，场景当前须处于公开状态（已发布、大赛中、已对接、实施中、已示范、已结束）；退回、撤回的不计。"
    ),
)
def industry_scenarios_published(subject, year):
    missing = _needs_domain(subject)
    if missing:
        return missing
    rows = (
        _public_scenarios()
        .filter(_domain_q(subject), published_at__year=year)
        .order_by("published_at", "id")
        .values_list("id", "title")
    )
    return _result("scenarios.Scenario", rows)


@indicator_rule(
    "industry.companies_engaged",
    label=_("参与领域场景的企业数"),
    levels=[Level.INDUSTRY],
    description=_(
        "在评价年度内参与本领域（含下级领域）场景的不同企业数：向本领域场景的榜单提交揭榜方案（已提交，不含草稿和撤回）的牵头单位，以及就本领域场景提出咨询对接的企业；同一企业只计一次。"
    ),
)
def industry_companies_engaged(subject, year):
    from accounts.models import Organisation
    from contests.choices import EntryStatus

    missing = _needs_domain(subject)
    if missing:
        return missing
    entered = Q(
        _domain_q(subject, "contest_entries__challenge__scenario__"),
        contest_entries__submitted_at__year=year,
        contest_entries__status__in=[EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE],
    )
    asked = Q(_domain_q(subject, "enquiries_asked__scenario__"), enquiries_asked__created_at__year=year)
    rows = Organisation.objects.filter(entered | asked).distinct().order_by("id").values_list("id", "name")
    return _result("accounts.Organisation", rows)


@indicator_rule(
    "industry.first_products_applied",
    label=_("“三首”产品应用数"),
    levels=[Level.INDUSTRY],
    description=_(
        "本领域（含下级领域）场景中得到应用的“三首”产品数：能力清单中已入库、具有首台套/首批次/首版次认定的条目，其所属企业在评价年度内获得本领域场景榜单的奖励，或与发榜方签订了合作协议（以签订日期计）；同一产品只计一次。"
    ),
)
def industry_first_products_applied(subject, year):
    from capability_list.models import CapabilityEntry

    missing = _needs_domain(subject)
    if missing:
        return missing
    scenario_q = "company__contest_entries__challenge__scenario__"
    won = Q(company__contest_entries__award__decided_at__year=year)
    contracted = Q(company__contest_entries__agreement__signed_on__year=year)
    rows = (
        CapabilityEntry.objects.filter(status="listed", credentials__isnull=False)
        .filter(_domain_q(subject, scenario_q))
        .filter(won | contracted)
        .distinct()
        .order_by("id")
        .values_list("id", "name")
    )
    return _result("capability_list.CapabilityEntry", rows)


# ---- 城市级 ----------------------------------------------------------------------------------


@indicator_rule(
    "city.domains_covered",
    label=_("场景覆盖领域数"),
    levels=[Level.CITY],
    description=_(
        "评价年度内发布的场景（公开状态）所覆盖的不同场景领域数（按场景所选领域计，不归并上级领域）；评价对象为某区县（市）的，只计该区域的场景。"
    ),
)
def city_domains_covered(subject, year):
    from scenarios.models import Domain

    ids = _public_scenarios().filter(_district_q(subject), published_at__year=year, domain__isnull=False)
    rows = Domain.objects.filter(id__in=ids.values("domain_id")).order_by("sort_order", "id").values_list("id", "name")
    return _result("scenarios.Domain", rows)


@indicator_rule(
    "city.districts_covered",
    label=_("场景覆盖区县（市）数"),
    levels=[Level.CITY],
    description=_("评价年度内发布的场景（公开状态）所在的不同区县（市）数；评价对象为某区县（市）的，至多为 1。"),
)
def city_districts_covered(subject, year):
    from accounts.models import District

    ids = _public_scenarios().filter(_district_q(subject), published_at__year=year, district__isnull=False)
    rows = District.objects.filter(id__in=ids.values("district_id")).order_by("id").values_list("id", "name")
    return _result("accounts.District", rows)


@indicator_rule(
    "city.scenarios_published",
    label=_("本年度发布场景数"),
    levels=[Level.CITY],
    description=_(
        "评价年度内发布的场景数（以发布时间计，场景当前处于公开状态）；评价对象为某区县（市）的，只计该区域。"
    ),
)
def city_scenarios_published(subject, year):
    rows = (
        _public_scenarios()
        .filter(_district_q(subject), published_at__year=year)
        .order_by("published_at", "id")
        .values_list("id", "title")
    )
    return _result("scenarios.Scenario", rows)


@indicator_rule(
    "city.agreements_signed",
    label=_("场景大赛签约数"),
    levels=[Level.CITY],
    description=_(
        "评价年度内签订的场景大赛合作协议数（直接采购或联合攻关任务书，以签订日期计）；评价对象为某区县（市）的，只计场景位于该区域的。"
    ),
)
def city_agreements_signed(subject, year):
    from contests.models import CooperationAgreement

    rows = (
        CooperationAgreement.objects.filter(_district_q(subject, "entry__challenge__scenario__"), signed_on__year=year)
        .order_by("signed_on", "id")
        .values_list("id", "entry__title")
    )
    return _result("contests.CooperationAgreement", rows)


@indicator_rule(
    "city.replications_verified",
    label=_("典型案例复制推广数"),
    levels=[Level.CITY],
    description=_(
        "评价年度内经核实的典型案例复制推广数，口径与“十百千”之“百”相同（evaluation.selectors.replications_counted：已入选典型案例的、经运营管理人员核实的复制推广，同一单位复制同一案例只计一次，以核实时间计年度）；评价对象为某区县（市）的，只计复制单位位于该区域的。"
    ),
)
def city_replications_verified(subject, year):
    from evaluation.selectors import replications_counted

    rows = replications_counted(year=year, district=subject.district_id).values_list("id", "case__title")
    return _result("evaluation.Replication", rows)
