from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.choices import ROLE_HOME_PRIORITY, RegistrationMailPurpose, Role


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Log-in names are case-insensitive: 张三 types ZHANGSAN or zhangsan alike.
        return self.get(username__iexact=username)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """Refused where the settings allow no superuser (production, 三员分立): createsuperuser
        shows this message; the system administrator is made with grant_system_administrator."""
        from django.conf import settings
        from django.core.exceptions import ValidationError

        if not settings.PORTAL_ALLOW_SUPERUSER:
            raise ValidationError(
                "生产环境不设超级用户（三员分立）：请用 manage.py grant_system_administrator <用户名> "
                "授予系统管理员角色 (no superuser in production: use manage.py grant_system_administrator)."
            )
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person. Belongs to at most one organisation; roles are RoleAssignment rows."""

    display_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_organisation_admin = models.BooleanField(_("机构管理员"), default=False)
    email_confirmed_at = models.DateTimeField(_("邮箱确认时间"), null=True, blank=True)
    # Set when someone other than the person chose the password (an operator, an administrator's
    # script): until they choose their own, every page sends them to the password change page.
    password_change_required = models.BooleanField(_("须修改密码"), default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci", condition=~models.Q(email="")),
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles held, loaded once per request (the list is tiny)."""
        if not self.pk:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def roles_forget(self) -> None:
        """The roles are read again at their next use (after a grant or a revoke). A method, so
        that on request.user — a lazy proxy, whose own __dict__ is not the person's — it still
        reaches the person: their new role shows in the same request."""
        self.__dict__.pop("roles", None)

    @property
    def primary_role(self) -> str | None:
        return next((role for role in ROLE_HOME_PRIORITY if role in self.roles), None)

    @property
    def role_choices(self) -> list[tuple[str, str]]:
        """(code, label) of each role held, in home-page priority order."""
        return [(role.value, str(role.label)) for role in ROLE_HOME_PRIORITY if role in self.roles]

    @property
    def role_labels(self) -> list[str]:
        return [label for _code, label in self.role_choices]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class Invitation(models.Model):
    """An organisation admin invites a colleague by e-mail; the link creates the account."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("邮箱"))
    roles = models.JSONField(_("角色"), default=list)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")

    def __str__(self):
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class RegistrationMail(models.Model):
    """A mail the self-registration sent or tried to send, and whether the mail server took it.

    The page after registering shows its outcome (and offers to send it again when it failed);
    the rows of an address are what limits how often it is mailed (accounts.services.registration)."""

    email = models.EmailField(_("邮箱"))
    purpose = models.CharField(_("用途"), max_length=24, choices=RegistrationMailPurpose.choices)
    user = models.ForeignKey(
        User, verbose_name=_("账号"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    username = models.CharField(_("填写的用户名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("发送失败时间"), null=True, blank=True)
    failure = models.CharField(_("失败原因"), max_length=200, blank=True)

    THROTTLED = "throttled"  # `failure` of a mail not sent because the address was mailed too often

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("注册邮件")
        verbose_name_plural = _("注册邮件")

    def __str__(self):
        return f"{self.email} · {self.get_purpose_display()}"

    @property
    def failed(self) -> bool:
        return self.failed_at is not None

    @property
    def throttled(self) -> bool:
        return self.failure == self.THROTTLED
