"""The 驾驶舱's charts: one definition per chart, registered by code.

A chart is either a set of figures (each with its own record query: the key figures, the contest
funnel, matchmaking, 需关注) or one record query grouped by a key expression (scenarios by domain,
district, stage, status; capability entries by industry and 三首 kind; enquiries; evaluation grades).
Both give an ECharts `dataset` ({"dimensions": [...], "source": [[key, name, value], ...]}) and
meta (口径, unit, 数据截至, the drill-down URL of every item).

A figure and its drill-down list can never disagree: the list of an item is the very queryset the
figure aggregates (a figure's `records`, or the grouped query filtered on the same annotated key
expression it was grouped by). Other topics add a chart with `register_chart(...)`.

Filters: year and district, parsed once (`parse_filters`); a bad value is a DomainError (400).
Payloads are cached per chart, language and filters beside the chart's version (a scope of
core.page_cache), bumped by post_save/post_delete of every model it reads (`_watch`) and by the bulk
writes' `models_changed`, with a short TTL as well.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, TruncDate
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.messages import reading_english
from core.page_cache import NOT_STORED, pages_changed, scope_read, scope_store, scopes_read, scopes_store

NONE_KEY = "none"  # the key of records without a value (未填写)
MIN_YEAR, MAX_YEAR = 2000, 2100


# --------------------------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    district: int | None = None

    def cache_part(self) -> str:
        return f"{self.year or 'all'}-{self.district or 'all'}"

    def query(self) -> dict:
        return {name: value for name, value in (("year", self.year), ("district", self.district)) if value}


def _whole(text, *, label: str, low: int, high: int) -> int | None:
    text = (text or "").strip() if isinstance(text, str) else text
    if text in (None, ""):
        return None
    if (
        not isinstance(text, str)
        or not (text.isascii() and text.isdigit())
        or len(text) > 10
        or not low <= int(text) <= high
    ):
        raise DomainError(
            _("%(label)s无效：请填写 %(low)s–%(high)s 之间的整数。") % {"label": label, "low": low, "high": high}
        )
    return int(text)


def parse_filters(data) -> Filters:
    """Year and district from a query string; a bad value or an unknown district refuses with a
    Chinese message. Reads the district list from the cache, so a cached chart costs no query."""
    year = _whole(data.get("year"), label=_("年度"), low=MIN_YEAR, high=MAX_YEAR)
    district = _whole(data.get("district"), label=_("区县（市）"), low=1, high=2**31 - 1)
    if district is not None and district not in dict(district_options()):
        raise DomainError(_("没有这个区县（市）。"))
    return Filters(year=year, district=district)


def name_in_reader_language(*paths: str):
    """The first name found along `paths` (e.g. a domain's parent, then the domain), in English
    (name_en) for an English reader when there is one, else in Chinese: reference data is bilingual."""
    names = []
    for path in paths:
        if reading_english():
            names.append(NullIf(f"{path}__name_en", Value("")))
        names.append(f"{path}__name")
    return Coalesce(*names)


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordKind:
    """How the drill-down page shows one kind of record: its columns and the link to its page."""

    columns: tuple[tuple[str, Callable], ...]
    url: Callable | None = None
    related: tuple[str, ...] = ()
    # Whether `url` opens for the user (None: for every operator and official); otherwise
    # `fallback_url` (a page they may read) or no link at all.
    opens_for: Callable | None = None
    fallback_url: Callable | None = None

    def link(self, user, record) -> str:
        """The record's link for the person looking at the list: a page that opens for them, or ""."""
        if self.url and (self.opens_for is None or self.opens_for(user, record)):
            return self.url(record)
        return self.fallback_url(record) if self.fallback_url else ""


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d") if isinstance(value, datetime.datetime) else (value or "")


def _operator_or_own(*paths: str) -> Callable:
    """opens_for: operators, or a user whose organisation is the record's at one of `paths`
    (attribute paths such as "lead_id" or "scenario.publisher_id")."""

    def opens_for(user, record) -> bool:
        from accounts.permissions import is_operator

        if is_operator(user):
            return True
        for path in paths:
            value = record
            for part in path.split("."):
                value = getattr(value, part)
            if user.organisation_id and value == user.organisation_id:
                return True
        return False

    return opens_for


def _money(value) -> str:
    return f"¥{value:,.2f}" if value is not None else ""


SCENARIO = RecordKind(
    columns=(
        (_("场景名称"), lambda s: s.title),
        (_("发榜单位"), lambda s: s.publisher.name),
        (_("所在区域"), lambda s: s.district.name if s.district_id else ""),
        (_("状态"), lambda s: s.get_status_display()),
        (_("发布时间"), lambda s: _date(s.published_at)),
    ),
    url=lambda s: reverse("scenarios:detail", args=[s.pk]),
    related=("publisher", "district"),
)
CHALLENGE = RecordKind(
    columns=(
        (_("榜单名称"), lambda c: c.title),
        (_("场景大赛"), lambda c: c.contest.name),
        (_("应用场景"), lambda c: c.scenario.title),
        (_("奖励上限"), lambda c: _money(c.award_cap)),
    ),
    url=lambda c: reverse("contests:detail", args=[c.contest_id]),
    related=("contest", "scenario"),
)
CONTEST_ENTRY = RecordKind(
    columns=(
        (_("方案名称"), lambda e: e.title),
        (_("揭榜单位"), lambda e: e.lead.name),
        (_("榜单"), lambda e: e.challenge.title),
        (_("状态"), lambda e: e.get_status_display()),
    ),
    url=lambda e: reverse("contests:entry-detail", args=[e.pk]),
    related=("lead", "challenge"),
    opens_for=_operator_or_own("lead_id"),  # the entry's page is closed to officials: they get the contest's
    fallback_url=lambda e: reverse("contests:detail", args=[e.challenge.contest_id]),
)
AWARD = RecordKind(
    columns=(
        (_("获奖单位"), lambda a: a.entry.lead.name),
        (_("方案名称"), lambda a: a.entry.title),
        (_("榜单"), lambda a: a.challenge.title),
        (_("奖励金额"), lambda a: _money(a.amount)),
    ),
    url=lambda a: reverse("contests:entry-detail", args=[a.entry_id]),
    related=("entry__lead", "challenge"),
    opens_for=_operator_or_own("entry.lead_id"),
    fallback_url=lambda a: reverse("contests:detail", args=[a.contest_id]),
)
CAPABILITY_ENTRY = RecordKind(
    columns=(
        (_("技术（产品）名称"), lambda e: e.name),
        (_("企业"), lambda e: e.company.name),
        (_("所属行业"), lambda e: str(e.industry) if e.industry_id else ""),
        (_("入库时间"), lambda e: _date(e.listed_at)),
    ),
    url=lambda e: reverse("capability_list:detail", args=[e.pk]),
    related=("company", "industry"),
)
ENQUIRY = RecordKind(
    columns=(
        (_("主题"), lambda q: q.subject),
        (_("提问企业"), lambda q: q.company.name),
        (_("答复单位"), lambda q: q.addressee.name),
        (_("答复期限"), lambda q: _date(q.due_date)),
        (_("答复时间"), lambda q: _date(q.answered_at)),
        (_("满意度"), lambda q: q.rating or ""),
    ),
    url=lambda q: reverse("capability_list:enquiry-detail", args=[q.pk]),
    related=("company", "addressee"),
    opens_for=_operator_or_own("company_id", "addressee_id"),  # private to its parties: no link for others
)
MATCH = RecordKind(
    columns=(
        (_("场景"), lambda m: m.scenario.title),
        (_("技术（产品）"), lambda m: m.entry.name),
        (_("企业"), lambda m: m.entry.company.name),
        (_("匹配度"), lambda m: f"{m.score:.2f}"),
    ),
    url=lambda m: reverse("scenarios:detail", args=[m.scenario_id]),
    related=("scenario", "entry__company"),
)
AGENDA_ITEM = RecordKind(
    columns=(
        (_("对接活动"), lambda a: a.event.title),
        (_("场景"), lambda a: a.scenario.title),
        (_("技术（产品）"), lambda a: a.entry.name),
        (_("对接结果"), lambda a: a.get_outcome_display()),
    ),
    url=lambda a: reverse("capability_list:event-detail", args=[a.event_id]),
    related=("event", "scenario", "entry"),
    opens_for=_operator_or_own("scenario.publisher_id", "entry.company_id"),  # officials: the scenario's page
    fallback_url=lambda a: reverse("scenarios:detail", args=[a.scenario_id]),
)
SUBJECT_RESULT = RecordKind(
    columns=(
        (_("评价对象"), lambda r: r.subject.title),
        (_("评估轮次"), lambda r: r.subject.round.title),
        (_("总分"), lambda r: r.total if r.total is not None else ""),
        (_("等级"), lambda r: r.grade),
    ),
    url=lambda r: reverse("evaluation:result", args=[r.subject_id]),
    related=("subject__round",),
)
FINDING = RecordKind(
    columns=(
        (_("问题描述"), lambda f: f.description),
        (_("整改单位"), lambda f: f.organisation.name),
        (_("整改期限"), lambda f: _date(f.due_date)),
        (_("整改状态"), lambda f: f.get_status_display()),
    ),
    url=lambda f: reverse("evaluation:finding", args=[f.pk]),
    related=("organisation",),
)
TOLERANCE_PERIOD = RecordKind(
    columns=(
        (_("场景"), lambda p: p.scenario.title),
        (_("发榜单位"), lambda p: p.scenario.publisher.name),
        (_("包容期结束"), lambda p: _date(p.ends_on)),
        (_("状态"), lambda p: p.get_status_display()),
    ),
    url=lambda p: reverse("scenarios:detail", args=[p.scenario_id]),
    related=("scenario__publisher",),
)


def _reads_report(user, record) -> bool:
    """Operators and city leaders read every report and 督办单; a unit's staff only their unit's."""
    from steering.permissions import is_unit_reporter, programme_units_of

    return not is_unit_reporter(user) or record.unit_id in programme_units_of(user)


UNIT_REPORT = RecordKind(
    columns=(
        (_("报送事项"), lambda r: f"{r.task} · {r.unit.full_name}"),
        (_("报送期次"), lambda r: str(r.cycle)),
        (_("截止日期"), lambda r: _date(r.cycle.due_on)),
        (_("状态"), lambda r: r.get_status_display()),
        (_("亮灯"), lambda r: r.get_lamp_display()),
    ),
    url=lambda r: reverse("steering:programme-report", args=[r.pk]),
    related=("cycle", "task", "unit"),
    opens_for=_reads_report,
)
SUPERVISION_NOTICE = RecordKind(
    columns=(
        (_("督办事由"), lambda n: n.reason),
        (_("督办单位"), lambda n: n.unit.full_name),
        (_("报送事项"), lambda n: str(n.report.task)),
        (_("答复期限"), lambda n: _date(n.response_due_on)),
        (_("状态"), lambda n: n.get_status_display()),
    ),
    url=lambda n: reverse("steering:programme-notice", args=[n.pk]),
    related=("unit", "report__task"),
    opens_for=_reads_report,
)


# --------------------------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Figure:
    """One number: the count of its records, or the sum of `measure` over them."""

    key: str
    label: str
    records: Callable[[Filters], QuerySet]
    kind: RecordKind
    measure: str = ""
    unit: str = _("个")
    definition: str = ""


@dataclass(frozen=True)
class Chart:
    """What every chart kind has; FiguresChart, GroupedChart (below) and the programme's
    LinkedChart kinds (steering/cockpit_programme.py) implement the methods that raise here."""

    code: str
    title: str
    definition: str
    unit: str
    models: tuple[str, ...]  # app_label.Model of every model the chart reads
    display: str = "bar"  # how cockpit.js draws it: bar, hbar, pie, funnel, tiles, cards, list
    order: int = 100

    def items(self, filters: Filters) -> list[dict]:
        raise NotImplementedError

    def records(self, filters: Filters, key: str) -> QuerySet:
        """The drill-down list of one item (LookupError for an unknown key)."""
        raise NotImplementedError

    def record_kind(self, key: str) -> RecordKind:
        raise NotImplementedError

    def item_value(self, filters: Filters, key: str):
        """What the figure of `key` is, recomputed from its drill-down list (tests hold both equal)."""
        raise NotImplementedError

    def fixed_queries(self) -> int:
        """How many queries `payload` runs, whatever the data (tests assert it)."""
        raise NotImplementedError

    def payload(self, filters: Filters) -> dict:
        items = self.items(filters)
        drill = reverse("steering:cockpit-drill", args=[self.code])
        return {
            "dataset": {
                "dimensions": ["key", "name", "value"],
                "source": [[item["key"], item["name"], item["value"]] for item in items],
            },
            "meta": {
                "code": self.code,
                "title": str(self.title),
                "definition": str(self.definition),
                "unit": str(self.unit),
                "display": self.display,
                "as_of": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "filters": filters.query(),
                "items": {
                    item["key"]: {
                        "unit": str(item.get("unit", self.unit)),
                        # An amount of money (shown as ¥, not counted as a funnel step), whatever the language.
                        "money": bool(item.get("money")),
                        "definition": str(item.get("definition", "")),
                        "drill_url": f"{drill}?{urlencode({'key': item['key'], **filters.query()})}",
                    }
                    for item in items
                },
            },
        }


def _number(value):
    """Counts as int; money as a string of the Decimal (JSON keeps every fen; the chart reads Number())."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return int(value or 0)


@dataclass(frozen=True)
class FiguresChart(Chart):
    figures: tuple[Figure, ...] = ()

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise LookupError(key)

    def fixed_queries(self) -> int:
        return len(self.figures)  # one aggregate per figure

    @staticmethod
    def _aggregate(figure: Figure, queryset: QuerySet):
        if figure.measure:
            return queryset.aggregate(value=Coalesce(Sum(figure.measure), Decimal("0")))["value"]
        return queryset.aggregate(value=Count("pk", distinct=True))["value"]

    def items(self, filters):
        # One aggregate query per figure, whatever the data.
        return [
            {
                "key": figure.key,
                "name": str(figure.label),
                "value": _number(self._aggregate(figure, figure.records(filters).order_by())),
                "unit": figure.unit,
                "money": bool(figure.measure),
                "definition": figure.definition,
            }
            for figure in self.figures
        ]

    def records(self, filters, key):
        figure = self.figure(key)
        return figure.records(filters).select_related(*figure.kind.related).distinct()

    def record_kind(self, key):
        return self.figure(key).kind

    def item_value(self, filters, key):
        figure = self.figure(key)
        rows = list(self.records(filters, key))
        return (
            _number(sum((getattr(row, figure.measure) for row in rows), Decimal("0"))) if figure.measure else len(rows)
        )


@dataclass(frozen=True)
class GroupedChart(Chart):
    """Records of `base` counted per value of `key_expr` (one GROUP BY query). `keys` lists the
    expected keys in order with their labels (zeros included); otherwise the keys found, labelled by
    `label_expr`. The drill-down list is `base` filtered on the same annotated expression."""

    base: Callable[[Filters], QuerySet] | None = None
    key_expr: Callable | None = None
    label_expr: Callable | None = None
    keys: Callable[[Filters], list[tuple[str, str]]] | None = None
    kind: RecordKind | None = None
    none_label: str = _("未填写")
    key_label: Callable[[str], str] | None = None  # a label computed from the key itself

    def fixed_queries(self) -> int:
        return 1  # one GROUP BY

    def _annotated(self, filters):
        return self.base(filters).annotate(cockpit_key=self.key_expr())

    def items(self, filters):
        queryset = self._annotated(filters)
        if self.label_expr:
            queryset = queryset.annotate(cockpit_label=self.label_expr())
            rows = queryset.values("cockpit_key", "cockpit_label")
        else:
            rows = queryset.values("cockpit_key")
        counts, labels = {}, {}
        for row in rows.annotate(value=Count("pk", distinct=True)).order_by():
            key = NONE_KEY if row["cockpit_key"] is None else str(row["cockpit_key"])
            counts[key] = counts.get(key, 0) + row["value"]
            if key == NONE_KEY:
                labels[key] = self.none_label
            elif self.key_label:
                labels[key] = self.key_label(key)
            else:
                labels[key] = row.get("cockpit_label") or key
        if self.keys:
            expected = [(str(key), str(label)) for key, label in self.keys(filters)]
            known = {key for key, _label in expected}
            extra = [(key, labels[key]) for key in counts if key not in known]
            ordered = expected + sorted(extra, key=lambda pair: (pair[0] == NONE_KEY, pair[1]))
        else:
            ordered = sorted(labels.items(), key=lambda pair: (pair[0] == NONE_KEY, -counts[pair[0]], pair[1]))
        return [{"key": key, "name": str(label), "value": counts.get(key, 0)} for key, label in ordered]

    def records(self, filters, key):
        queryset = self._annotated(filters)
        if key == NONE_KEY:
            queryset = queryset.filter(cockpit_key__isnull=True)
        else:
            try:
                queryset = queryset.filter(cockpit_key=key)
            except (TypeError, ValueError) as error:
                raise LookupError(key) from error
        return queryset.select_related(*self.kind.related).distinct()

    def record_kind(self, key):
        return self.kind

    def item_value(self, filters, key):
        return len(list(self.records(filters, key)))


CHARTS: dict[str, Chart] = {}


def register_chart(chart: Chart) -> Chart:
    """Add a chart to the 驾驶舱 (and to /api/v1/cockpit/<code>/); its models' changes invalidate it."""
    CHARTS[chart.code] = chart
    for label in chart.models:
        _watch(label)
    return chart


def charts_in_order() -> list[Chart]:
    return sorted(CHARTS.values(), key=lambda chart: (chart.order, chart.code))


def chart_or_none(code: str) -> Chart | None:
    return CHARTS.get(code)


# --------------------------------------------------------------------------------------------- caching
# Each chart, and the district list, is a scope of core.page_cache: its version is bumped (at once and
# at commit) by every write to a model it reads, and what is stored for it carries that version, so
# a read is one round trip of the cache (scope_read). PAGE_SCOPE is bumped with every one of them:
# the 驾驶舱 page's rendered part shows them all.

PAGE_SCOPE = "cockpit-page"


def chart_scope(name: str) -> str:
    return f"cockpit:{name}"


def bump_versions(names) -> None:
    """At once, and again when the transaction commits: a chart computed by another request from
    the data before the commit, and stored under the first new version, is superseded."""
    names = set(names)
    if names:
        pages_changed(*[chart_scope(name) for name in names], PAGE_SCOPE)


def _payload_key(code: str, filters: Filters) -> str:
    # Labels are in the reader's language, so each language has its own copy.
    return f"cockpit:{code}:{get_language()}:{filters.cache_part()}"


def chart_payload(code: str, filters: Filters) -> dict:
    """The chart's dataset and meta: from the cache (no query, one round trip) or computed and cached."""
    return chart_payloads([code], filters)[0]


def chart_payloads(codes: list[str], filters: Filters) -> list[dict]:
    """The payloads of several charts, as chart_payload gives each, in one round trip of the cache for
    all of them (issue #20: with the cache in Redis, sequential reads were a quarter of the page's
    time on a busy machine)."""
    keys = {code: _payload_key(code, filters) for code in codes}
    found = scopes_read({keys[code]: chart_scope(code) for code in codes})
    payloads, computed = [], {}
    for code in codes:
        payload, version = found[keys[code]]
        if payload is NOT_STORED:
            payload = CHARTS[code].payload(filters)
            computed[keys[code]] = (version, payload)
        payloads.append(payload)
    scopes_store(computed)
    return payloads


def district_options() -> list[tuple[int, str]]:
    """[(id, name)] of the active districts in their order, cached until a district changes."""
    key = f"cockpit:districts:{get_language()}"
    options, version = scope_read(chart_scope("districts"), key)
    if options is NOT_STORED:
        District = apps.get_model("accounts", "District")
        options = [
            (district.pk, district.name_shown)
            for district in District.objects.filter(is_active=True).order_by("sort_order", "id")
        ]
        scope_store(key, version, options)
    return options


def _charts_reading(label: str) -> list[str]:
    names = [chart.code for chart in CHARTS.values() if label in chart.models]
    return names + (["districts"] if label == "accounts.District" else [])


def models_changed(*labels: str) -> None:
    """For a service's bulk write (bulk_create, bulk_update, update), which sends no signal: the
    charts reading those models are computed afresh on their next request."""
    bump_versions({name for label in labels for name in _charts_reading(label)})


def _data_changed(sender, **kwargs):
    bump_versions(_charts_reading(sender._meta.label))


def _watch(label: str) -> None:
    """post_save/post_delete of the model bump the version of every chart reading it (a cross-cutting
    hook; the charts to bump are looked up when the signal fires, so later charts are covered too)."""
    model = apps.get_model(label)
    post_save.connect(_data_changed, sender=model, dispatch_uid=f"cockpit-save-{label}")
    post_delete.connect(_data_changed, sender=model, dispatch_uid=f"cockpit-delete-{label}")


# --------------------------------------------------------------------------------------------- the charts


def _model(label):
    return apps.get_model(label)


def _district_q(filters: Filters, *paths: str) -> Q:
    """Records in the filtered district through any of `paths` (none: every record)."""
    if not filters.district:
        return Q()
    condition = Q()
    for path in paths:
        condition |= Q(**{path: filters.district})
    return condition


def _year_q(filters: Filters, path: str) -> Q:
    return Q(**{path: filters.year}) if filters.year else Q()


def published_scenarios(filters: Filters) -> QuerySet:
    from scenarios.choices import PUBLIC_STATUSES

    return _model("scenarios.Scenario").objects.filter(
        Q(status__in=PUBLIC_STATUSES, published_at__isnull=False)
        & _year_q(filters, "published_at__year")
        & _district_q(filters, "district_id")
    )


def challenges(filters: Filters) -> QuerySet:
    return _model("contests.Challenge").objects.filter(
        _year_q(filters, "contest__year") & _district_q(filters, "scenario__district_id")
    )


def contest_entries(filters: Filters) -> QuerySet:
    """Entries submitted to a contest (drafts and withdrawn ones are not counted)."""
    from contests.choices import EntryStatus

    return _model("contests.ContestEntry").objects.filter(
        Q(status__in=[EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE])
        & _year_q(filters, "challenge__contest__year")
        & _district_q(filters, "challenge__scenario__district_id")
    )


def awards(filters: Filters) -> QuerySet:
    return _model("contests.Award").objects.filter(
        _year_q(filters, "contest__year") & _district_q(filters, "challenge__scenario__district_id")
    )


def listed_entries(filters: Filters) -> QuerySet:
    from capability_list.choices import EntryStatus

    return _model("capability_list.CapabilityEntry").objects.filter(
        Q(status=EntryStatus.LISTED, listed_at__isnull=False)
        & _year_q(filters, "listed_at__year")
        & _district_q(filters, "company__district_id")
    )


def enquiries(filters: Filters) -> QuerySet:
    return _model("capability_list.Enquiry").objects.filter(
        _year_q(filters, "created_at__year") & _district_q(filters, "addressee__district_id")
    )


ENQUIRY_ON_TIME, ENQUIRY_LATE, ENQUIRY_OPEN, ENQUIRY_OVERDUE = "on_time", "late", "open", "overdue"
ENQUIRY_TIMELINESS = [
    (ENQUIRY_ON_TIME, _("按期答复")),
    (ENQUIRY_LATE, _("逾期答复")),
    (ENQUIRY_OPEN, _("待答复（未到期）")),
    (ENQUIRY_OVERDUE, _("待答复（已逾期）")),
]


def enquiry_timeliness():
    """on_time / late / open / overdue: the answer's date (Asia/Shanghai) against the due date."""
    today = timezone.localdate()
    return Case(
        When(answered_at__isnull=True, due_date__lt=today, then=Value(ENQUIRY_OVERDUE)),
        When(answered_at__isnull=True, then=Value(ENQUIRY_OPEN)),
        When(answered_on__lte=F("due_date"), then=Value(ENQUIRY_ON_TIME)),
        default=Value(ENQUIRY_LATE),
        output_field=CharField(),
    )


def enquiries_with_timeliness(filters: Filters) -> QuerySet:
    return enquiries(filters).annotate(answered_on=TruncDate("answered_at", tzinfo=timezone.get_current_timezone()))


def enquiries_answered_on_time(filters: Filters) -> QuerySet:
    return (
        enquiries_with_timeliness(filters).annotate(timeliness=enquiry_timeliness()).filter(timeliness=ENQUIRY_ON_TIME)
    )


def entries_with_submitted_sheet(filters: Filters) -> QuerySet:
    from contests.choices import EntryStatus, SheetStatus

    sheets = _model("contests.ScoreSheet").objects.filter(entry=OuterRef("pk"), status=SheetStatus.SUBMITTED)
    return contest_entries(filters).filter(Exists(sheets), status=EntryStatus.ELIGIBLE)


def matches(filters: Filters) -> QuerySet:
    """Recommended pairs whose scenario was published in the year and lies in the district."""
    return _model("matching.Match").objects.filter(
        _year_q(filters, "scenario__published_at__year") & _district_q(filters, "scenario__district_id")
    )


def _agenda_pairs(**conditions):
    return _model("capability_list.AgendaItem").objects.filter(
        scenario=OuterRef("scenario"), entry=OuterRef("entry"), **conditions
    )


def matches_met(filters: Filters) -> QuerySet:
    return matches(filters).filter(Exists(_agenda_pairs()))


def matches_contracted(filters: Filters) -> QuerySet:
    """Pairs with a contract signed at a matchmaking event, or a contest cooperation agreement
    between the entry's company and the scenario (the company won the scenario's challenge)."""
    from capability_list.choices import AgendaOutcome

    agreements = _model("contests.CooperationAgreement").objects.filter(
        entry__challenge__scenario=OuterRef("scenario"), entry__lead=OuterRef("entry__company")
    )
    return matches(filters).filter(Exists(_agenda_pairs(outcome=AgendaOutcome.CONTRACT)) | Exists(agreements))


def agenda_items(filters: Filters) -> QuerySet:
    return _model("capability_list.AgendaItem").objects.filter(
        _year_q(filters, "event__starts_at__year") & _district_q(filters, "scenario__district_id")
    )


def published_results(filters: Filters) -> QuerySet:
    from evaluation.choices import RoundStatus

    return _model("evaluation.SubjectResult").objects.filter(
        Q(is_published=True, subject__round__status=RoundStatus.CLOSED)
        & _year_q(filters, "subject__round__year")
        & _district_q(filters, "subject__district_id", "subject__scenario__district_id")
    )


def tolerance_ending(filters: Filters) -> QuerySet:
    """Running tolerance periods that end within 30 days from today (the year filter does not apply)."""
    from evaluation.choices import ToleranceStatus

    today = timezone.localdate()
    return _model("evaluation.TolerancePeriod").objects.filter(
        Q(
            status__in=[ToleranceStatus.ACTIVE, ToleranceStatus.EXTENDED],
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=30),
        )
        & _district_q(filters, "scenario__district_id")
    )


