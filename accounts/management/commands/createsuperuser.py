"""Django's createsuperuser, refused where the settings allow no superuser (production, 三员分立):
there the system administrator is made with grant_system_administrator."""

from django.conf import settings
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        if not settings.PORTAL_ALLOW_SUPERUSER:
            raise CommandError(
                "生产环境不设超级用户（三员分立）："
                "请用 manage.py grant_system_administrator <用户名> 授予系统管理员角色 "
                "(no superuser in production: use manage.py grant_system_administrator <username>)."
            )
        return super().handle(*args, **options)
