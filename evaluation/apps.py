from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价与看板")

    def ready(self):
        from core.home_panels import register_home_panel  # noqa: F401
        from core.navigation import register_nav_item  # noqa: F401

        # === Frameworks ===
        register_nav_item(
            _("评价指标体系"),
            url="evaluation:framework-list",
            order=452,
            roles=["operator"],
            current_for=[
                "evaluation:framework-detail",
                "evaluation:framework-edit",
                "evaluation:framework-diff",
            ],
        )

        # === Rounds ===

        # === Results and findings ===

        # === Typical cases and replications ===

        # === Tolerance register ===
