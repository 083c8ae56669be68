"""Forms of the evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.choices import Level, ScoringMethod
from evaluation.indicator_rules import rule_choices

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


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


# === Typical cases (典型案例) and replications (复制推广) ===


# === Tolerance register (包容期 and 容错) ===
