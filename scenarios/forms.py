from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from core.uploads import ACCEPTED_LABEL
from core.widgets import DateInput
from scenarios.models import DemonstrationZone, Domain, LabInstrument, Scenario
from scenarios.selectors import replication_candidates
from scenarios.services import EDITABLE_FIELDS, MAX_NEED_ITEMS


class DomainChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, domain):
        return str(domain)


class ScenarioForm(forms.ModelForm):
    """The publisher's form. Field rules are the model's; the service checks them again."""

    domain = DomainChoiceField(
        label=_("场景领域"),
        queryset=Domain.objects.filter(is_active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order"),
        required=False,
        empty_label=_("请选择"),
    )
    district = forms.ModelChoiceField(
        label=_("所在区域"), queryset=District.objects.filter(is_active=True), required=False, empty_label=_("请选择")
    )
    zone = forms.ModelChoiceField(
        label=_("示范区"), queryset=DemonstrationZone.objects.all(), required=False, empty_label=_("（无）")
    )
    replication_of = forms.ModelChoiceField(
        label=_("复制推广自"), queryset=replication_candidates(), required=False, empty_label=_("（不是复制推广）")
    )

    class Meta:
        model = Scenario
        fields = EDITABLE_FIELDS
        widgets = {
            "need_description": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "track": forms.RadioSelect,
            "stage": forms.RadioSelect,
            "funding_level": forms.RadioSelect,
            "funding_share": forms.RadioSelect,
            "funding_amount": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "tolerance_start": DateInput(),
            "tolerance_end": DateInput(),
        }
        help_texts = {
            "track": _("前瞻性场景允许试错，须设包容期；成熟技术场景走简化审批。"),
            "funding_amount": _("单位：元。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("stage", "funding_level", "funding_share"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0] != ""]
            self.fields[name].required = False
        self.fields["title"].widget.attrs["maxlength"] = 100

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("计划完成日期不能早于计划开始日期。"))
        tolerance_start, tolerance_end = cleaned.get("tolerance_start"), cleaned.get("tolerance_end")
        if tolerance_start and tolerance_end and tolerance_end < tolerance_start:
            self.add_error("tolerance_end", _("包容期结束日期不能早于开始日期。"))
        return cleaned


class NeedItemForm(forms.Form):
    name = forms.CharField(
        label=_("技术需求"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：车牌识别")}),
    )
    detail = forms.CharField(label=_("说明"), max_length=300, required=False)


NeedItemFormSet = forms.formset_factory(NeedItemForm, extra=3, max_num=MAX_NEED_ITEMS, validate_max=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), help_text=_("%(accepted)s，不超过 20 MB。") % {"accepted": ACCEPTED_LABEL})


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=32)
    reason = forms.CharField(
        label=_("原因/意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("审核通过")), ("publish", _("发布")), ("reject", _("退回修改"))])
    scenarios = forms.ModelMultipleChoiceField(
        queryset=Scenario.objects.all(), error_messages={"required": _("请至少勾选一个场景。")}
    )
    reason = forms.CharField(label=_("意见"), max_length=500, required=False)


class DomainForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("上级领域"),
        queryset=Domain.objects.filter(parent__isnull=True),
        required=False,
        empty_label=_("（大类）"),
    )

    class Meta:
        model = Domain
        fields = ["code", "name", "name_en", "parent", "sort_order", "is_active"]


class InstrumentRequestForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("仪器"), queryset=LabInstrument.objects.filter(is_open=True).select_related("institute")
    )
    purpose = forms.CharField(label=_("用途"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
