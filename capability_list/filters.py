import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from capability_list.choices import CredentialKind, EnquiryStatus, EntryKind, EntryStatus, EventKind, Maturity
from capability_list.models import CapabilityEntry, Enquiry, Industry, MatchmakingEvent, StrategicArea
from core.filters import ListedModelChoiceFilter, WholeNumberFilter
from core.search import filter_contains_all


class EntryFilterSet(django_filters.FilterSet):
    """Filters of the capability list page and /api/v1/capabilities/."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_keywords", max_length=100)
    industry = ListedModelChoiceFilter(
        label=_("行业"), queryset=Industry.objects.all(), to_field_name="code", method="filter_industry"
    )
    strategic_area = ListedModelChoiceFilter(
        label=_("战略性新兴产业"), queryset=StrategicArea.objects.all(), to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EntryKind.choices)
    maturity = django_filters.ChoiceFilter(label=_("成熟度"), choices=Maturity.choices)
    credential = django_filters.ChoiceFilter(
        label=_("三首认定"), choices=CredentialKind.choices, method="filter_credential"
    )
    district = ListedModelChoiceFilter(
        label=_("区域"),
        queryset=District.objects.filter(is_active=True),
        to_field_name="code",
        field_name="company__district",
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EntryStatus.choices)

    class Meta:
        model = CapabilityEntry
        fields = ["q", "industry", "strategic_area", "kind", "maturity", "credential", "district", "status"]

    def filter_keywords(self, queryset, name, value):
        return filter_contains_all(queryset, value.split()[:5])  # search_text is stored folded (core.search)

    def filter_industry(self, queryset, name, industry):
        # A section (门类, e.g. C 制造业) covers all its divisions.
        return queryset.filter(Q(industry=industry) | Q(industry__section=industry))

    def filter_credential(self, queryset, name, value):
        return queryset.filter(credentials__kind=value).distinct()


class EnquiryFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EnquiryStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    scenario = WholeNumberFilter(label=_("场景"), field_name="scenario_id")

    class Meta:
        model = Enquiry
        fields = ["status", "overdue", "scenario"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status="open", due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EventKind.choices)
    after = django_filters.DateFilter(label=_("起始日期"), field_name="starts_at", lookup_expr="date__gte")

    class Meta:
        model = MatchmakingEvent
        fields = ["kind", "after"]


class ReviewQueueFilterSet(django_filters.FilterSet):
    """The operators' review queue (entries submitted for review): search and the filters they use."""

    q = django_filters.CharFilter(label=_("搜索（名称、企业）"), method="filter_keywords", max_length=100)
    strategic_area = ListedModelChoiceFilter(
        label=_("战略性新兴产业"), queryset=StrategicArea.objects.all(), to_field_name="code"
    )
    district = ListedModelChoiceFilter(
        label=_("区域"),
        queryset=District.objects.filter(is_active=True),
        to_field_name="code",
        field_name="company__district",
    )
    credential = django_filters.ChoiceFilter(
        label=_("三首认定"), choices=CredentialKind.choices, method="filter_credential"
    )
    via_association = django_filters.BooleanFilter(
        label=_("协会代报"),
        field_name="submitted_via",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )

    class Meta:
        model = CapabilityEntry
        fields = ["q", "strategic_area", "district", "credential", "via_association"]

    filter_keywords = EntryFilterSet.filter_keywords
    filter_credential = EntryFilterSet.filter_credential


class EnquiryListFilterSet(django_filters.FilterSet):
    """The enquiries page (operators see every enquiry): search and the status and deadline filters."""

    q = django_filters.CharFilter(label=_("搜索（主题、企业、答复单位）"), method="filter_q", max_length=100)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EnquiryStatus.choices)
    overdue = django_filters.BooleanFilter(
        label=_("已逾期"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )

    class Meta:
        model = Enquiry
        fields = ["q", "status", "overdue"]

    def filter_q(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(subject__icontains=term) | Q(company__name__icontains=term) | Q(addressee__name__icontains=term)
            )
        return queryset

    filter_overdue = EnquiryFilterSet.filter_overdue
