"""What protects a sign-in: previous passwords, API tokens, the TOTP second factor, recovery codes.

None of them keeps a secret a reader of the database could use as it is, except the TOTP seed
(the server must compute the same codes as the person's app): passwords as Django's hashes, tokens
and recovery codes as SHA-256 digests of random keys.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PreviousPassword(models.Model):
    """The hash of a password a person has had (the last few are refused as a new password)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="previous_passwords")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """An API key, kept as its SHA-256 digest; the key itself is shown once, when it is issued.

    The key reads `<prefix>.<secret>`: the prefix finds the row, the digest of the whole key
    proves it. A token dies at `expires_at`, and is deleted at logout, on a password change or
    reset, and when the account is deactivated."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self):
        return f"{self.prefix}…"


class TotpDevice(models.Model):
    """A person's authenticator app (RFC 6238: 30-second steps, 6 digits, SHA-1).

    Unconfirmed until the person has typed one code from it; `last_step` refuses a code used twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64, blank=True)  # the confirmed app's, in base32
    # A new app being set up: it replaces the confirmed one only once a code from it is typed.
    pending_secret = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")

    def __str__(self):
        return str(self.user)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app, kept as its SHA-256 digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self):
        return f"{self.user} · {self.pk}"
