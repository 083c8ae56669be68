"""steering forms.py, one section per topic."""

# === Targets ===
import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from core.widgets import DateInput
from steering.choices import TargetMetric

_PLAN_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*[,，:：\s]\s*(\d{1,7})\s*$")


class TargetForm(forms.Form):
    """A target and its planned trajectory (one "日期 计划值" a line). The metric and the scope are
    chosen when the target is created; a later edit keeps them."""

    error_fields = {
        "target_value": "target_value",
        "baseline": "baseline",
        "deadline": "deadline",
        "plan": "plan",
        "title": "title",
        "metric": "metric",
    }

    metric = forms.ChoiceField(label=_("指标"), choices=TargetMetric.choices)
    district = forms.ModelChoiceField(
        label=_("范围"),
        queryset=District.objects.filter(is_active=True),
        required=False,
        empty_label=_("全市"),
    )
    title = forms.CharField(label=_("目标名称"), max_length=100)
    target_value = forms.IntegerField(label=_("目标值"), min_value=1, max_value=1_000_000)
    baseline = forms.IntegerField(label=_("基数"), min_value=0, max_value=1_000_000, initial=0)
    starts_on = forms.DateField(label=_("起算日期"), widget=DateInput())
    deadline = forms.DateField(label=_("完成期限"), widget=DateInput())
    plan = forms.CharField(
        label=_("计划进度"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "2024-06-30 4\n2024-12-31 6"}),
        help_text=_("每行一个节点：日期 计划值（如 2024-12-31 6）。节点之间按日期线性插值。"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("修改原因"), required=False, max_length=500)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["metric"]
            del self.fields["district"]
        else:
            del self.fields["reason"]

    def clean_plan(self):
        points = []
        for number, line in enumerate(self.cleaned_data.get("plan", "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _PLAN_LINE.match(line)
            if not match:
                raise forms.ValidationError(_("第 %(n)d 行应为“日期 计划值”，如 2024-12-31 6。"), params={"n": number})
            try:
                day = datetime.date.fromisoformat("-".join(part.zfill(2) for part in match.group(1).split("-")))
            except ValueError:
                raise forms.ValidationError(_("第 %(n)d 行的日期不存在。"), params={"n": number}) from None
            points.append((day, int(match.group(2))))
        return points

    @staticmethod
    def plan_text(target) -> str:
        return "\n".join(f"{point.day:%Y-%m-%d} {point.planned_value}" for point in target.plan_points.all())


class TargetArchiveForm(forms.Form):
    reason = forms.CharField(label=_("归档原因"), max_length=500)


class TargetFilterForm(forms.Form):
    """?district=&as_of= of the targets pages; bad values are ignored."""

    district = forms.ModelChoiceField(
        label=_("范围"),
        queryset=District.objects.filter(is_active=True),
        required=False,
        empty_label=_("全市"),
    )
    as_of = forms.DateField(label=_("统计日"), required=False, widget=DateInput())

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("统计日超出范围。"))
        return day


class HighGrowthUploadForm(forms.Form):
    file = forms.FileField(label=_("名单文件（.xlsx）"))


# === Programme tasks ===
from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.widgets import DateInput  # noqa: E402


class ReportDraftForm(forms.Form):
    narrative = forms.CharField(
        label=_("工作进展"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    percentage = forms.IntegerField(label=_("完成百分比"), required=False, min_value=0, max_value=100)
    problems = forms.CharField(
        label=_("存在问题"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("下一步计划"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class AttachmentRemoveForm(forms.Form):
    attachment = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("accept", _("采纳")), ("return", _("退回"))])
    reason = forms.CharField(
        label=_("审核意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回须填写理由。"))
        return data


class NoticeIssueForm(forms.Form):
    reason = forms.CharField(label=_("督办事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    response_due_on = forms.DateField(label=_("答复期限"), widget=DateInput())


class NoticeAnswerForm(forms.Form):
    response = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class NoticeCloseForm(forms.Form):
    note = forms.CharField(label=_("办结意见"), required=False, max_length=500)


class CycleOpenForm(forms.Form):
    label = forms.CharField(label=_("期次名称"), max_length=40, help_text=_("例如：2026年第三季度专项调度"))
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    due_on = forms.DateField(label=_("截止日期"), widget=DateInput())


class ReportingSettingsForm(forms.Form):
    monthly_due_day = forms.IntegerField(label=_("月度报送截止日"), min_value=1, max_value=31)
    remind_days_before = forms.CharField(
        label=_("截止前几天提醒"), required=False, max_length=100, help_text=_("逗号分隔，例如 3,1")
    )
    remind_days_after = forms.CharField(
        label=_("逾期后几天提醒"), required=False, max_length=100, help_text=_("逗号分隔，例如 1,3,7")
    )


class LampRuleForm(forms.Form):
    """One lamp rule's threshold (which fields apply depends on the rule's kind: the service checks)."""

    rule = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("天数"), required=False, min_value=1, max_value=90)
    min_points = forms.IntegerField(label=_("落后下限（百分点）"), required=False, min_value=0, max_value=100)
    max_points = forms.IntegerField(label=_("落后上限（百分点）"), required=False, min_value=0, max_value=100)
    active = forms.BooleanField(label=_("启用"), required=False)


class MilestoneForm(forms.Form):
    milestone = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    title = forms.CharField(label=_("里程碑"), max_length=200)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DateInput())
    weight = forms.IntegerField(label=_("权重"), min_value=1, max_value=100)
    done_on = forms.DateField(label=_("实际完成日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class UnitLinkForm(forms.Form):
    unit = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(
        label=_("门户机构"), queryset=None, required=False, empty_label=_("（未关联）")
    )

    def __init__(self, *args, **kwargs):
        from accounts.choices import OrganisationKind
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).order_by(
            "name"
        )


# === SOE assessment ===
from decimal import Decimal  # noqa: E402

from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.widgets import DateInput  # noqa: E402
from steering.choices import ProductUseKind  # noqa: E402

LARGEST_ID = 2**31 - 1


class ProductUseForm(forms.Form):
    """Record a use of a contest product; operators also name the using organisation."""

    entry = forms.ModelChoiceField(label=_("大赛入围产品"), queryset=None)
    organisation = forms.ModelChoiceField(label=_("使用单位"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("使用方式"), choices=ProductUseKind.choices, widget=forms.RadioSelect)
    contract_number = forms.CharField(label=_("合同编号"), max_length=64)
    amount = forms.DecimalField(label=_("合同金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    used_on = forms.DateField(label=_("使用（签订）日期"), widget=DateInput)
    description = forms.CharField(
        label=_("使用情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=_("合同、验收单等（PDF、Word、图片）。"))
    error_fields = {
        "kind": "kind",
        "contract_number": "contract_number",
        "duplicate": "contract_number",
        "amount": "amount",
        "used_on": "used_on",
        "before_result": "used_on",
        "evidence_required": "evidence",
        "not_shortlisted": "entry",
        "own_product": "organisation",
        "organisation_required": "organisation",
        "organisation_kind": "organisation",
    }

    def __init__(self, *args, entries, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: (
            f"{entry.title}（{entry.lead.name}，{entry.challenge.contest.name}）"
        )
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = True


class ProductUseFromAgreementForm(forms.Form):
    agreement = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID)
    contract_number = forms.CharField(label=_("合同编号"), max_length=64)


class ProductUseVerifyForm(forms.Form):
    use = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID)
    decision = forms.ChoiceField(label=_("核实结果"), choices=[("verify", _("核实通过")), ("reject", _("不予通过"))])
    reason = forms.CharField(label=_("核实意见"), max_length=500, required=False)


class AssessmentItemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=LARGEST_ID)
    points = forms.DecimalField(label=_("每项分值"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    cap = forms.DecimalField(label=_("分值上限"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("修改理由"), max_length=500, required=False)


# === Cockpit ===

# === Reports ===