def findings_overdue(filters: Filters) -> QuerySet:
    """Findings past their due date and not yet verified (the year filter does not apply)."""
    from evaluation.choices import FindingStatus

    return _model("evaluation.Finding").objects.filter(
        Q(due_date__lt=timezone.localdate())
        & ~Q(status=FindingStatus.VERIFIED)
        & _district_q(filters, "subject__district_id", "subject__scenario__district_id")
    )


def attention_unit_reports(filters: Filters) -> QuerySet:
    """Reports of open cycles unfiled past their due date or with a red lamp (the 定期调度 selector)."""
    from steering.selectors.programme import attention_reports

    return attention_reports()


def open_notices(filters: Filters) -> QuerySet:
    """督办单 not yet closed (the 定期调度 selector)."""
    from steering.selectors.programme import open_supervision_notices

    return open_supervision_notices()


def _districts_as_keys(filters: Filters) -> list[tuple[int, str]]:
    options = district_options()
    return [pair for pair in options if not filters.district or pair[0] == filters.district]


def _choices(choices) -> Callable:
    return lambda filters: [(value, label) for value, label in choices]


SCENARIO_MODELS = ("scenarios.Scenario", "scenarios.Domain")
CONTEST_MODELS = ("contests.Challenge", "contests.ContestEntry", "contests.Award", "scenarios.Scenario")


