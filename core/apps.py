from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: errors, audit, jobs, notifications, Excel, uploads, paging, registries.

    It imports nothing from any other app of the portal; every app may import it.
    """

    name = "core"
    verbose_name = _("基础服务")

    def ready(self):
        from core import lookups
        from core.navigation import register_nav_item, signed_in

        lookups.register()

        register_nav_item(_("后台任务"), url="core:jobs", order=600, visible=signed_in)
