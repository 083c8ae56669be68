"""FilterSets of the evaluation lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from evaluation.choices import CaseStatus, Level, ReplicationKind, ReplicationStatus, ToleranceStatus
from evaluation.models import Replication, TolerancePeriod, TypicalCase

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


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


# === Tolerance register (包容期 and 容错) ===


class TolerancePeriodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ToleranceStatus.choices)
    scenario = django_filters.NumberFilter(label=_("场景"), field_name="scenario_id")

    class Meta:
        model = TolerancePeriod
        fields = ["status", "scenario"]
