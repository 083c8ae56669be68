"""The operators' contest forms: opening a contest (新建大赛) and moving its round dates (调整日程).

They check the shape of what was posted; the rules (rounds in order, a positive budget, no round
reopened) stay in contests.services, whose refusals become these forms' errors (`error_fields`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.choices import ROUND_ORDER
from contests.models import ROUND_FIELDS, Contest
from core.widgets import DateTimeInput


def _round_fields() -> dict:
    """One datetime input per round, labelled as the contest's own fields are."""
    return {
        ROUND_FIELDS[round_name]: forms.DateTimeField(
            label=Contest._meta.get_field(ROUND_FIELDS[round_name]).verbose_name, widget=DateTimeInput()
        )
        for round_name in ROUND_ORDER
    }


class RoundFieldsMixin:
    def round_fields(self) -> list:
        """The seven round inputs (bound fields), in the rounds' order, for the template."""
        return [self[name] for name in ROUND_FIELDS.values()]

    def other_fields(self) -> list:
        return [field for field in self if field.name not in ROUND_FIELDS.values()]


class ContestForm(RoundFieldsMixin, forms.Form):
    error_fields = {"budget": "award_budget", "money": "award_budget", "limit": "entries_per_company"}

    name = forms.CharField(label=_("名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    award_budget = forms.DecimalField(label=_("奖励预算（元）"), max_digits=14, decimal_places=2)
    entries_per_company = forms.IntegerField(label=_("每家企业限报数"), min_value=1, max_value=20, initial=3)
    description = forms.CharField(
        label=_("说明"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_round_fields())
        self.fields["year"].initial = timezone.localdate().year

    def rounds(self) -> dict:
        return {round_name: self.cleaned_data[ROUND_FIELDS[round_name]] for round_name in ROUND_ORDER}


class RescheduleForm(RoundFieldsMixin, forms.Form):
    """The seven round starts, shown as they stand, and the reason for changing them."""

    error_fields = {"reason_required": "reason"}

    def __init__(self, *args, contest: Contest, **kwargs):
        initial = {ROUND_FIELDS[round_name]: contest.round_start(round_name) for round_name in ROUND_ORDER}
        super().__init__(*args, initial=initial, **kwargs)
        self.contest = contest
        self.fields.update(_round_fields())
        self.fields["reason"] = forms.CharField(
            label=_("调整原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
        )

    def rounds(self) -> dict:
        """The posted starts. The inputs show minutes only, so a start posted as it was shown keeps
        its exact stored time (seconds included): an untouched round is not moved."""
        starts = {}
        for round_name in ROUND_ORDER:
            posted = self.cleaned_data[ROUND_FIELDS[round_name]]
            stored = self.contest.round_start(round_name)
            starts[round_name] = stored if posted == stored.replace(second=0, microsecond=0) else posted
        return starts

    @property
    def reason(self) -> str:
        return self.cleaned_data["reason"]
