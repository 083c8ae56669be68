from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价与看板")

    def ready(self):
        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item
        from evaluation import (
            home_panels,
            reports,  # noqa: F401 — registers the round report job (evaluation.round_report)
        )

        register_home_panel(
            "operator", template="evaluation/_operator_home_panel.html", context=home_panels.operator_panel
        )
        register_home_panel("judge", template="evaluation/_expert_home_panel.html", context=home_panels.expert_panel)
        from evaluation.permissions import may_use_tolerance_register, organisation_has_findings
        from evaluation.selectors import has_evaluation_subject

        # Operators: one entry, the 场景评估 page, which leads to every evaluation task.
        register_nav_item(
            _("场景评估"),
            url="evaluation:hub",
            order=452,
            roles=["operator"],
            current_for=[
                "evaluation:framework-list",
                "evaluation:framework-new",
                "evaluation:framework-detail",
                "evaluation:framework-edit",
                "evaluation:framework-new-version",
                "evaluation:framework-diff",
                "evaluation:round-list",
                "evaluation:round-create",
                "evaluation:round-detail",
                "evaluation:subject-figures",
                "evaluation:report",
                "evaluation:result",
                "evaluation:findings",
                "evaluation:finding",
                "evaluation:case-queue",
                "evaluation:replication-queue",
                "evaluation:tolerance-list",
                "evaluation:tolerance-detail",
            ],
        )
        # Experts: their rounds; a lead finds the consensus queue there.
        register_nav_item(
            _("我的评估"),
            url="evaluation:my-evaluations",
            order=310,
            roles=["judge"],
            current_for=[
                "evaluation:round-commitment",
                "evaluation:subject-material",
                "evaluation:sheet",
                "evaluation:consensus",
            ],
        )
        # An organisation's working users, only when there is something for them (one query).
        register_nav_item(
            _("本单位评估"),
            url="evaluation:self-assessment-list",
            order=320,
            visible=has_evaluation_subject,
            depends_on=["evaluation.SubjectOrganisation"],
            current_for=["evaluation:self-assessment"],
        )
        register_nav_item(
            _("整改清单"),
            url="evaluation:rectification",
            order=330,
            visible=organisation_has_findings,
            depends_on=["evaluation.Finding"],
            current_for=["evaluation:finding"],
        )
        register_nav_item(
            _("包容期"),
            url="evaluation:tolerance-mine",
            order=340,
            roles=["publisher"],
            visible=may_use_tolerance_register,
            depends_on=["evaluation.TolerancePeriod"],
        )
        # Officials: the closed rounds' published results and reports.
        register_nav_item(
            _("评估结果"),
            url="evaluation:published",
            order=455,
            roles=["official"],
            current_for=["evaluation:report", "evaluation:result"],
        )
        # Everyone: the published typical cases.
        register_nav_item(_("典型案例"), url="evaluation:case-list", order=45, current_for=["evaluation:case-detail"])
