"""Cross-cutting hooks of signing in (a signal is the right place for them): logins and failed
logins are audited, a new session gets its times and, when it skipped the second factor it
needed, a mark that ends it; a deactivated account loses its API tokens."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.middleware import END_REASON_ATTRIBUTE, session_times_start
from accounts.models import ApiToken, User
from accounts.second_factor import OWES_KEY, VERIFIED_ATTRIBUTE, needs_second_factor
from core.services.audit import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user)
    session = getattr(request, "session", None)
    if session is None:
        return
    session_times_start(session)
    if not getattr(request, VERIFIED_ATTRIBUTE, False) and needs_second_factor(user):
        session[OWES_KEY] = True


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user, reason=getattr(request, END_REASON_ATTRIBUTE, ""))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed is kept, never the password.
    audit_record(actor=None, action="auth.login_failed", after={"username": str(credentials.get("username", ""))[:150]})


@receiver(post_save, sender=User)
def revoke_tokens_of_deactivated(sender, instance, update_fields=None, **kwargs):
    """However an account is deactivated (a service, the admin, a script), its API tokens go."""
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    deleted, _by_model = ApiToken.objects.filter(user=instance).delete()
    if deleted:
        audit_record(
            actor=None, action="auth.token_revoke", target=instance, after={"count": deleted}, reason="停用账号"
        )
