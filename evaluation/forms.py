"""Forms of the evaluation pages."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import District, Organisation, User
from accounts.permissions import organisation_acted_for
from capability_list.models import StrategicArea
from core.widgets import DateInput
from evaluation.choices import (
    CaseDecision,
    FindingSeverity,
    FrameworkStatus,
    Level,
    ReplicationKind,
    RoundStatus,
    ScoringMethod,
    ToleranceDecision,
    ToleranceStatus,
)
from evaluation.indicator_rules import rule_choices
from evaluation.models import Framework, Indicator
from scenarios.choices import PUBLIC_STATUSES
from scenarios.models import Domain, Scenario

# === Frameworks (评价指标体系, computed indicator rules) ===


class IndicatorForm(forms.Form):
    """An indicator of a draft framework; the tree's rules (weights, tiers, rules) are the services'."""

    error_fields = {"name": "name", "weight": "weight", "max_points": "max_points", "rule": "rule", "target": "target"}

    parent = forms.TypedChoiceField(label=_("上级指标"), coerce=int, empty_value=None, required=False)
    name = forms.CharField(label=_("指标名称"), max_length=60)
    definition = forms.CharField(
        label=_("指标解释"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(label=_("权重"), max_digits=5, decimal_places=2, min_value=0, max_value=100)
    method = forms.ChoiceField(label=_("评分方式"), choices=ScoringMethod.choices)
    max_points = forms.DecimalField(label=_("满分"), max_digits=5, decimal_places=1, initial=10)
    rule = forms.ChoiceField(label=_("计算规则"), required=False, help_text=_("系统计算指标必选。"))
    target = forms.DecimalField(
        label=_("满分目标值"), max_digits=12, decimal_places=2, required=False, help_text=_("系统计算或导入指标必填。")
    )
    evidence_required = forms.BooleanField(label=_("须提供佐证材料"), required=False)
    is_red_line = forms.BooleanField(label=_("红线指标"), required=False)

    def __init__(self, *args, framework, parents=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("（不适用）")), *rule_choices(framework.level)]
        if editing:
            del self.fields["parent"]
        else:
            self.fields["parent"].choices = [("", _("（一级指标）"))] + [
                (item.pk, f"{item.code} {item.name}") for item in parents
            ]


class GradeBandsForm(forms.Form):
    """Up to six grade bands, highest first; the lowest one is what a red line caps the grade at."""

    ROWS = 6

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        bands = list(bands)
        for index in range(self.ROWS):
            band = bands[index] if index < len(bands) else None
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("等级 %(n)d 名称") % {"n": index + 1},
                max_length=10,
                required=False,
                initial=band.name if band else "",
            )
            self.fields[f"min_{index}"] = forms.DecimalField(
                label=_("等级 %(n)d 最低总分") % {"n": index + 1},
                max_digits=5,
                decimal_places=2,
                required=False,
                initial=band.min_total if band else None,
            )

    def rows(self):
        return [(self[f"name_{index}"], self[f"min_{index}"]) for index in range(self.ROWS)]

    def bands(self) -> list[dict]:
        return [
            {"name": self.cleaned_data[f"name_{index}"], "min_total": self.cleaned_data[f"min_{index}"]}
            for index in range(self.ROWS)
            if self.cleaned_data.get(f"name_{index}") or self.cleaned_data.get(f"min_{index}") is not None
        ]


class FrameworkNewForm(forms.Form):
    level = forms.ChoiceField(label=_("评价层级"), choices=Level.choices)
    change_note = forms.CharField(label=_("修订说明"), max_length=500, required=False)


class FrameworkRevisionForm(forms.Form):
    change_note = forms.CharField(label=_("修订说明"), max_length=500)


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
    self_assessment_due = forms.DateField(label=_("自评截止"), required=False, widget=DateInput)
    scoring_due = forms.DateField(label=_("评分截止"), required=False, widget=DateInput)
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

    action = forms.ChoiceField(choices=[(value, value) for value in ("advance", "remove_subject", "remove_expert")])
    target = forms.IntegerField(required=False, min_value=1)


class SheetReopenForm(forms.Form):
    """The reason a signed sheet is sent back; that one is needed is the service's rule."""

    reason = forms.CharField(label=_("退回原因"), max_length=500, required=False)


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


