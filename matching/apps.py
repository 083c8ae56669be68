from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Scenario needs ↔ capability entries, both ways: the engine (matching/engine/), the stored
    matches and both sides' answers, the pages and the API that show them (matching/README.md)."""

    name = "matching"
    verbose_name = _("供需匹配")

    def ready(self):
        from django.urls import reverse

        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item
        from matching import (
            home_panels,
            jobs,  # noqa: F401 — registers the rebuild job kind
            recommendation_rows,
            signals,  # noqa: F401 — connects the rematch on save
        )
        from matching.permissions import can_see_suppliers
        from scenarios.extensions import register_detail_link

        register_detail_link(
            _("推荐供应商"),
            url=lambda scenario: reverse("matching:scenario-suppliers", args=[scenario.pk]),
            visible=lambda user, scenario: scenario.is_public and can_see_suppliers(user, scenario),
        )
        register_home_panel("company", template="matching/_company_home_panel.html", context=home_panels.company_panel)
        recommendation_rows.connect()
        register_nav_item(_("推荐场景"), url="matching:recommendations", order=310, roles=["company"])
        register_nav_item(_("匹配结果"), url="matching:matches", order=430, roles=["operator"])
