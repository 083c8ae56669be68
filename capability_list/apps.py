from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapabilityListConfig(AppConfig):
    name = "capability_list"
    verbose_name = _("能力清单")

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from capability_list import (
            home_panels,
            jobs,  # noqa: F401 — registers the edition and import job kinds
        )
        from capability_list.permissions import can_ask, uses_enquiries
        from capability_list.selectors import (
            LISTED_ENTRIES,
            LISTED_ENTRIES_SHOW,
            REVIEW_QUEUE_PAGES,
            REVIEW_QUEUE_SHOWS,
        )
        from core.home_panels import PUBLIC, register_home_panel
        from core.navigation import register_nav_item
        from core.page_cache import register_page_scope
        from scenarios.extensions import register_detail_link

        register_home_panel(
            PUBLIC, template="capability_list/_public_home_panel.html", context=home_panels.public_panel
        )
        register_home_panel(
            "operator", template="capability_list/_operator_home_panel.html", context=home_panels.operator_panel
        )
        register_home_panel(
            "company", template="capability_list/_company_home_panel.html", context=home_panels.company_panel
        )
        register_home_panel(
            "publisher", template="capability_list/_publisher_home_panel.html", context=home_panels.publisher_panel
        )
        register_home_panel(
            "association",
            template="capability_list/_association_home_panel.html",
            context=home_panels.association_panel,
        )

        register_page_scope(LISTED_ENTRIES, *LISTED_ENTRIES_SHOW)
        register_page_scope(REVIEW_QUEUE_PAGES, *REVIEW_QUEUE_SHOWS)
        register_detail_link(
            _("咨询发榜方"),
            url=lambda scenario: reverse("capability_list:enquiry-create") + f"?scenario={scenario.pk}",
            visible=lambda user, scenario: scenario.is_public and can_ask(user),
        )

        register_nav_item(_("能力清单"), url="capability_list:list", order=30)
        register_nav_item(_("我的能力清单"), url="capability_list:mine", order=300, roles=["company", "association"])
        register_nav_item(_("批量导入"), url="capability_list:import", order=320, roles=["association", "operator"])
        register_nav_item(_("清单审核"), url="capability_list:review-queue", order=410, roles=["operator"])
        register_nav_item(_("对接活动"), url="capability_list:events", order=420, roles=["operator"])
        register_nav_item(
            _("咨询对接"),
            url="capability_list:enquiries",
            order=520,
            visible=uses_enquiries,
        )
