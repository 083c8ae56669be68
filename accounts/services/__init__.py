"""Every write in accounts. Import from here: `from accounts.services import organisation_verify`."""

from .people import (
    account_create_by_operator,
    confirmation_token,
    email_confirm,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    organisation_register,
    organisation_reject,
    organisation_request_reverification,
    organisation_verify,
    role_grant,
    role_revoke,
)

__all__ = [
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
    "role_grant",
    "role_revoke",
]
