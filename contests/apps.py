from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("场景大赛")

    def ready(self):
        from contests import exports  # noqa: F401 — registers the score summary job
