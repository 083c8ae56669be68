"""FilterSets of the evaluation lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from evaluation.choices import Level, RoundStatus
from evaluation.models import EvaluationRound

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


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
