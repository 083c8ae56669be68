from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价与看板")

    def ready(self):
        from core.home_panels import register_home_panel  # noqa: F401
        from core.navigation import register_nav_item  # noqa: F401

        # === Frameworks ===
        # === Rounds ===
        from evaluation.selectors import has_evaluation_subject

        register_nav_item(
            _("评估轮次"),
            url="evaluation:round-list",
            order=455,
            roles=["operator"],
            current_for=["evaluation:round-create", "evaluation:round-detail"],
        )
        register_nav_item(
            _("我的评估"),
            url="evaluation:my-evaluations",
            order=310,
            roles=["judge"],
            current_for=["evaluation:round-commitment", "evaluation:subject-material", "evaluation:sheet"],
        )
        register_nav_item(
            _("评估自评"),
            url="evaluation:self-assessment-list",
            order=320,
            visible=has_evaluation_subject,
            current_for=["evaluation:self-assessment"],
        )

        # === Results and findings ===

        # === Typical cases and replications ===

        # === Tolerance register ===
