from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    """统筹调度: the officials' programme — 十百千 targets, the six tasks and their 定期调度 reports,
    SOE assessment, the 驾驶舱 and the reports centre (policy §一(三), §三, §四(三), §四(四))."""

    name = "steering"
    verbose_name = _("统筹调度")

    def ready(self):
        from accounts.choices import Role
        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item
        from steering import cockpit
        from steering.views.cockpit import official_home_panel

        # === Targets ===
        register_nav_item(
            _("十百千目标"),
            url="steering:target-list",
            order=460,
            roles=["operator", "official"],
            current_for=[
                "steering:target-detail",
                "steering:target-create",
                "steering:target-edit",
                "steering:high-growth-imports",
                "steering:high-growth-import",
            ],
        )

        # === Programme tasks ===

        # === SOE assessment ===

        # === Cockpit ===
        cockpit.register_portal_charts()
        register_nav_item(
            _("驾驶舱"),
            url="steering:cockpit",
            order=456,
            roles=[Role.OFFICIAL, Role.OPERATOR],
            current_for=["steering:cockpit-drill"],
        )
        register_home_panel(
            Role.OFFICIAL, template="steering/cockpit/_official_home_panel.html", context=official_home_panel
        )

        # === Reports ===
