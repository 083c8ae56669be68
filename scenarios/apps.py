from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = _("应用场景")

    def ready(self):
        from core.home_panels import PUBLIC, register_home_panel
        from core.navigation import register_nav_item
        from core.page_cache import register_page_scope
        from scenarios import exports, home_panels  # noqa: F401 — exports registers its job kind
        from scenarios.selectors import (
            CATALOGUE_PAGES,
            CATALOGUE_SHOWS,
            REVIEW_QUEUE_PAGES,
            REVIEW_QUEUE_SHOWS,
            SCENARIO_PAGE_SHOWS,
            SCENARIO_PAGES,
        )

        register_home_panel(PUBLIC, template="scenarios/_public_home_panel.html", context=home_panels.public_panel)
        register_home_panel(
            "publisher", template="scenarios/_publisher_home_panel.html", context=home_panels.publisher_panel
        )
        register_home_panel(
            "operator", template="scenarios/_operator_home_panel.html", context=home_panels.operator_panel
        )

        register_page_scope(CATALOGUE_PAGES, *CATALOGUE_SHOWS)
        register_page_scope(SCENARIO_PAGES, *SCENARIO_PAGE_SHOWS)
        register_page_scope(REVIEW_QUEUE_PAGES, *REVIEW_QUEUE_SHOWS)
        register_nav_item(_("应用场景"), url="scenarios:catalogue", order=20)
        register_nav_item(_("我的场景"), url="scenarios:mine", order=200, roles=["publisher"])
        register_nav_item(_("场景审核"), url="scenarios:review-queue", order=400, roles=["operator"])
        register_nav_item(_("场景领域"), url="scenarios:domains", order=450, roles=["operator"])
