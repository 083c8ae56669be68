"""Forms of the evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from evaluation.choices import FindingSeverity
from evaluation.models import Indicator

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


class ConsensusForm(forms.Form):
    subject = forms.IntegerField(widget=forms.HiddenInput)
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.CharField(label=_("合议得分"), max_length=6)
    red_line_hit = forms.BooleanField(label=_("触及红线"), required=False)
    reason = forms.CharField(label=_("合议理由"), max_length=500)


class FindingForm(forms.Form):
    """A new finding on a subject: the organisation and indicator choices are the subject's."""

    severity = forms.ChoiceField(label=_("严重程度"), choices=FindingSeverity.choices)
    indicator = forms.ModelChoiceField(label=_("相关指标"), queryset=Indicator.objects.none(), required=False)
    description = forms.CharField(label=_("问题描述"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.CharField(label=_("整改建议"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.ModelChoiceField(label=_("整改单位"), queryset=Organisation.objects.none())
    due_date = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))

    error_fields = {"organisation": "organisation", "due_date": "due_date", "indicator": "indicator"}

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=subject.subject_organisations.values("organisation_id")
        )
        self.fields["indicator"].queryset = Indicator.objects.filter(framework_id=subject.round.framework_id)


class RectificationForm(forms.Form):
    text = forms.CharField(label=_("整改情况"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class FindingReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500)


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
