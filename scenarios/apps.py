from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = _("应用场景")

    def ready(self):
        from core.home_panels import register_home_panel
        from scenarios import exports, home_panels  # noqa: F401 — exports registers its job kind

        register_home_panel("publisher", template="scenarios/panels/publisher.html", context=home_panels.publisher_panel)
        register_home_panel("operator", template="scenarios/panels/operator.html", context=home_panels.operator_panel)
