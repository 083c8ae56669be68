"""steering filters.py, one section per topic."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from steering.models import ProductUse, ProgrammeTask, ReportingCycle, UnitReport

# === Targets ===

# === Programme tasks ===


class ProgrammeReviewFilterSet(django_filters.FilterSet):
    """The operators' queue of submitted progress reports: search, the cycle and the task."""

    q = django_filters.CharFilter(label=_("搜索（任务、单位）"), method="filter_q", max_length=100)
    cycle = django_filters.ModelChoiceFilter(label=_("报送期次"), queryset=ReportingCycle.objects.order_by("-opens_on"))
    task = django_filters.ModelChoiceFilter(label=_("任务"), queryset=ProgrammeTask.objects.order_by("code"))

    class Meta:
        model = UnitReport
        fields = ["q", "cycle", "task"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(task__title__icontains=term)
                | Q(unit__short_name__icontains=term)
                | Q(unit__full_name__icontains=term)
            )
        return queryset


# === SOE assessment ===


class ProductUseQueueFilterSet(django_filters.FilterSet):
    """The operators' 入围产品使用 verification queue: search and the contest."""

    q = django_filters.CharFilter(label=_("搜索（产品、企业、使用单位、合同号）"), method="filter_q", max_length=100)
    contest = django_filters.ModelChoiceFilter(
        label=_("场景大赛"), queryset=Contest.objects.all(), field_name="entry__challenge__contest"
    )

    class Meta:
        model = ProductUse
        fields = ["q", "contest"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(entry__title__icontains=term)
                | Q(entry__lead__name__icontains=term)
                | Q(organisation__name__icontains=term)
                | Q(contract_number__icontains=term)
            )
        return queryset


# === Cockpit ===

# === Reports ===
