from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapabilityListConfig(AppConfig):
    name = "capability_list"
    verbose_name = _("能力清单")

    def ready(self):
        from capability_list import editions, imports  # noqa: F401 — register their job kinds
