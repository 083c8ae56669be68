import pytest
from django.utils.functional import SimpleLazyObject

from accounts import services
from accounts.models import RoleAssignment
from accounts.selectors import person_signed_in
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from tests.factories.accounts import OrganisationFactory, UserFactory, government

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin():
    return UserFactory(roles=["admin"], is_staff=True)


def test_an_auditor_cannot_be_given_a_business_role(sysadmin):
    auditor = UserFactory(organisation=government(), roles=["auditor"])
    with pytest.raises(DomainError, match="三员分立"):
        services.role_grant(actor=sysadmin, user=auditor, role="operator")
    assert auditor.role_assignments.count() == 1


def test_a_business_user_cannot_become_auditor_or_admin(sysadmin):
    official = UserFactory(organisation=government(), roles=["official"])
    for role in ("auditor", "admin"):
        with pytest.raises(DomainError, match="不能与其他角色兼任"):
            services.role_grant(actor=sysadmin, user=official, role=role)
    assert official.role_assignments.count() == 1


def test_a_person_may_hold_several_business_roles(sysadmin):
    person = UserFactory(organisation=government(), roles=["operator"])
    services.role_grant(actor=sysadmin, user=person, role="official")
    person.refresh_from_db()
    assert person.roles == {"operator", "official"}
    record = AuditRecord.objects.get(action="role.grant")
    assert record.before == {"roles": ["operator"]} and record.after == {"roles": ["official", "operator"]}


def test_role_must_fit_the_organisation_kind(sysadmin):
    company_member = UserFactory(organisation=OrganisationFactory(kind="company"))
    with pytest.raises(DomainError, match="与所属机构类型不符"):
        services.role_grant(actor=sysadmin, user=company_member, role="publisher")


def test_operator_grants_only_judge_and_official(operator):
    person = UserFactory(organisation=government())
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=operator, user=person, role="operator")
    services.role_grant(actor=operator, user=person, role="official")
    assert RoleAssignment.objects.filter(user=person, role="official").exists()


def test_company_member_cannot_grant_roles(company_member):
    colleague = UserFactory(organisation=company_member.organisation)
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=UserFactory(organisation=company_member.organisation, roles=["company"]),
            user=colleague,
            role="company",
        )


def test_revoking_admin_removes_admin_site_access(sysadmin):
    second = UserFactory(roles=[])
    services.role_grant(actor=sysadmin, user=second, role="admin")
    second.refresh_from_db()
    assert second.is_staff
    services.role_revoke(actor=sysadmin, user=second, role="admin", reason="调岗")
    second.refresh_from_db()
    assert not second.is_staff and second.roles == frozenset()


def test_a_role_a_person_gives_themselves_counts_at_once_on_their_request():
    """request.user is a lazy proxy of the person (AuthenticationMiddleware's SimpleLazyObject): the
    roles loaded with them are forgotten on the person behind it, not on the proxy."""
    operator = UserFactory(organisation=government(), roles=["operator"])
    request_user = SimpleLazyObject(lambda: person_signed_in(operator.pk))
    assert not request_user.has_role("official")  # read earlier in the request
    services.role_grant(actor=request_user, user=request_user, role="official")
    assert request_user.has_role("official")
    services.role_revoke(actor=request_user, user=request_user, role="official", reason="调岗")
    assert not request_user.has_role("official")
