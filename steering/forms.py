"""steering forms.py, one section per topic."""

# === Targets ===

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

# === Cockpit ===

# === Reports ===
