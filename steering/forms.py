"""steering forms.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

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
