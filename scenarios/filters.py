import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from core.filters import ListedModelChoiceFilter
from scenarios.choices import PUBLIC_STATUSES, FundingLevel, ScenarioStatus, Stage, Track
from scenarios.models import DemonstrationZone, Domain, Scenario
from scenarios.selectors import apply_keyword_search

SORTS = [
    ("relevance", _("相关度")),
    ("newest", _("最新发布")),
    ("funding", _("投资额从高到低")),
    ("title", _("名称")),
]


class ScenarioFilterSet(django_filters.FilterSet):
    """The catalogue filters; the page and /api/v1/scenarios/ share them."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_keywords", max_length=100)
    domain = ListedModelChoiceFilter(
        label=_("领域"),
        queryset=Domain.objects.filter(is_active=True).select_related("parent"),
        to_field_name="code",
        method="filter_domain",
    )
    district = ListedModelChoiceFilter(
        label=_("区域"), queryset=District.objects.filter(is_active=True), to_field_name="code"
    )
    stage = django_filters.ChoiceFilter(label=_("建设阶段"), choices=Stage.choices)
    funding_level = django_filters.ChoiceFilter(label=_("资金来源"), choices=FundingLevel.choices)
    track = django_filters.ChoiceFilter(label=_("场景类型"), choices=Track.choices)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=[(value, label) for value, label in ScenarioStatus.choices if value in PUBLIC_STATUSES]
    )
    is_flagship = django_filters.BooleanFilter(
        label=_("特色示范性场景"), widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    )
    zone = ListedModelChoiceFilter(label=_("示范区"), queryset=DemonstrationZone.objects.all())
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORTS, method="filter_noop", empty_label=_("默认"))

    class Meta:
        model = Scenario
        fields = ["q", "domain", "district", "stage", "funding_level", "track", "status", "is_flagship", "zone", "sort"]

    def filter_keywords(self, queryset, name, value):
        return apply_keyword_search(queryset, value)

    def filter_domain(self, queryset, name, domain):
        # A category (产业发展) covers all its fields.
        return queryset.filter(Q(domain=domain) | Q(domain__parent=domain))

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.is_valid():
            return queryset.order_by("-published_at", "-id")
        sort = self.form.cleaned_data.get("sort") or ("relevance" if self.form.cleaned_data.get("q") else "newest")
        if sort == "relevance" and self.form.cleaned_data.get("q"):
            return queryset.order_by("-relevance", "-published_at", "-id")
        if sort == "funding":
            return queryset.order_by(F("funding_amount").desc(nulls_last=True), "-id")
        if sort == "title":
            return queryset.order_by("title", "id")
        return queryset.order_by("-published_at", "-id")


class ReviewQueueFilterSet(django_filters.FilterSet):
    """The operators' review queue (submitted and approved scenarios): search and filters."""

    q = django_filters.CharFilter(label=_("搜索（名称、发榜单位）"), method="filter_keywords", max_length=100)
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(value, label) for value, label in ScenarioStatus.choices if value in ("submitted", "approved")],
    )
    domain = ListedModelChoiceFilter(
        label=_("领域"),
        queryset=Domain.objects.filter(is_active=True).select_related("parent"),
        to_field_name="code",
        method="filter_domain",
    )
    district = ListedModelChoiceFilter(
        label=_("区域"), queryset=District.objects.filter(is_active=True), to_field_name="code"
    )
    track = django_filters.ChoiceFilter(label=_("场景类型"), choices=Track.choices)

    class Meta:
        model = Scenario
        fields = ["q", "status", "domain", "district", "track"]

    filter_keywords = ScenarioFilterSet.filter_keywords
    filter_domain = ScenarioFilterSet.filter_domain
