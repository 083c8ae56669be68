from django import forms
from django.utils.translation import gettext_lazy as _

from contests.choices import BenefitKind, CooperationMode, InsuredKind, RelationshipKind
from contests.models import AWARD_CAP_LIMIT


class ChallengeForm(forms.Form):
    scenario = forms.ModelChoiceField(label=_("应用场景"), queryset=None, empty_label=_("请选择已发布的场景"))
    title = forms.CharField(label=_("榜单名称"), max_length=100, required=False, help_text=_("留空则使用场景名称。"))
    requirements = forms.CharField(label=_("揭榜要求"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    award_cap = forms.DecimalField(
        label=_("奖励上限（元）"), max_digits=10, decimal_places=2, min_value=0, max_value=AWARD_CAP_LIMIT,
        error_messages={"max_value": _("奖励上限不能超过 100 万元（¥1,000,000）。")},
    )

    def __init__(self, *args, publisher, **kwargs):
        from scenarios.models import Scenario

        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(publisher=publisher, status="published").order_by("title")


class EntryForm(forms.Form):
    title = forms.CharField(label=_("方案名称"), max_length=100)
    summary = forms.CharField(label=_("方案摘要"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    member_codes = forms.CharField(
        label=_("联合体成员（统一社会信用代码）"), required=False, max_length=400, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("单独揭榜留空；组成联合体时每行填写一家成员单位的信用代码。"),
    )

    def clean_member_codes(self):
        from accounts.models import Organisation

        codes = [code.strip() for code in self.cleaned_data["member_codes"].replace("，", "\n").replace(",", "\n").splitlines() if code.strip()]
        found = {organisation.credit_code: organisation for organisation in Organisation.objects.filter(credit_code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(_("未找到这些信用代码对应的单位：%(codes)s。成员单位须先在门户注册。") % {"codes": "、".join(unknown)})
        return [found[code] for code in dict.fromkeys(codes)]


class SubmitForm(forms.Form):
    credit_commitment = forms.BooleanField(label=_("本单位已阅读并签署上述信用承诺"), error_messages={"required": _("提交前须签署信用承诺。")})


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(choices=[("eligible", _("通过")), ("ineligible", _("不通过"))])
    reason = forms.CharField(label=_("意见"), max_length=500, required=False)


class PanelForm(forms.Form):
    judge = forms.IntegerField(min_value=1)
    is_chair = forms.BooleanField(required=False)


class JudgeProfileForm(forms.Form):
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    fields_text = forms.CharField(label=_("专业领域"), max_length=300, required=False, help_text=_("用顿号或逗号分隔，如：智慧停车、机器视觉。"))
    affiliation_credit_code = forms.CharField(label=_("工作单位信用代码"), max_length=18, required=False, help_text=_("工作单位未在门户注册时填写，用于回避核对。"))


class RelationshipForm(forms.Form):
    organisation_code = forms.CharField(label=_("相关单位信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("关系"), choices=RelationshipKind.choices)
    ended_year = forms.IntegerField(label=_("结束年份"), required=False, min_value=1950, max_value=2100, help_text=_("仍在持续的留空。"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


CRITERION_DIMENSIONS = [("technical", _("技术")), ("business", _("商务"))]


class CriterionForm(forms.Form):
    dimension = forms.ChoiceField(label=_("维度"), choices=CRITERION_DIMENSIONS)
    name = forms.CharField(label=_("评分项"), max_length=50, required=False)
    max_points = forms.IntegerField(label=_("分值"), min_value=1, max_value=100, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20)


class AwardForm(forms.Form):
    amount = forms.CharField(label=_("奖励金额（元）"), max_length=20)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class AgreementForm(forms.Form):
    mode = forms.ChoiceField(label=_("合作方式"), choices=CooperationMode.choices)
    title = forms.CharField(label=_("任务书名称"), max_length=100, required=False)
    objectives = forms.CharField(label=_("攻关目标与考核指标"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contract_amount = forms.CharField(label=_("合同金额（元）"), max_length=20, required=False)
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    signed_on = forms.DateField(label=_("签订日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    design_due = forms.DateField(label=_("方案设计完成"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    onsite_test_due = forms.DateField(label=_("现场测试完成"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    verification_due = forms.DateField(label=_("验证评价完成"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ProgressReportForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("对应节点"), queryset=None, required=False, empty_label=_("（不对应具体节点）"))
    text = forms.CharField(label=_("进展情况"), min_length=10, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = agreement.milestones.all()


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=_("政策"), choices=BenefitKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    insured_kind = forms.ChoiceField(label=_("保险类别"), choices=[("", "—"), *InsuredKind.choices], required=False)
    premium = forms.CharField(label=_("保费（元）"), max_length=20, required=False)
    subsidy_percent = forms.CharField(label=_("补贴比例（%）"), max_length=10, required=False)
    reference = forms.CharField(label=_("文号/项目编号"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
