"""The 十百千 counting rules (policy §一(三)): each metric is a rule in code with its written
口径 (the rule's docstring, shown on the pages) and a version.

`counted(as_of, district_id=None)` returns exactly the records counted at the end of `as_of`
(24:00 Asia/Shanghai): the figure is `.count()`, the drill-down list is the same queryset, so a
number and its list cannot disagree. `district_field` names the field that places a record in a
district (the snapshot groups by it). Change a rule's meaning → raise its version: snapshots keep
the version they were counted with.
"""

import datetime
import inspect
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from steering.choices import TargetMetric

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def end_of(day: datetime.date) -> datetime.datetime:
    """24:00 of the day in Beijing time: records stamped before it count for the day."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)


def flagship_counted(as_of: datetime.date, district_id: int | None = None) -> QuerySet:
    """十 · 特色示范性场景（口径 v1）

    1. 计入标记为“特色示范性场景”的场景，且该场景已被运营方认定为“已示范”；
    2. 计入日期为该场景第一次进入“已示范”状态的时间（以北京时间为准）；此后关闭的场景仍计入；
    3. 区域为场景的“所在区域”；未填写区域的场景计入全市数，不计入任何区县；
    4. “特色示范性场景”标记以当前记录为准。"""
    from scenarios.choices import ScenarioStatus
    from scenarios.models import Scenario, ScenarioStatusChange

    reached = ScenarioStatusChange.objects.filter(
        scenario_id=OuterRef("pk"), to_status=ScenarioStatus.DEMONSTRATED, created_at__lt=end_of(as_of)
    )
    first = reached.order_by("created_at", "id").values("created_at")[:1]
    counted = (
        Scenario.objects.filter(is_flagship=True)
        .filter(Exists(reached))
        .annotate(counted_at=Subquery(first))
        .select_related("publisher", "district")
    )
    if district_id:
        counted = counted.filter(district_id=district_id)
    return counted.order_by("counted_at", "id")


def replications_counted(as_of: datetime.date, district_id: int | None = None) -> QuerySet:
    """百 · 复制推广典型应用（口径 v1）

    1. 只计入运营方已核实的复制推广记录，且所复制的典型案例已通过认定（待核实、未通过的不计入）；
    2. 同一单位复制同一典型案例只计一次（取最早核实的一条）；不同单位复制同一案例分别计入；
    3. 计入日期为核实时间（北京时间），截至统计日 24:00；
    4. 区域为推广应用单位的所在区域。
    与“场景应用评估”模块的复制推广统计为同一查询（evaluation.selectors.replications_counted）。"""
    from evaluation.selectors import replications_counted as evaluation_counted

    counted = evaluation_counted(district=district_id).filter(verified_at__lt=end_of(as_of))
    return counted.annotate(counted_at=F("verified_at")).order_by("verified_at", "id")


def high_growth_counted(as_of: datetime.date, district_id: int | None = None) -> QuerySet:
    """千 · 高成长性科技企业（口径 v1）

    1. 计入在统计日处于“高成长性科技企业”名单中的企业：列入日期不晚于统计日，且尚未移出（移出日期晚于统计日）；
    2. 只计入已认证的企业类机构，且认证（无审核时间的以注册时间为准）不晚于统计日 24:00；
    3. 名单由运营方通过 Excel 导入更新，每次生效留有列入、移出记录；
    4. 区域为企业的所在区域。"""
    from accounts.choices import OrganisationKind, VerificationStatus
    from accounts.models import Organisation
    from steering.models import HighGrowthListing

    listing = HighGrowthListing.objects.filter(organisation_id=OuterRef("pk"), listed_on__lte=as_of).filter(
        Q(delisted_on__isnull=True) | Q(delisted_on__gt=as_of)
    )
    since = listing.order_by("-listed_on").values("listed_on")[:1]
    cutoff = end_of(as_of)
    counted = (
        Organisation.objects.filter(kind=OrganisationKind.COMPANY, verification_status=VerificationStatus.VERIFIED)
        .filter(Q(verified_at__lt=cutoff) | Q(verified_at__isnull=True, created_at__lt=cutoff))
        .filter(Exists(listing))
        .annotate(counted_at=Subquery(since))
        .select_related("district")
    )
    if district_id:
        counted = counted.filter(district_id=district_id)
    return counted.order_by("name", "id")


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    counted: Callable[..., QuerySet]
    district_field: str

    @property
    def label(self) -> str:
        return str(TargetMetric(self.code).label)

    @property
    def definition(self) -> str:
        """The written 口径: the rule function's docstring."""
        return inspect.cleandoc(self.counted.__doc__ or "")


RULES: dict[str, Rule] = {
    TargetMetric.FLAGSHIP: Rule(TargetMetric.FLAGSHIP, 1, flagship_counted, "district_id"),
    TargetMetric.REPLICATIONS: Rule(TargetMetric.REPLICATIONS, 1, replications_counted, "adopter__district_id"),
    TargetMetric.HIGH_GROWTH: Rule(TargetMetric.HIGH_GROWTH, 1, high_growth_counted, "district_id"),
}


def rule_for(code: str) -> Rule:
    """The rule of a metric code; KeyError for an unknown code."""
    return RULES[code]
