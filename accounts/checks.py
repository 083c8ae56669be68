"""System checks of accounts: no superuser where the settings allow none (production, 三员分立)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def superusers_absent(app_configs=None, **kwargs):
    """`manage.py check --deploy` fails while an active superuser exists and the settings allow none:
    a superuser holds every right at once, the system administrator only the 系统管理员 group's."""
    if settings.PORTAL_ALLOW_SUPERUSER:
        return []
    from accounts.models import User

    try:
        usernames = list(User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # no database yet (a check before the first migrate): nobody to find
        return []
    if not usernames:
        return []
    return [
        Error(
            f"生产环境不允许超级用户（三员分立），请停用或取消其超级用户身份：{', '.join(usernames)} "
            "(no superuser in production: deactivate these accounts or clear is_superuser).",
            hint="系统管理员通过“系统管理员”角色及其权限组工作：manage.py grant_system_administrator <用户名>。",
            id="accounts.E001",
        )
    ]
