from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _challenge_followed(user, scenario) -> bool:
    from contests.publisher_selectors import latest_challenge_followed

    scenario.challenge_followed = latest_challenge_followed(user, scenario)
    return scenario.challenge_followed is not None


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("场景大赛")

    def ready(self):
        from django.urls import reverse

        from contests import (
            exports,  # noqa: F401 — registers the score summary job
            home_panels,
            publisher_views,
        )
        from contests.entry_calls import CALLS_SHOW, calls_change_at, calls_for_scenarios
        from core.home_panels import PUBLIC, register_home_panel
        from core.navigation import register_nav_item
        from scenarios.extensions import register_detail_link, register_scenario_calls

        register_nav_item(_("场景大赛"), url="contests:list", order=40)
        register_nav_item(
            _("我的揭榜"),
            url="contests:my-entries",
            order=315,
            roles=["company"],
            current_for=["contests:entry-detail", "contests:cooperation"],
        )
        # Judges: the roadshows they score, beside 我的评估 (evaluation's rounds).
        register_nav_item(
            _("我的评审"),
            url="contests:judge-home",
            order=305,
            roles=["judge"],
            current_for=["contests:judge-profile", "contests:score-sheet"],
        )
        register_scenario_calls(calls_for_scenarios, shows=CALLS_SHOW, changes_at=calls_change_at)
        register_home_panel(PUBLIC, template="contests/_public_home_panel.html", context=home_panels.public_panel)
        register_home_panel("judge", template="contests/_judge_home_panel.html", context=home_panels.judge_panel)
        register_home_panel(
            "publisher", template="contests/_publisher_home_panel.html", context=publisher_views.publisher_home_panel
        )
        register_home_panel(
            "operator", template="contests/_operator_home_panel.html", context=home_panels.operator_panel
        )
        register_home_panel("company", template="contests/_company_home_panel.html", context=home_panels.company_panel)
        register_detail_link(
            _("跟踪榜单"),
            # scenarios.extensions asks visible(user, scenario) first, then url(scenario): the
            # challenge found for this person is kept on the scenario in between.
            url=lambda scenario: reverse("contests:challenge-follow", args=[scenario.challenge_followed.pk]),
            visible=_challenge_followed,
            shows=CALLS_SHOW,
        )