def register_portal_charts() -> None:
    """The charts of the data the portal already holds (called in SteeringConfig.ready)."""
    from capability_list.choices import CredentialKind
    from contests.choices import EntryStatus as ContestEntryStatus
    from evaluation.choices import Level
    from scenarios.choices import PUBLIC_STATUSES, ScenarioStatus, Stage

    public = [(choice.value, choice.label) for choice in ScenarioStatus if choice in PUBLIC_STATUSES]
    _watch("accounts.District")
    scenario_note = _(
        "已发布场景：状态为已发布及其后各状态（大赛中、已对接、实施中、已示范、已结束）；年度按发布时间，区域按场景所在区域。"
    )

    register_chart(
        FiguresChart(
            code="key-figures",
            title=_("关键指标"),
            definition=_("每项指标按其口径从业务记录实时统计；年度、区域筛选按各项口径所述字段。"),
            unit=_("个"),
            display="cards",
            order=10,
            models=(
                "scenarios.Scenario",
                "contests.Challenge",
                "contests.ContestEntry",
                "contests.Award",
                "capability_list.CapabilityEntry",
                "capability_list.Enquiry",
            ),
            figures=(
                Figure("scenarios", _("已发布场景"), published_scenarios, SCENARIO, definition=scenario_note),
                Figure(
                    "challenges",
                    _("大赛榜单"),
                    challenges,
                    CHALLENGE,
                    definition=_("场景大赛发布的榜单；年度按大赛年度，区域按榜单场景所在区域。"),
                ),
                Figure(
                    "entries",
                    _("揭榜方案"),
                    contest_entries,
                    CONTEST_ENTRY,
                    unit=_("项"),
                    definition=_("已提交的揭榜方案（含资格审查通过与未通过，不含草稿和撤回）。"),
                ),
                Figure(
                    "award-money",
                    _("奖励金额"),
                    awards,
                    AWARD,
                    measure="amount",
                    unit=_("元"),
                    definition=_("已决定的大赛奖励金额合计；年度按大赛年度，区域按榜单场景所在区域。"),
                ),
                Figure(
                    "capability-entries",
                    _("能力清单条目"),
                    listed_entries,
                    CAPABILITY_ENTRY,
                    unit=_("项"),
                    definition=_("已入库的能力清单条目；年度按入库时间，区域按企业所在区域。"),
                ),
                Figure(
                    "enquiries-on-time",
                    _("按期答复的咨询"),
                    enquiries_answered_on_time,
                    ENQUIRY,
                    unit=_("件"),
                    definition=_("答复日期不晚于答复期限的咨询；年度按提问时间，区域按答复单位所在区域。"),
                ),
            ),
        )
    )

    def domain_category():
        return Coalesce("domain__parent_id", "domain_id")

    def domain_category_name():
        return name_in_reader_language("domain__parent", "domain")

    register_chart(
        GroupedChart(
            code="scenarios-by-domain",
            title=_("场景按领域"),
            definition=scenario_note + str(_("领域按一级分类（产业发展、城市治理、民生服务、其他）。")),
            unit=_("个"),
            display="pie",
            order=20,
            models=SCENARIO_MODELS,
            base=published_scenarios,
            key_expr=domain_category,
            label_expr=domain_category_name,
            kind=SCENARIO,
        )
    )
    register_chart(
        GroupedChart(
            code="scenarios-by-district",
            title=_("场景按区域"),
            definition=scenario_note,
            unit=_("个"),
            display="tiles",
            order=30,
            models=SCENARIO_MODELS + ("accounts.District",),
            base=published_scenarios,
            key_expr=lambda: F("district_id"),
            keys=_districts_as_keys,
            kind=SCENARIO,
        )
    )
    register_chart(
        GroupedChart(
            code="scenarios-by-stage",
            title=_("场景按建设阶段"),
            definition=scenario_note,
            unit=_("个"),
            display="pie",
            order=40,
            models=SCENARIO_MODELS,
            base=published_scenarios,
            key_expr=lambda: Case(When(stage="", then=Value(None)), default=F("stage"), output_field=CharField()),
            keys=_choices(Stage.choices),
            kind=SCENARIO,
        )
    )
    register_chart(
        GroupedChart(
            code="scenarios-by-status",
            title=_("场景按状态"),
            definition=scenario_note,
            unit=_("个"),
            display="bar",
            order=50,
            models=SCENARIO_MODELS,
            base=published_scenarios,
            key_expr=lambda: F("status"),
            keys=lambda filters: public,
            kind=SCENARIO,
        )
    )
    register_chart(
        FiguresChart(
            code="contest-funnel",
            title=_("场景大赛漏斗"),
            definition=_(
                "年度按大赛年度，区域按榜单场景所在区域。评分：资格审查通过且至少有一份已签名评分表；获奖：已决定奖励；合作：已登记合作方式（直接采购或联合攻关任务书）。"
            ),
            unit=_("个"),
            display="funnel",
            order=60,
            models=CONTEST_MODELS + ("contests.ScoreSheet", "contests.CooperationAgreement"),
            figures=(
                Figure("challenges", _("榜单"), challenges, CHALLENGE),
                Figure("entries", _("揭榜方案"), contest_entries, CONTEST_ENTRY, unit=_("项")),
                Figure(
                    "qualified",
                    _("资格审查通过"),
                    lambda f: contest_entries(f).filter(status=ContestEntryStatus.ELIGIBLE),
                    CONTEST_ENTRY,
                    unit=_("项"),
                ),
                Figure("scored", _("已评分"), entries_with_submitted_sheet, CONTEST_ENTRY, unit=_("项")),
                Figure(
                    "winners",
                    _("获奖"),
                    lambda f: contest_entries(f).filter(award__isnull=False),
                    CONTEST_ENTRY,
                    unit=_("项"),
                ),
                Figure(
                    "agreements",
                    _("达成合作"),
                    lambda f: contest_entries(f).filter(agreement__isnull=False),
                    CONTEST_ENTRY,
                    unit=_("项"),
                ),
                Figure("award-money", _("奖励金额"), awards, AWARD, measure="amount", unit=_("元")),
            ),
        )
    )

    def industry_section():
        return Coalesce("industry__section_id", "industry_id")

    def industry_section_name():
        return name_in_reader_language("industry__section", "industry")

    entry_note = _("已入库的能力清单条目；年度按入库时间，区域按企业所在区域。")
    register_chart(
        GroupedChart(
            code="capability-by-industry",
            title=_("能力清单按行业"),
            definition=entry_note + str(_("行业按国民经济行业分类门类。")),
            unit=_("项"),
            display="hbar",
            order=70,
            models=("capability_list.CapabilityEntry", "capability_list.Industry"),
            base=listed_entries,
            key_expr=industry_section,
            label_expr=industry_section_name,
            kind=CAPABILITY_ENTRY,
        )
    )
    register_chart(
        GroupedChart(
            code="capability-by-credential",
            title=_("能力清单按三首认定"),
            definition=entry_note + str(_("一个条目有几类认定即计入几类；无认定的条目单列。")),
            unit=_("项"),
            display="bar",
            order=80,
            models=("capability_list.CapabilityEntry", "capability_list.Credential"),
            base=listed_entries,
            key_expr=lambda: F("credentials__kind"),
            keys=_choices(CredentialKind.choices),
            none_label=_("无三首认定"),
            kind=CAPABILITY_ENTRY,
        )
    )
    enquiry_note = _("年度按提问时间，区域按答复单位所在区域；答复日期按北京时间与答复期限比较。")
    register_chart(
        GroupedChart(
            code="enquiry-timeliness",
            title=_("咨询答复时效"),
            definition=enquiry_note,
            unit=_("件"),
            display="pie",
            order=90,
            models=("capability_list.Enquiry",),
            base=enquiries_with_timeliness,
            key_expr=enquiry_timeliness,
            keys=lambda filters: ENQUIRY_TIMELINESS,
            kind=ENQUIRY,
        )
    )
    register_chart(
        GroupedChart(
            code="enquiry-satisfaction",
            title=_("咨询答复满意度"),
            definition=enquiry_note + str(_("仅统计已答复的咨询，按企业评分 1–5 分。")),
            unit=_("件"),
            display="bar",
            order=100,
            models=("capability_list.Enquiry",),
            base=lambda f: enquiries(f).filter(answered_at__isnull=False),
            key_expr=lambda: F("rating"),
            keys=lambda filters: [(n, _("%(n)s 分") % {"n": n}) for n in range(1, 6)],
            none_label=_("未评价"),
            kind=ENQUIRY,
        )
    )
    register_chart(
        FiguresChart(
            code="matchmaking",
            title=_("供需对接成效"),
            definition=_(
                "推荐配对：系统推荐的场景–技术（产品）配对，年度按场景发布时间，区域按场景所在区域。上会对接：该配对列入对接活动议程。签订合同：对接活动结果为签订合同，或该企业就该场景的大赛榜单登记了合作方式。对接活动各项：年度按活动时间。"
            ),
            unit=_("对"),
            display="funnel",
            order=110,
            models=(
                "matching.Match",
                "capability_list.AgendaItem",
                "capability_list.MatchmakingEvent",
                "contests.CooperationAgreement",
                "scenarios.Scenario",
            ),
            figures=(
                Figure("recommended", _("推荐配对"), matches, MATCH, unit=_("对")),
                Figure("met", _("上会对接"), matches_met, MATCH, unit=_("对")),
                Figure("contracted", _("签订合同"), matches_contracted, MATCH, unit=_("对")),
                Figure("agenda", _("对接活动议程（全部）"), agenda_items, AGENDA_ITEM, unit=_("对")),
                Figure(
                    "agenda-contract",
                    _("对接活动签约"),
                    lambda f: agenda_items(f).filter(outcome="contract"),
                    AGENDA_ITEM,
                    unit=_("对"),
                ),
            ),
        )
    )
    levels = dict(Level.choices)
    register_chart(
        GroupedChart(
            code="evaluation-grades",
            title=_("评估等级分布"),
            definition=_(
                "已结束评估轮次中已发布的评估结果，按评价层级和等级；年度按评价年度，区域按评价对象或其场景所在区域。"
            ),
            unit=_("个"),
            display="bar",
            order=120,
            models=("evaluation.SubjectResult", "evaluation.EvaluationRound"),
            base=published_results,
            key_expr=lambda: Concat("subject__round__level", Value("|"), "grade", output_field=CharField()),
            key_label=lambda key: _grade_label(key, levels),
            kind=SUBJECT_RESULT,
        )
    )

    register_chart(
        FiguresChart(
            code="attention",
            title=_("需关注"),
            definition=_(
                "当前需要关注的事项，不受年度筛选影响："
                "进行中报送期次里逾期未报或亮红灯的报送、尚未办结的督办单（定期调度事项为全市口径，不受区域筛选影响），"
                "30 天内到期的包容期（包容期内或已延期），已过整改期限尚未核实的评估问题。"
            ),
            unit=_("项"),
            display="list",
            order=130,
            models=(
                "evaluation.TolerancePeriod",
                "evaluation.Finding",
                "scenarios.Scenario",
                "steering.UnitReport",
                "steering.ReportingCycle",
                "steering.SupervisionNotice",
            ),
            figures=(
                Figure(
                    "reports-attention", _("逾期未报或亮红灯的报送"), attention_unit_reports, UNIT_REPORT, unit=_("项")
                ),
                Figure("notices-open", _("未办结的督办单"), open_notices, SUPERVISION_NOTICE, unit=_("份")),
                Figure("tolerance-ending", _("30 天内到期的包容期"), tolerance_ending, TOLERANCE_PERIOD, unit=_("项")),
                Figure("findings-overdue", _("逾期未整改的问题"), findings_overdue, FINDING, unit=_("项")),
            ),
        )
    )


def _grade_label(key: str, levels: dict) -> str:
    level, _sep, grade = key.partition("|")
    return f"{levels.get(level, level)} · {grade}"
