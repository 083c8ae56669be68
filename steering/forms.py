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

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
