from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("场景大赛")

    def ready(self):
        from contests import exports  # noqa: F401 — registers the score summary job
        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item

        register_nav_item(_("场景大赛"), url="contests:list", order=40)
        register_nav_item(
            _("我的揭榜"),
            url="contests:my-entries",
            order=315,
            roles=["company"],
            current_for=["contests:entry-detail", "contests:cooperation"],
        )
        register_home_panel("judge", template="contests/_judge_home_panel.html", context=lambda request: {})

        from contests import home_panels

        register_home_panel(
            "operator", template="contests/_operator_home_panel.html", context=home_panels.operator_panel
        )
