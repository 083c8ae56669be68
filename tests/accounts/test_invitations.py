import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Invitation, User
from core.errors import DomainError, PermissionDenied
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_invites_a_colleague_who_sets_up_an_account(client, company_member, django_capture_on_commit_callbacks):
    client.force_login(company_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:my-organisation"), {"email": "colleague@example.com", "roles": ["company"]}, follow=True
        )
    assert "邀请已发送至 colleague@example.com" in response.content.decode()
    link = re.search(r"/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)

    client.logout()
    response = client.post(
        link,
        {
            "display_name": "赵同事",
            "username": "zhao",
            "password1": "Zhao-Ningbo-7781",
            "password2": "Zhao-Ningbo-7781",
        },
    )
    assert response.status_code == 302
    colleague = User.objects.get(username="zhao")
    assert colleague.organisation == company_member.organisation
    assert colleague.roles == {"company"} and colleague.email == "colleague@example.com"
    assert client.login(username="zhao", password="Zhao-Ningbo-7781")
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404


def test_invitation_offers_only_roles_of_the_organisation_kind(company_member):
    with pytest.raises(DomainError, match="所选角色不适用于本机构"):
        services.invitation_create(actor=company_member, email="x@example.com", roles=["publisher"])
    assert not Invitation.objects.exists()


def test_only_the_organisation_admin_invites(company_member):
    plain = UserFactory(organisation=company_member.organisation, roles=["company"])
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=plain, email="x@example.com", roles=["company"])


def test_non_admin_member_cannot_post_invitations_on_the_page(client, company_member):
    plain = UserFactory(organisation=company_member.organisation, roles=["company"])
    client.force_login(plain)
    assert (
        client.post(reverse("accounts:my-organisation"), {"email": "x@example.com", "roles": ["company"]}).status_code
        == 404
    )
    assert not Invitation.objects.exists()


def test_revoked_invitation_no_longer_works(client, company_member):
    invitation = services.invitation_create(actor=company_member, email="y@example.com", roles=["company"])
    services.invitation_revoke(actor=company_member, invitation=invitation)
    with pytest.raises(DomainError, match="邀请链接无效或已过期"):
        services.invitation_accept(token=invitation.token, username="y", display_name="乙", password="Strong-pass-2026")


def test_operator_creates_a_judge_who_sets_a_password_from_the_email(
    client, operator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:operator-account-create"),
            {"role": "judge", "display_name": "钱教授", "email": "qian@nbu.example", "username": "qian"},
        )
    assert response.status_code == 302
    judge = User.objects.get(username="qian")
    assert judge.roles == {"judge"} and not judge.has_usable_password()
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    client.logout()
    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Judge-pass-2026x", "new_password2": "Judge-pass-2026x"}
    )
    assert response.status_code == 302
    assert client.login(username="qian", password="Judge-pass-2026x")


def test_operator_cannot_create_an_operator_account(operator):
    with pytest.raises(DomainError, match="只能开通评审专家和领导"):
        services.account_create_by_operator(
            actor=operator, role="operator", username="o2", display_name="丙", email="o2@example.com"
        )
