"""Forms of the evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import District, Organisation, User
from capability_list.models import StrategicArea
from evaluation.choices import FrameworkStatus, Level
from evaluation.models import Framework, Indicator
from scenarios.choices import PUBLIC_STATUSES
from scenarios.models import Domain, Scenario

# === Frameworks (评价指标体系, computed indicator rules) ===


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class RoundForm(forms.Form):
    """An operator opens a round."""

    title = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("评价层级"), choices=Level.choices)
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(
        label=_("指标体系（已发布版本）"),
        queryset=Framework.objects.filter(status=FrameworkStatus.PUBLISHED).order_by("level", "-version"),
        help_text=_("须与评价层级一致；本轮使用该版本，不随之后的修订变化。"),
    )
    self_assessment_due = forms.DateField(
        label=_("自评截止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scoring_due = forms.DateField(label=_("评分截止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    error_fields = {"title": "title", "year": "year", "framework_draft": "framework", "framework_level": "framework"}


class SubjectForm(forms.Form):
    """Add a subject; which fields count depends on the round's level (evaluation.services.subject_add)."""

    title = forms.CharField(label=_("评价对象名称"), max_length=100, required=False, help_text=_("留空则自动命名。"))
    scenario = forms.ModelChoiceField(
        label=_("应用场景（企业级）"),
        required=False,
        queryset=Scenario.objects.filter(status__in=PUBLIC_STATUSES).select_related("publisher").order_by("-id"),
    )
    supplier = forms.ModelChoiceField(
        label=_("场景承接单位（企业级）"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        help_text=_("留空则按场景大赛的中标或签约记录确定。"),
    )
    domain = forms.ModelChoiceField(
        label=_("场景领域（产业级）"), required=False, queryset=Domain.objects.filter(is_active=True)
    )
    strategic_area = forms.ModelChoiceField(
        label=_("战略性新兴产业（产业级）"), required=False, queryset=StrategicArea.objects.all()
    )
    district = forms.ModelChoiceField(
        label=_("区县（市）（城市级，留空为全市）"), required=False, queryset=District.objects.filter(is_active=True)
    )
    responsible = forms.ModelChoiceField(
        label=_("责任单位（产业级、城市级）"), required=False, queryset=Organisation.objects.order_by("name")
    )

    def __init__(self, *args, level: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        keep = {
            Level.ENTERPRISE: {"title", "scenario", "supplier"},
            Level.INDUSTRY: {"title", "domain", "strategic_area", "responsible"},
            Level.CITY: {"title", "district", "responsible"},
        }.get(level)
        if keep:
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]

    def arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ExpertAssignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("专家"),
        queryset=User.objects.filter(role_assignments__role=Role.JUDGE, is_active=True)
        .select_related("organisation")
        .order_by("display_name", "id"),
    )
    is_lead = forms.BooleanField(label=_("设为专家组长"), required=False)


class RoundActionForm(forms.Form):
    """One of the round page's buttons, with the id it acts on."""

    action = forms.ChoiceField(
        choices=[(value, value) for value in ("advance", "remove_subject", "remove_expert", "reopen")]
    )
    target = forms.IntegerField(required=False, min_value=1)
    reason = forms.CharField(max_length=500, required=False)


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(
        label=_("自评报告"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 14})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"), help_text=_("PDF、Word、Excel、PowerPoint、PNG、JPG，不超过 20 MB。"))
    indicator = forms.ModelChoiceField(label=_("对应指标（可选）"), required=False, queryset=Indicator.objects.none())

    def __init__(self, *args, leaves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=[leaf.pk for leaf in leaves])
        self.fields["indicator"].label_from_instance = lambda indicator: f"{indicator.code} {indicator.name}"


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
