"""Who may do what with capability entries, imports and enquiries: plain predicates."""

from rest_framework.permissions import BasePermission

from accounts.choices import Role
from accounts.permissions import (  # the project's one is_operator, also for this app's callers
    acts_for,
    has_role,
    is_operator,
)
from capability_list.choices import EntryStatus

EDITABLE = {EntryStatus.DRAFT, EntryStatus.RETURNED}

# The roles under which an organisation asks and answers enquiries (咨询对接): a company's company
# users, and the publisher (发榜方) of an enterprise, department or institute — each organisation
# kind admits only one of the two. A colleague who is only a judge, or has no role, does neither.
ENQUIRY_ROLES = (Role.COMPANY, Role.PUBLISHER)


def is_company_member(user) -> bool:
    return has_role(user, Role.COMPANY)


def is_company_member_of(user, company) -> bool:
    return acts_for(user, company.pk, Role.COMPANY)


def is_association_member(user) -> bool:
    return bool(has_role(user, Role.ASSOCIATION) and user.organisation_id)


def can_file_entries(user) -> bool:
    """Companies file their own entries; associations file for member companies."""
    return is_company_member(user) or is_association_member(user)


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


def can_change_listed_entry(user, entry) -> bool:
    """A listed entry is changed (through review) by the company role of the owning organisation only."""
    return entry.status == EntryStatus.LISTED and is_company_member_of(user, entry.company)


def can_see_evidence(user, entry) -> bool:
    """Credential evidence is private: the entry's managers and the operators who review it."""
    return is_operator(user) or can_manage_entry(user, entry)


def can_add_evidence(user, entry) -> bool:
    return can_manage_entry(user, entry) and entry.status != EntryStatus.WITHDRAWN


def can_import(user) -> bool:
    """Bulk import from Excel: associations (for their members) and operators."""
    return is_operator(user) or is_association_member(user)


def can_ask(user) -> bool:
    """Enquiries are asked by companies."""
    return bool(is_company_member(user) and user.organisation_id)


def uses_enquiries(user) -> bool:
    """The enquiries page: operators (every enquiry), and whoever asks or answers for an organisation."""
    return is_operator(user) or acts_for(user, getattr(user, "organisation_id", None), *ENQUIRY_ROLES)


def may_see_events(user) -> bool:
    """论证会/对接会: operators run them; the publisher and company roles of an organisation take part
    (each sees the events with its scenarios or entries on the agenda). Nobody else has events: not
    a member without a role, and not the 三员 (an auditor reads the audit log, not business pages)."""
    return is_operator(user) or acts_for(user, getattr(user, "organisation_id", None), Role.PUBLISHER, Role.COMPANY)


class MaySeeEvents(BasePermission):
    """DRF: may_see_events (everyone else is answered 404, config.api_errors)."""

    def has_permission(self, request, view):
        return may_see_events(request.user)


def can_answer(user, enquiry) -> bool:
    """The organisation the enquiry is addressed to answers it (its enquiry role, ENQUIRY_ROLES)."""
    return acts_for(user, enquiry.addressee_id, *ENQUIRY_ROLES)


def is_asker_of(user, enquiry) -> bool:
    """The organisation that asked (its enquiry role): it rates the answer."""
    return acts_for(user, enquiry.company_id, *ENQUIRY_ROLES)
