import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from core.filters import WholeNumberFilter
from matching.models import Match
from scenarios.models import Domain


class MatchFilterSet(django_filters.FilterSet):
    """Filters of the operator match table and /api/v1/matches/."""

    q = django_filters.CharFilter(label=_("场景或条目"), method="filter_keywords", max_length=100)
    scenario = WholeNumberFilter(label=_("场景编号"), field_name="scenario_id")
    entry = WholeNumberFilter(label=_("条目编号"), field_name="entry_id")
    domain = django_filters.ModelChoiceFilter(
        label=_("场景领域"),
        queryset=Domain.objects.filter(parent__isnull=False),
        to_field_name="code",
        field_name="scenario__domain",
    )
    district = django_filters.ModelChoiceFilter(
        label=_("场景区域"),
        queryset=District.objects.filter(is_active=True),
        to_field_name="code",
        field_name="scenario__district",
    )
    min_score = django_filters.NumberFilter(
        label=_("最低匹配度"), field_name="score", lookup_expr="gte", min_value=0, max_value=100
    )
    answer = django_filters.ChoiceFilter(
        label=_("反馈"),
        method="filter_answer",
        choices=[("none", _("尚无反馈")), ("accepted", _("双方接受")), ("declined", _("有一方不接受"))],
    )

    class Meta:
        model = Match
        fields = ["q", "scenario", "entry", "domain", "district", "min_score", "answer"]

    def filter_keywords(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(scenario__title__icontains=term)
                | Q(entry__name__icontains=term)
                | Q(entry__company__name__icontains=term)
            )
        return queryset

    def filter_answer(self, queryset, name, value):
        if value == "none":
            return queryset.filter(publisher_decision__isnull=True, company_decision__isnull=True)
        if value == "accepted":
            return queryset.filter(publisher_decision="accepted", company_decision="accepted")
        return queryset.filter(Q(publisher_decision="declined") | Q(company_decision="declined"))
