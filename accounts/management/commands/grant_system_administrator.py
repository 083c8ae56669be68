"""Make a person the 系统管理员 from the command line: the first administrator of a new installation
(there is nobody yet to grant it in the portal), in place of createsuperuser.

The role goes through accounts.services.role_assign (三员分立 checked, audited with the actor
“系统”): is_staff and the 系统管理员 group's model permissions, nothing more. An account that does not
exist yet is opened without a usable password; its holder sets one with the password-reset link
sent to the e-mail address given."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import Role
from accounts.models import User
from accounts.services.roles import role_assign
from core.errors import DomainError


class Command(BaseCommand):
    help = "授予系统管理员角色（首个管理员）/ grant the system administrator role"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="新账号的邮箱（账号不存在时必填）")

    @transaction.atomic
    def handle(self, *args, username, email, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            if not email:
                raise CommandError("账号不存在：请用 --email 提供邮箱以新建账号 (no such user: give --email).")
            user = User(username=username, email=email, is_active=True)
            user.set_unusable_password()
            user.save()
        if user.has_role(Role.ADMIN):
            self.stdout.write(f"{user.username} 已是系统管理员。")
            return
        try:
            role_assign(actor=None, user=user, role=Role.ADMIN)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"已授予 {user.username} 系统管理员角色。")
