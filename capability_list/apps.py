from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapabilityListConfig(AppConfig):
    name = "capability_list"
    verbose_name = _("能力清单")

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from capability_list import jobs  # noqa: F401 — registers the edition and import job kinds
        from capability_list.matching import jobs as matching_jobs, signals  # noqa: F401 — the rebuild job; rematch on save
        from capability_list.permissions import can_ask, is_operator
        from scenarios.extensions import register_detail_link
        from scenarios.permissions import is_publisher_of

        register_detail_link(
            _("推荐供应商"),
            url=lambda scenario: reverse("capability_list:scenario-suppliers", args=[scenario.pk]),
            visible=lambda user, scenario: scenario.is_public and (is_operator(user) or is_publisher_of(user, scenario)),
        )
        register_detail_link(
            _("咨询发榜方"),
            url=lambda scenario: reverse("capability_list:enquiry-create") + f"?scenario={scenario.pk}",
            visible=lambda user, scenario: scenario.is_public and can_ask(user),
        )
