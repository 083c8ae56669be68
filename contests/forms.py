"""The contest pages' forms. They check the shape of what was posted (numbers, dates, ids, lengths)
and keep the field names the templates post; the rules themselves stay in contests.services, whose
refusals the pages show (core.actions.page_action)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from contests.choices import BenefitKind, CooperationMode, InsuredKind, MilestoneKind, RelationshipKind
from contests.models import AWARD_CAP_LIMIT
from contests.sheets import posted_keys, repeated_lines_message
from core.ids import whole_number
from core.widgets import DateInput, DateTimeInput
from scenarios.models import Scenario


class ActionForm(forms.Form):
    """Which of a page's forms was posted: its `action` (or another named) field, one of `actions`."""

    def __init__(self, data, *, actions, field: str = "action"):
        super().__init__(data)
        self.field_name = field
        self.fields[field] = forms.ChoiceField(choices=[(action, action) for action in actions])

    @property
    def action(self) -> str | None:
        """The action posted, or None when it is missing or not one of the page's."""
        return self.cleaned_data[self.field_name] if self.is_valid() else None


class ValuesField(forms.Field):
    """Every value posted under the field's name (a list of strings), as checkboxes post them."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [str(item) for item in value or []]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class EligibilityRulesForm(forms.Form):
    # Any code may be posted; eligibility_rules_set refuses those not on the closed list, saying why.
    kinds = ValuesField(required=False)


class ChallengeForm(forms.Form):
    scenario = forms.ModelChoiceField(label=_("应用场景"), queryset=None, empty_label=_("请选择已发布的场景"))
    title = forms.CharField(label=_("榜单名称"), max_length=100, required=False, help_text=_("留空则使用场景名称。"))
    requirements = forms.CharField(label=_("揭榜要求"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    award_cap = forms.DecimalField(
        label=_("奖励上限（元）"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        max_value=AWARD_CAP_LIMIT,
        error_messages={"max_value": _("奖励上限不能超过 100 万元（¥1,000,000）。")},
    )

    def __init__(self, *args, publisher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(publisher=publisher, status="published").order_by(
            "title"
        )


class EntryForm(forms.Form):
    title = forms.CharField(label=_("方案名称"), max_length=100)
    summary = forms.CharField(label=_("方案摘要"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    member_codes = forms.CharField(
        label=_("联合体成员（统一社会信用代码）"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("单独揭榜留空；组成联合体时每行填写一家成员单位的信用代码。"),
    )

    def clean_member_codes(self):
        codes = [
            code.strip()
            for code in self.cleaned_data["member_codes"].replace("，", "\n").replace(",", "\n").splitlines()
            if code.strip()
        ]
        found = {
            organisation.credit_code: organisation
            for organisation in Organisation.objects.filter(credit_code__in=codes)
        }
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("未找到这些信用代码对应的单位：%(codes)s。成员单位须先在门户注册。") % {"codes": "、".join(unknown)}
            )
        return [found[code] for code in dict.fromkeys(codes)]


class SubmitForm(forms.Form):
    credit_commitment = forms.BooleanField(
        label=_("本单位已阅读并签署上述信用承诺"), error_messages={"required": _("提交前须签署信用承诺。")}
    )


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(choices=[("eligible", _("通过")), ("ineligible", _("不通过"))])
    reason = forms.CharField(label=_("意见"), max_length=500, required=False)


class CreditCheckForm(forms.Form):
    passed = forms.ChoiceField(choices=[("yes", _("核查通过")), ("no", _("核查未通过"))])
    note = forms.CharField(label=_("核查说明"), max_length=500, required=False)


class AttachmentForm(forms.Form):
    # An empty or disguised file is refused by core.uploads.check_upload (in the service), with its reason.
    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("请选择文件。")})


class PanelForm(forms.Form):
    judge = forms.IntegerField(min_value=1)
    is_chair = forms.BooleanField(required=False)


class RunningOrderForm(forms.Form):
    first_slot_at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"], widget=DateTimeInput())
    minutes = forms.IntegerField(required=False)  # 5–120 is the service's rule, with its message
    room = forms.CharField(max_length=50, required=False)

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        return 20 if minutes is None else minutes


class JudgeHomeForm(forms.Form):
    """The judge's page: sign a contest's 回避承诺, or recuse from an entry with a reason."""

    action = forms.ChoiceField(choices=[("sign", "sign"), ("recuse", "recuse")])
    contest = forms.IntegerField()
    entry = forms.IntegerField(required=False)
    reason = forms.CharField(max_length=300, required=False)  # required by recusal_declare, with its message


class JudgeProfileForm(forms.Form):
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    fields_text = forms.CharField(
        label=_("专业领域"),
        max_length=300,
        required=False,
        help_text=_(
            "用顿号或逗号分隔，如：交通、车牌识别、机器视觉。组建评审组时按这些领域与榜单的场景领域和技术需求比对推荐。"
        ),
    )
    affiliation_credit_code = forms.CharField(
        label=_("工作单位信用代码"),
        max_length=18,
        required=False,
        help_text=_("工作单位未在门户注册时填写，用于回避核对。"),
    )

    @classmethod
    def initial_for(cls, profile) -> dict | None:
        if profile is None:
            return None
        return {
            "title": profile.title,
            "fields_text": "、".join(profile.fields),
            "affiliation_credit_code": profile.affiliation_credit_code,
        }

    def clean_fields_text(self):
        """The fields as a list (separated by 、 or a comma, Chinese or not)."""
        return self.cleaned_data["fields_text"].replace("，", "、").replace(",", "、").split("、")


class RelationshipForm(forms.Form):
    organisation_code = forms.CharField(label=_("相关单位信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("关系"), choices=RelationshipKind.choices)
    ended_year = forms.IntegerField(
        label=_("结束年份"), required=False, min_value=1950, max_value=2100, help_text=_("仍在持续的留空。")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_organisation_code(self):
        """The organisation registered under the credit code."""
        organisation = Organisation.objects.filter(credit_code=self.cleaned_data["organisation_code"].strip()).first()
        if organisation is None:
            raise ValidationError(_("未找到该信用代码对应的单位。"))
        return organisation


CRITERION_DIMENSIONS = [("technical", _("技术")), ("business", _("商务"))]


class CriterionForm(forms.Form):
    dimension = forms.ChoiceField(label=_("维度"), choices=CRITERION_DIMENSIONS)
    name = forms.CharField(label=_("评分项"), max_length=50, required=False)
    max_points = forms.IntegerField(label=_("分值"), min_value=1, max_value=100, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20)


class ScoreSheetForm(forms.Form):
    """A judge's sheet as posted: `points_<criterion id>` and `comment_<criterion id>` for each
    criterion, and `action` (submit, or anything else for a draft). The points and comments are
    kept as typed: sheet_save checks them and says which criterion is wrong."""

    action = forms.CharField(required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = forms.CharField(required=False, strip=False)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        # One value per criterion: a crafted post repeating a field is refused, not read for its last value.
        refusal = repeated_lines_message(posted_keys(self.data, [criterion.pk for criterion in self.criteria]))
        if refusal:
            raise forms.ValidationError(refusal)
        return cleaned

    @property
    def submit(self) -> bool:
        return self.cleaned_data["action"] == "submit"

    def points(self) -> dict:
        return {criterion.pk: self.cleaned_data[f"points_{criterion.pk}"] for criterion in self.criteria}

    def comments(self) -> dict:
        return {criterion.pk: self.cleaned_data[f"comment_{criterion.pk}"] for criterion in self.criteria}

    def typed(self) -> dict:
        """{criterion id: (points, comment)} as posted, to show them again beside the refusal."""
        return {
            criterion.pk: (self.data.get(f"points_{criterion.pk}", ""), self.data.get(f"comment_{criterion.pk}", ""))
            for criterion in self.criteria
        }


class ReasonForm(forms.Form):
    # Whether a reason is needed, and its message, is the service's rule.
    reason = forms.CharField(max_length=500, required=False, strip=False)


class SheetReopenForm(ReasonForm):
    sheet = forms.IntegerField()


class TieOrderForm(ReasonForm):
    """The order an operator gives to entries still tied: the `entries` posted, each with a
    `position_<entry id>` (1 first). `order` is the entry ids in that order."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.entry_ids = data.getlist("entries") if data is not None else []
        for entry_id in self.entry_ids:
            self.fields[f"position_{entry_id}"] = forms.CharField(required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        positions = [(cleaned.get(f"position_{entry_id}", ""), entry_id) for entry_id in self.entry_ids]
        numbers = [(whole_number(position), entry_id) for position, entry_id in positions]
        if any(number is None for number, _entry_id in numbers):
            raise ValidationError(_("请为每个并列方案填写名次先后（数字）。"))
        cleaned["order"] = [entry_id for _number, entry_id in sorted(numbers, key=lambda pair: pair[0])]
        return cleaned


class ObjectionForm(forms.Form):
    challenge = forms.IntegerField()
    entry = forms.IntegerField(required=False)  # blank: the whole challenge
    text = forms.CharField(required=False, strip=False)  # 10–2000 characters is the service's rule


class ObjectionAnswerForm(forms.Form):
    objection = forms.IntegerField()
    answer = forms.CharField(required=False, strip=False)


class AwardForm(forms.Form):
    """Decide an entry's award; the amount is checked (exact yuan, cap, budget) by award_decide."""

    entry = forms.IntegerField()
    amount = forms.CharField(label=_("奖励金额（元）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False, strip=False)


class AwardWithdrawForm(ReasonForm):
    award = forms.IntegerField()


class AgreementForm(forms.Form):
    mode = forms.ChoiceField(label=_("合作方式"), choices=CooperationMode.choices)
    title = forms.CharField(label=_("任务书名称"), max_length=100, required=False)
    objectives = forms.CharField(
        label=_("攻关目标与考核指标"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contract_amount = forms.CharField(label=_("合同金额（元）"), max_length=20, required=False)
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    signed_on = forms.DateField(label=_("签订日期"), required=False, widget=DateInput())
    design_due = forms.DateField(label=_("方案设计完成"), required=False, widget=DateInput())
    onsite_test_due = forms.DateField(label=_("现场测试完成"), required=False, widget=DateInput())
    verification_due = forms.DateField(label=_("验证评价完成"), required=False, widget=DateInput())

    @classmethod
    def initial_for(cls, agreement) -> dict:
        if agreement is None:
            return {}
        initial = {
            field: getattr(agreement, field)
            for field in ["mode", "title", "objectives", "contract_amount", "starts_on", "ends_on", "signed_on"]
        }
        initial.update({f"{milestone.kind}_due": milestone.due_on for milestone in agreement.milestones.all()})
        return initial

    def milestones(self) -> dict:
        """{milestone kind: planned date or None}."""
        return {kind: self.cleaned_data[f"{kind}_due"] for kind in MilestoneKind.values}


class MilestoneCompleteForm(forms.Form):
    milestone = forms.IntegerField()
    completed_on = forms.DateField(
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"required": _("请填写实际完成日期。"), "invalid": _("请填写实际完成日期。")},
    )
    note = forms.CharField(max_length=300, required=False)


class ProgressReportForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=_("对应节点"), queryset=None, required=False, empty_label=_("（不对应具体节点）")
    )
    text = forms.CharField(
        label=_("进展情况"), min_length=10, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = agreement.milestones.all()
        # The milestone's own name: its __str__ (the agreement's too) is the audit log's Chinese label.
        self.fields["milestone"].label_from_instance = lambda milestone: milestone.get_kind_display()


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=_("政策"), choices=BenefitKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    insured_kind = forms.ChoiceField(label=_("保险类别"), choices=[("", "—"), *InsuredKind.choices], required=False)
    premium = forms.CharField(label=_("保费（元）"), max_length=20, required=False)
    subsidy_percent = forms.CharField(label=_("补贴比例（%）"), max_length=10, required=False)
    reference = forms.CharField(label=_("文号/项目编号"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
