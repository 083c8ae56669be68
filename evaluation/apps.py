from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价与看板")

    def ready(self):
        from core.home_panels import register_home_panel  # noqa: F401
        from core.navigation import register_nav_item  # noqa: F401
        from evaluation import reports  # noqa: F401 — registers the round report job (evaluation.round_report)
        from evaluation.permissions import leads_a_scoring_round, organisation_has_findings

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
        register_nav_item(_("问题清单"), url="evaluation:findings", order=460, roles=["operator"])
        register_nav_item(_("整改清单"), url="evaluation:rectification", order=330, visible=organisation_has_findings)
        register_nav_item(
            _("专家组合议"), url="evaluation:consensus", order=340, roles=["judge"], visible=leads_a_scoring_round
        )

        # === Typical cases and replications ===
        register_nav_item(_("典型案例"), url="evaluation:case-list", order=45, current_for=["evaluation:case-detail"])
        register_nav_item(
            _("典型案例审定"),
            url="evaluation:case-queue",
            order=470,
            roles=["operator"],
            current_for=["evaluation:replication-queue"],
        )

        # === Tolerance register ===
        from evaluation.permissions import may_use_tolerance_register

        register_nav_item(
            _("包容期登记"),
            url="evaluation:tolerance-list",
            order=475,
            roles=["operator"],
            current_for=["evaluation:tolerance-detail"],
        )
        register_nav_item(
            _("包容期"),
            url="evaluation:tolerance-mine",
            order=340,
            roles=["publisher"],
            visible=may_use_tolerance_register,
            current_for=["evaluation:tolerance-detail"],
        )
