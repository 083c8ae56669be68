"""matching's one form: the enquiry a publisher sends an accepted supplier (pre-filled by
matching.selectors.enquiry_draft).

The other pages post buttons, not forms: on 推荐供应商 and 推荐场景 a side answers a match (its id,
the decision and, to decline, a reason code), checked by matching.services.match_answer, whose
Chinese refusal the page shows; on 推荐供应商 the publisher invites an accepted supplier to an event
(matching.services.match_invite); on the match table an operator puts a match on an event's agenda
(capability_list.services.agenda_add) or starts the rebuild job. The table's filters are
matching.filters.MatchFilterSet.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class SupplierEnquiryForm(forms.Form):
    subject = forms.CharField(label=_("主题"), max_length=100)
    question = forms.CharField(label=_("问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))
