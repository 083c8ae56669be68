from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The pages under the 驾驶舱 menu entry (operators and officials move between them by tabs).
STEERING_TAB_PAGES = [
    "steering:cockpit-drill",
    "steering:target-list",
    "steering:target-detail",
    "steering:target-create",
    "steering:target-edit",
    "steering:high-growth-imports",
    "steering:high-growth-import",
    "steering:programme-tasks",
    "steering:programme-task",
    "steering:programme-cycles",
    "steering:programme-cycle",
    "steering:programme-review",
    "steering:programme-notices",
    "steering:programme-units",
    "steering:assessment-scorecard",
    "steering:assessment-credit",
    "steering:assessment-scheme",
    "steering:assessment-records",
    "steering:product-use-queue",
    # === Reports ===
    "steering:reports",
]


class SteeringConfig(AppConfig):
    """统筹调度: the officials' programme — 十百千 targets, the six tasks and their 定期调度 reports,
    SOE assessment, the 驾驶舱 and the reports centre (policy §一(三), §三, §四(三), §四(四))."""

    name = "steering"
    verbose_name = _("统筹调度")

    def ready(self):
        from accounts.choices import Role
        from core.home_panels import register_home_panel
        from core.navigation import register_nav_item
        from steering import cockpit, home_panels
        from steering.permissions import is_unit_reporter
        from steering.views.cockpit import official_home_panel

        # === Targets ===
        # Its pages are tabs of the 驾驶舱 entry (below).

        # === Programme tasks ===
        register_home_panel(
            Role.OPERATOR, template="steering/_operator_home_panel.html", context=home_panels.operator_panel
        )
        register_nav_item(
            _("我的报送"),
            url="steering:programme-mine",
            order=456,
            roles=["official"],
            visible=is_unit_reporter,
            depends_on=["steering.ProgrammeUnit"],
            current_for=["steering:programme-report", "steering:programme-notice"],
        )

        # === SOE assessment ===
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
        cockpit.register_portal_charts()
        from steering.cockpit_programme import register_programme_charts

        register_programme_charts()
        register_nav_item(
            _("驾驶舱"),
            url="steering:cockpit",
            order=450,
            roles=[Role.OFFICIAL, Role.OPERATOR],
            # One menu entry for the whole programme: its pages are the 驾驶舱's tabs (steering/_tabs.html).
            current_for=STEERING_TAB_PAGES,
        )
        register_home_panel(
            Role.OFFICIAL, template="steering/_cockpit_official_home_panel.html", context=official_home_panel
        )

        # === Reports ===
        from steering import report_workbook  # noqa: F401 — registers the monthly report's job kind
