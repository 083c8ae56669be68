import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationKind, VerificationStatus
from accounts.models import District, Organisation
from core.choices import AuditKind
from core.models import AuditRecord


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("机构类型"), choices=OrganisationKind.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("所在区域"),
        queryset=District.objects.filter(is_active=True),
        field_name="district",
        to_field_name="code",
    )
    verification_status = django_filters.ChoiceFilter(label=_("认证状态"), choices=VerificationStatus.choices)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "district", "verification_status"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class AuditRecordFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("事件类别"), choices=AuditKind.choices)
    action = django_filters.CharFilter(label=_("操作"), lookup_expr="startswith")
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor_label", lookup_expr="icontains")
    object_type = django_filters.CharFilter(label=_("对象类型"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    since = django_filters.DateFilter(label=_("起始日期"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("截止日期"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditRecord
        fields = ["kind", "action", "actor", "object_type", "object_id", "since", "until"]

    def used_filters(self) -> dict:
        """The filters a search applied, as the auditor typed them (recorded with the search)."""
        return {name: value for name, value in self.data.items() if name in self.filters and value}
