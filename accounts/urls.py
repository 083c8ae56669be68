from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import pages as views
from accounts.views import sign_in

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", sign_in.LoginView.as_view(), name="login"),
    path("accounts/login/verify/", sign_in.login_verify, name="login-verify"),
    path("accounts/login/setup/", sign_in.totp_setup, name="login-setup"),
    path("accounts/logout/", sign_in.LogoutView.as_view(), name="logout"),
    path("accounts/security/", sign_in.security, name="security"),
    path("accounts/security/totp/", sign_in.totp_setup, name="totp-setup"),
    path("accounts/password/", sign_in.password_change, name="password-change"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/done/", views.register_done, name="register-done"),
    path("accounts/confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("accounts/invitation/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("accounts/password-reset/", sign_in.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("accounts/reset/<uidb64>/<token>/", sign_in.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("home/", views.home, name="home"),
    path("home/<slug:role>/", views.role_home, name="role-home"),
    path("organisation/", views.my_organisation, name="my-organisation"),
    path("organisation/reverify/", views.request_reverification, name="request-reverification"),
    path("organisation/evidence/", views.verification_evidence_upload, name="verification-evidence-upload"),
    path("organisation/evidence/<int:pk>/", views.verification_evidence_download, name="verification-evidence"),
    path(
        "organisation/evidence/<int:pk>/remove/",
        views.verification_evidence_remove,
        name="verification-evidence-remove",
    ),
    path("organisation/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("operator/organisations/", views.operator_organisations, name="operator-organisations"),
    path("operator/organisations/export/", views.operator_organisation_export, name="operator-organisation-export"),
    path("operator/organisations/<int:pk>/", views.operator_organisation_detail, name="operator-organisation-detail"),
    path("operator/accounts/new/", views.operator_account_create, name="operator-account-create"),
    path("operator/accounts/locked/", sign_in.operator_locked_accounts, name="operator-locked-accounts"),
    path("operator/accounts/<int:pk>/unlock/", sign_in.operator_account_unlock, name="operator-account-unlock"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/<int:pk>/", views.audit_detail, name="audit-detail"),
    path("audit/export/", views.audit_export, name="audit-export"),
]
