from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    """统筹调度: the officials' programme — 十百千 targets, the six tasks and their 定期调度 reports,
    SOE assessment, the 驾驶舱 and the reports centre (policy §一(三), §三, §四(三), §四(四))."""

    name = "steering"
    verbose_name = _("统筹调度")

    def ready(self):
        from core.navigation import register_nav_item  # noqa: F401

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

        # === Reports ===
