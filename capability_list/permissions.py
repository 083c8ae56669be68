"""Who may do what with capability entries."""

from accounts.choices import Role
from capability_list.choices import EntryStatus

EDITABLE = {EntryStatus.DRAFT, EntryStatus.RETURNED}


def is_operator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.OPERATOR))


def is_company_member_of(user, company) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COMPANY) and user.organisation_id == company.pk)


def is_association_member(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.ASSOCIATION) and user.organisation_id)


def can_submit_for(user, company) -> bool:
    """A company's own members, or an association on a member company's behalf."""
    return company.kind == "company" and (is_company_member_of(user, company) or is_association_member(user))


def can_manage_entry(user, entry) -> bool:
    """The company's members, and the association that filed it."""
    if not (user and user.is_authenticated):
        return False
    if is_company_member_of(user, entry.company):
        return True
    return is_association_member(user) and entry.submitted_via_id == user.organisation_id


def can_view_entry(user, entry) -> bool:
    return entry.status == EntryStatus.LISTED or is_operator(user) or can_manage_entry(user, entry)


def can_edit_entry(user, entry) -> bool:
    return can_manage_entry(user, entry) and entry.status in EDITABLE