class FigureImportForm(forms.Form):
    """The figure of an imported indicator, as the organisation's statement or a statistic gives it."""

    value = forms.DecimalField(label=_("数值"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("来源说明"), max_length=300, required=False)


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
    due_date = forms.DateField(label=_("整改期限"), widget=DateInput)

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


class CaseFilterForm(forms.Form):
    """Filters of the public typical-case list (every field optional; a bad value is ignored)."""

    level = forms.ChoiceField(label=_("评价层级"), choices=[("", _("全部"))] + list(Level.choices), required=False)
    year = forms.IntegerField(label=_("评价年度"), required=False, min_value=2000, max_value=2100)
    domain = forms.ModelChoiceField(label=_("场景领域"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args, **kwargs):
        from scenarios.models import Domain

        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = Domain.objects.filter(parent__isnull=False, is_active=True).select_related(
            "parent"
        )

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class CaseDecisionForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("审定结果"),
        choices=CaseDecision.choices,
    )
    # Whether a reason is needed, and its message, is the service's rule.
    reason = forms.CharField(label=_("审定理由"), max_length=500, required=False)


class CaseEditForm(forms.Form):
    title = forms.CharField(label=_("案例名称"), max_length=100)
    problem = forms.CharField(
        label=_("场景问题"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    solution = forms.CharField(
        label=_("解决方案"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcomes = forms.CharField(
        label=_("应用成效"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    supplier = forms.ModelChoiceField(label=_("解决方案提供单位"), queryset=None, required=False)

    def __init__(self, *args, case=None, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        ids = [link.organisation_id for link in case.subject.subject_organisations.all()] if case else []
        if case and case.supplier_id:
            ids.append(case.supplier_id)
        self.fields["supplier"].queryset = Organisation.objects.filter(pk__in=ids)


class ReplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=ReplicationKind.choices, widget=forms.RadioSelect)
    scenario = forms.ModelChoiceField(
        label=_("复制形成的新场景"),
        queryset=None,
        required=False,
        help_text=_("以“复制为新场景”方式登记时选择本单位的场景；草稿场景将自动关联本案例。"),
    )
    description = forms.CharField(
        label=_("应用情况"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("佐证材料"), required=False, help_text=_("推广应用须上传佐证材料（PDF、Word、图片等）。")
    )

    def __init__(self, *args, user=None, **kwargs):
        from scenarios.models import Scenario

        super().__init__(*args, **kwargs)
        # The adopter's own scenarios, which its publisher role may name (none for anyone else).
        publisher = organisation_acted_for(user, Role.PUBLISHER) if user is not None else None
        self.fields["scenario"].queryset = Scenario.objects.filter(publisher_id=publisher).order_by("-id")


class ReplicationVerifyForm(forms.Form):
    replication = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("核实结果"), choices=[("verify", _("核实通过")), ("reject", _("不予通过"))])
    reason = forms.CharField(label=_("核实意见"), max_length=500, required=False)


class CaseProposeForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("评估轮次"),
        queryset=None,
        help_text=_("评估轮次结束时已按推荐规则自动推荐；推荐规则调整后，可在此对已结束的轮次再次推荐。"),
    )

    def __init__(self, *args, **kwargs):
        from evaluation.models import EvaluationRound

        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = EvaluationRound.objects.filter(status=RoundStatus.CLOSED)


class NominationRuleForm(forms.Form):
    """A change of the typical-case nomination rule; the ranges and the dimension are the service's
    rules (evaluation.services.nomination_rule_change), its refusals shown on their fields."""

    error_fields = {
        "min_total": "min_total",
        "min_benefit_share": "min_benefit_percent",
        "benefit_dimension": "benefit_dimension",
        "reason": "reason",
    }

    min_total = forms.DecimalField(label=_("最低总分"), max_digits=5, decimal_places=2, help_text=_("0–100，默认 85。"))
    benefit_dimension = forms.CharField(
        label=_("效益维度"), max_length=20, help_text=_("已发布指标体系的一级指标名称，默认“效益”。")
    )
    min_benefit_percent = forms.IntegerField(
        label=_("效益得分不低于其权重的（%）"), min_value=1, max_value=100, help_text=_("1–100，默认 80。")
    )
    exclude_red_line = forms.BooleanField(label=_("触及红线的不推荐"), required=False)
    reason = forms.CharField(
        label=_("修改理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("记入审计日志。")
    )

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        if names:
            self.fields["benefit_dimension"].widget.attrs["list"] = "dimension-names"
        self.names = list(names)

    @classmethod
    def initial_of(cls, rule) -> dict:
        return {
            "min_total": rule.min_total,
            "benefit_dimension": rule.benefit_dimension,
            "min_benefit_percent": int(rule.min_benefit_share * 100),
            "exclude_red_line": rule.exclude_red_line,
        }

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "min_total": data["min_total"],
            "benefit_dimension": data["benefit_dimension"],
            "min_benefit_share": Decimal(data["min_benefit_percent"]) / 100,
            "exclude_red_line": data["exclude_red_line"],
            "reason": data["reason"],
        }


# === Tolerance register (包容期 and 容错) ===


class ToleranceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + list(ToleranceStatus.choices), required=False
    )
    ending = forms.BooleanField(label=_("30 天内到期"), required=False)
    waiting = forms.ChoiceField(
        label=_("待办"),
        choices=[("", _("全部")), ("incidents", _("有待容错认定的事件")), ("extensions", _("有待审批的延期申请"))],
        required=False,
    )


class TolerancePeriodOpenForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label=_("前瞻性场景"), queryset=None, help_text=_("默认采用场景填写的包容期日期。")
    )
    starts_on = forms.DateField(label=_("包容期开始"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("包容期结束"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        from scenarios.choices import Track
        from scenarios.models import Scenario

        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(
            track=Track.FORWARD_LOOKING, tolerance_period__isnull=True
        ).order_by("-id")


class CheckpointForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=100)
    due_on = forms.DateField(label=_("计划日期"), widget=DateInput)


class CheckpointCompleteForm(forms.Form):
    checkpoint = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class IncidentForm(forms.Form):
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput)
    description = forms.CharField(label=_("事件描述"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class IncidentDecideForm(forms.Form):
    incident = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("容错认定"), choices=ToleranceDecision.choices)
    basis = forms.CharField(label=_("认定依据"), max_length=1000, required=False)
    reason = forms.CharField(label=_("修改理由"), max_length=500, required=False)


class ExtensionRequestForm(forms.Form):
    requested_until = forms.DateField(label=_("申请延至"), widget=DateInput)
    reason = forms.CharField(label=_("申请理由"), max_length=1000, required=False)


class ExtensionDecideForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("同意")), ("decline", _("不同意"))])
    reason = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class PeriodEndForm(forms.Form):
    early = forms.BooleanField(label=_("提前终止"), required=False)
    reason = forms.CharField(label=_("结束说明"), max_length=500, required=False)
