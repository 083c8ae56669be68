from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from capability_list.choices import AgendaOutcome, CredentialKind, CredentialLevel, EventKind
from capability_list.entry_rules import MAX_CREDENTIALS
from capability_list.models import CapabilityEntry, Industry, StrategicArea
from capability_list.services import ENTRY_FIELDS
from core.widgets import DateTimeInput


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, industry):
        return f"{industry.section.code} · {industry.code} {industry.name_shown}"


class EntryForm(forms.ModelForm):
    industry = IndustryChoiceField(
        label=_("所属行业（国民经济行业分类大类）"),
        queryset=Industry.objects.filter(section__isnull=False).select_related("section"),
        required=False,
        empty_label=_("请选择"),
    )
    strategic_area = forms.ModelChoiceField(
        label=_("战略性新兴产业领域"), queryset=StrategicArea.objects.all(), required=False, empty_label=_("请选择")
    )
    technology_fields = forms.CharField(
        label=_("技术领域"), max_length=300, required=False, help_text=_("关键词用顿号或逗号分隔，最多 10 个。")
    )

    class Meta:
        model = CapabilityEntry
        fields = ENTRY_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
            "application_cases": forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["technology_fields"] = "、".join(self.instance.technology_fields or [])


class FilingCompanyForm(forms.Form):
    """For associations: which member company the entry is for."""

    company_credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, min_length=18)
    company_name = forms.CharField(label=_("企业名称"), max_length=100)
    company_district = forms.ModelChoiceField(
        label=_("企业所在区域"), queryset=District.objects.filter(is_active=True), empty_label=_("请选择")
    )


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("认定类型"), choices=[("", "—")] + list(CredentialKind.choices), required=False)
    certificate_number = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=[("", "—")] + list(CredentialLevel.choices), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


CredentialFormSet = forms.formset_factory(CredentialForm, extra=2, max_num=MAX_CREDENTIALS, validate_max=True)


def credentials_from(formset) -> list[dict]:
    """The credential rows the person filled in (blank rows left out)."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and any(form.cleaned_data.values())]


def entry_initial(values: dict) -> dict:
    """The editor's initial values from stored ones (a change's, or the listed entry's)."""
    return {**values, "technology_fields": "、".join(values.get("technology_fields") or [])}


class ChangeReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核"),
        choices=[("approve", _("通过，替换已入库版本")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见（退回时必填）"), max_length=500, required=False)


class EvidenceForm(forms.Form):
    """A file for one of the entry's 三首 certificates."""

    error_fields = {"file_refused": "file", "certificate": "certificate"}

    certificate = forms.ChoiceField(label=_("证书"))
    file = forms.FileField(label=_("证明材料（PDF、JPG、PNG，不超过 10 MB）"))

    def __init__(self, *args, certificates: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].choices = [
            (f"{kind}|{number}", f"{CredentialKind(kind).label} {number}") for kind, number in certificates
        ]

    def clean_certificate(self) -> tuple[str, str]:
        kind, _separator, number = self.cleaned_data["certificate"].partition("|")
        return kind, number


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("列入清单")), ("return", _("退回修改"))])
    entries = forms.ModelMultipleChoiceField(
        queryset=CapabilityEntry.objects.all(), error_messages={"required": _("请至少勾选一个条目。")}
    )
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class EntryReviewForm(forms.Form):
    """One entry's review on its own page: list it, or return it with a reason (the service asks)."""

    decision = forms.ChoiceField(label=_("审核"), choices=[("approve", _("列入清单")), ("return", _("退回修改"))])
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class ImportForm(forms.Form):
    # A refusal of the upload (the file, or who may import) is shown on the file field.
    error_fields = {"file_refused": "file", "forbidden": "file"}

    file = forms.FileField(label=_("Excel 文件（.xlsx）"), help_text=_("请使用导入模板填写，不超过 10 MB。"))


class EnquiryForm(forms.Form):
    scenario = forms.IntegerField(widget=forms.HiddenInput, required=False)
    department = forms.ModelChoiceField(
        label=_("答复部门"),
        queryset=None,
        required=False,
        empty_label=_("（咨询场景发榜方时不选）"),
    )
    subject = forms.CharField(label=_("主题"), max_length=100)
    question = forms.CharField(label=_("问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organisation.objects.filter(kind="government").order_by("name")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("评价（可选）"), max_length=300, required=False)


class EventForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(
        label=_("类型"), choices=EventKind.choices, widget=forms.RadioSelect, initial=EventKind.MATCHMAKING
    )
    starts_at = forms.DateTimeField(
        label=_("时间"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    venue = forms.CharField(label=_("地点"), max_length=200)
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgendaAddForm(forms.Form):
    scenario = forms.IntegerField(label=_("场景编号"), min_value=1)
    entry = forms.IntegerField(label=_("能力清单条目编号"), min_value=1)


class AgendaRecordForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    publisher_attended = forms.NullBooleanField(label=_("发榜方出席"), required=False)
    company_attended = forms.NullBooleanField(label=_("企业出席"), required=False)
    outcome = forms.ChoiceField(label=_("对接结果"), choices=AgendaOutcome.choices)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
