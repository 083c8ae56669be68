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

        # === Programme tasks ===

        # === SOE assessment ===
        register_nav_item(
            _("国企考核"),
            url="steering:assessment-scorecard",
            order=475,
            roles=["operator", "official"],
            current_for=[
                "steering:assessment-credit",
                "steering:assessment-scheme",
                "steering:assessment-records",
                "steering:product-use-list",
                "steering:product-use-detail",
                "steering:product-use-queue",
            ],
        )
        register_nav_item(
            _("入围产品使用"),
            url="steering:product-use-list",
            order=230,
            roles=["publisher"],
            current_for=[
                "steering:product-use-create",
                "steering:product-use-from-agreement",
                "steering:product-use-detail",
            ],
        )

        # === Cockpit ===

        # === Reports ===
