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
        from steering.permissions import is_unit_reporter, may_read_programme

        register_nav_item(
            _("我的报送"),
            url="steering:programme-mine",
            order=456,
            roles=["official"],
            visible=is_unit_reporter,
            current_for=["steering:programme-report", "steering:programme-notice"],
        )
        register_nav_item(
            _("定期调度"),
            url="steering:programme-tasks",
            order=457,
            visible=may_read_programme,
            current_for=[
                "steering:programme-task",
                "steering:programme-cycles",
                "steering:programme-cycle",
                "steering:programme-review",
                "steering:programme-notices",
                "steering:programme-units",
            ],
        )

        # === SOE assessment ===

        # === Cockpit ===

        # === Reports ===
