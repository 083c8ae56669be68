"""FilterSets of the evaluation lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from evaluation.choices import FindingSeverity, FindingStatus
from evaluation.models import EvaluationRound, Finding

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


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


# === Tolerance register (包容期 and 容错) ===
