from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("机构与人员")

    def ready(self):
        # Registers the login audit hooks and this app's job kinds.
        from accounts import exports, signals  # noqa: F401
