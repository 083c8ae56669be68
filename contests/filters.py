"""The /api/v1/ list filters of 场景大赛. Each narrows a list already scoped to the person by
contests.selectors; with no parameter a list is exactly what it was without the filter."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from contests.choices import BenefitKind, CooperationMode, EntryStatus, ObjectionStatus, SheetStatus
from contests.models import (
    Award,
    Challenge,
    Contest,
    ContestEntry,
    CooperationAgreement,
    Objection,
    PolicyBenefit,
    ScoreSheet,
)
from core.filters import WholeNumberFilter


class ContestFilterSet(django_filters.FilterSet):
    year = WholeNumberFilter(label=_("年度"))

    class Meta:
        model = Contest
        fields = ["year"]


class ChallengeFilterSet(django_filters.FilterSet):
    contest = WholeNumberFilter(label=_("场景大赛"), field_name="contest")

    class Meta:
        model = Challenge
        fields = ["contest"]


class EntryFilterSet(django_filters.FilterSet):
    contest = WholeNumberFilter(label=_("场景大赛"), field_name="challenge__contest")
    challenge = WholeNumberFilter(label=_("榜单"), field_name="challenge")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EntryStatus.choices)

    class Meta:
        model = ContestEntry
        fields = ["contest", "challenge", "status"]


class ScoreSheetFilterSet(django_filters.FilterSet):
    entry = WholeNumberFilter(label=_("方案"), field_name="entry")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SheetStatus.choices)

    class Meta:
        model = ScoreSheet
        fields = ["entry", "status"]


class ObjectionFilterSet(django_filters.FilterSet):
    challenge = WholeNumberFilter(label=_("榜单"), field_name="challenge")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ObjectionStatus.choices)

    class Meta:
        model = Objection
        fields = ["challenge", "status"]


class AwardFilterSet(django_filters.FilterSet):
    contest = WholeNumberFilter(label=_("场景大赛"), field_name="contest")
    challenge = WholeNumberFilter(label=_("榜单"), field_name="challenge")

    class Meta:
        model = Award
        fields = ["contest", "challenge"]


class AgreementFilterSet(django_filters.FilterSet):
    mode = django_filters.ChoiceFilter(label=_("合作方式"), choices=CooperationMode.choices)

    class Meta:
        model = CooperationAgreement
        fields = ["mode"]


class BenefitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("政策"), choices=BenefitKind.choices)
    year = WholeNumberFilter(label=_("年度"))

    class Meta:
        model = PolicyBenefit
        fields = ["kind", "year"]


class EligibilityQueueFilterSet(django_filters.FilterSet):
    """The operators' 资格审查 queue: a search over entry, lead and challenge, and the filters."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=100)
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(value, label) for value, label in EntryStatus.choices if value not in ("draft", "withdrawn")],
    )
    contest = django_filters.ModelChoiceFilter(
        label=_("场景大赛"), queryset=Contest.objects.all(), field_name="challenge__contest"
    )
    district = django_filters.ModelChoiceFilter(
        label=_("区域"),
        queryset=District.objects.filter(is_active=True),
        to_field_name="code",
        field_name="lead__district",
    )

    class Meta:
        model = ContestEntry
        fields = ["q", "status", "contest", "district"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(lead__name__icontains=term) | Q(challenge__title__icontains=term)
            )
        return queryset
