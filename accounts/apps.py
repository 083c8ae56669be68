from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("机构与人员")

    def ready(self):
        # Registers the login audit hooks, this app's job kinds and its system checks.
        from accounts import checks, exports, signals  # noqa: F401
        from accounts.api.authentication import API_TOKENS, API_TOKENS_SHOW
        from core.navigation import menu_reads, register_nav_item, signed_in
        from core.page_cache import register_page_scope

        register_page_scope(API_TOKENS, *API_TOKENS_SHOW)

        # Every item's `roles` reads the person's role assignments: a grant or a revocation changes the menu.
        menu_reads("accounts.RoleAssignment")
        register_nav_item(_("首页"), url="public-home", order=10)
        register_nav_item(
            _("工作台"), url="accounts:home", order=100, visible=signed_in, current_for=["accounts:role-home"]
        )
        register_nav_item(
            _("本机构"),
            url="accounts:my-organisation",
            order=110,
            visible=lambda user: user.is_authenticated and bool(user.organisation_id),
        )
        register_nav_item(_("机构审核"), url="accounts:operator-organisations", order=440, roles=["operator"])
        register_nav_item(_("审计日志"), url="accounts:audit-log", order=500, roles=["auditor"])
        register_nav_item(_("系统管理"), url="admin:index", order=510, roles=["admin"])
