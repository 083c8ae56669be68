from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("场景大赛")

    def ready(self):
        from contests import exports  # noqa: F401 — registers the score summary job
        from contests.entry_calls import calls_for_scenarios
        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item
        from scenarios.extensions import register_scenario_calls

        register_nav_item(_("场景大赛"), url="contests:list", order=40)
        register_nav_item(
            _("我的揭榜"),
            url="contests:my-entries",
            order=315,
            roles=["company"],
            current_for=["contests:entry-detail", "contests:cooperation"],
        )
        register_scenario_calls(calls_for_scenarios)
        register_home_panel("judge", template="contests/_judge_home_panel.html", context=lambda request: {})
