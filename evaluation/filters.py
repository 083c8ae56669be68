"""FilterSets of the evaluation lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.filters import WholeNumberFilter
from evaluation.choices import (
    CaseStatus,
    FindingSeverity,
    FindingStatus,
    Level,
    ReplicationKind,
    ReplicationStatus,
    RoundStatus,
    ToleranceStatus,
)
from evaluation.models import EvaluationRound, Finding, Replication, TolerancePeriod, TypicalCase

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class RoundFilterSet(django_filters.FilterSet):
    """The operators' round list (page and API): level, year, status."""

    level = django_filters.ChoiceFilter(label=_("评价层级"), choices=Level.choices)
    year = django_filters.NumberFilter(label=_("评价年度"), min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RoundStatus.choices)

    class Meta:
        model = EvaluationRound
        fields = ["level", "year", "status"]


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


class FindingFilterSet(django_filters.FilterSet):
    """The findings tracker's filters: status, severity, overdue, organisation, round."""

    status = django_filters.ChoiceFilter(label=_("整改状态"), choices=FindingStatus.choices)
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=FindingSeverity.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    organisation = django_filters.ModelChoiceFilter(
        label=_("整改单位"), queryset=Organisation.objects.filter(evaluation_findings__isnull=False).distinct()
    )
    round = django_filters.ModelChoiceFilter(
        label=_("评估轮次"), field_name="subject__round", queryset=EvaluationRound.objects.all()
    )

    class Meta:
        model = Finding
        fields = ["status", "severity", "overdue", "organisation", "round"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_date__lt=timezone.localdate()) & ~Q(status=FindingStatus.VERIFIED)
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset


# === Typical cases (典型案例) and replications (复制推广) ===


class TypicalCaseFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices)
    level = django_filters.ChoiceFilter(label=_("评价层级"), field_name="subject__round__level", choices=Level.choices)
    year = django_filters.NumberFilter(label=_("评价年度"), field_name="subject__round__year")

    class Meta:
        model = TypicalCase
        fields = ["status", "level", "year"]


class ReplicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReplicationStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("方式"), choices=ReplicationKind.choices)
    case = django_filters.NumberFilter(label=_("典型案例"), field_name="case_id")

    class Meta:
        model = Replication
        fields = ["status", "kind", "case"]


class ReplicationQueueFilterSet(django_filters.FilterSet):
    """The operators' 复制推广 verification queue: search, the way of replication, one case."""

    q = django_filters.CharFilter(label=_("搜索（案例、推广单位）"), method="filter_q", max_length=100)
    kind = django_filters.ChoiceFilter(label=_("方式"), choices=ReplicationKind.choices)
    case = WholeNumberFilter(label=_("典型案例编号"), field_name="case_id")

    class Meta:
        model = Replication
        fields = ["q", "kind", "case"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(Q(case__title__icontains=term) | Q(adopter__name__icontains=term))
        return queryset


# === Tolerance register (包容期 and 容错) ===


class TolerancePeriodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ToleranceStatus.choices)
    scenario = django_filters.NumberFilter(label=_("场景"), field_name="scenario_id")

    class Meta:
        model = TolerancePeriod
        fields = ["status", "scenario"]


class CaseQueueFilterSet(django_filters.FilterSet):
    """The operators' 典型案例 decision queue: search, status and the evaluation round."""

    q = django_filters.CharFilter(label=_("搜索（案例、供应商、场景）"), method="filter_q", max_length=100)
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(value, label) for value, label in CaseStatus.choices if value in ("proposed", "more_info")],
    )
    round = django_filters.ModelChoiceFilter(
        label=_("评价轮次"), queryset=EvaluationRound.objects.all(), field_name="subject__round"
    )

    class Meta:
        model = TypicalCase
        fields = ["q", "status", "round"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(supplier__name__icontains=term)
                | Q(subject__scenario__title__icontains=term)
            )
        return queryset
