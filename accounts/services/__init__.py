"""Every write in accounts, one module per topic. Import from here: `from accounts.services import organisation_verify`.

(roles.role_assign and the helpers in users.py serve the other service modules, not pages.)
"""

from .evidence import verification_evidence_remove, verification_evidence_upload
from .invitations import invitation_accept, invitation_create, invitation_revoke
from .organisations import (
    organisation_register,
    organisation_reject,
    organisation_request_reverification,
    organisation_verify,
)
from .passwords import password_change, password_reset_requested, password_reset_set
from .registration import registration_mail_allowed_at, registration_mail_resend
from .roles import role_check_compatible, role_grant, role_revoke
from .second_factor import (
    recovery_code_use,
    recovery_codes_regenerate,
    second_factor_verify,
    totp_enrol_confirm,
    totp_enrol_start,
)
from .sign_in import account_unlock
from .tokens import api_token_issue, api_tokens_revoke
from .users import account_create_by_operator, confirmation_token, email_confirm, password_setup_link

__all__ = [
    "password_change",
    "password_reset_requested",
    "password_reset_set",
    "recovery_code_use",
    "recovery_codes_regenerate",
    "second_factor_verify",
    "totp_enrol_confirm",
    "totp_enrol_start",
    "account_unlock",
    "api_token_issue",
    "api_tokens_revoke",
    "account_create_by_operator",
    "confirmation_token",
    "email_confirm",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "organisation_register",
    "organisation_reject",
    "organisation_request_reverification",
    "organisation_verify",
    "password_setup_link",
    "registration_mail_allowed_at",
    "registration_mail_resend",
    "role_check_compatible",
    "role_grant",
    "role_revoke",
    "verification_evidence_remove",
    "verification_evidence_upload",
]
