import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, User
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from tests.factories.accounts import DistrictFactory, OrganisationFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "company",
    "name": "宁波甬江视觉科技有限公司",
    "credit_code": valid_credit_code(77),
    "address": "宁波市鄞州区首南街道",
    "is_high_growth": "on",
    "display_name": "林晓",
    "phone": "13805740000",
    "email": "linxiao@yongjiang.example",
    "username": "linxiao",
    "password1": "Haishu-Vision-88",
    "password2": "Haishu-Vision-88",
}


@pytest.fixture
def registration_form():
    district = DistrictFactory()
    return {**FORM, "district": district.pk}


def _confirm_link(message) -> str:
    return re.search(r"http://\S+/accounts/confirm/\S+/", message.body).group(0)


def test_company_registers_confirms_email_and_waits_for_verification(
    client, registration_form, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_form)
    assert response.status_code == 302 and response.url == reverse("accounts:register-done")

    organisation = Organisation.objects.get(credit_code=FORM["credit_code"])
    user = User.objects.get(username="linxiao")
    assert organisation.verification_status == "pending" and organisation.is_high_growth
    assert not user.is_active and user.is_organisation_admin and user.roles == {"company"}
    # Until the e-mail is confirmed the account cannot log in.
    assert not client.login(username="linxiao", password=FORM["password1"])

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [FORM["email"]]
    link = _confirm_link(mail.outbox[0])
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert "邮箱已确认" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None
    assert Notification.objects.filter(recipient=operator, title__contains=organisation.name).exists()
    assert client.login(username="LINXIAO", password=FORM["password1"])  # log-in names ignore case


def test_registration_form_shows_each_problem_on_its_field_and_creates_nothing(client, registration_form):
    OrganisationFactory(credit_code=valid_credit_code(5))
    UserFactory(username="taken", email="taken@example.com")
    bad = {
        **registration_form,
        "credit_code": valid_credit_code(5),
        "username": "taken",
        "password2": "different-2026",
        "phone": "12345",
    }
    response = client.post(reverse("accounts:register"), bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert "两次输入的密码不一致。" in form.errors["password2"]
    assert "请输入 11 位手机号。" in form.errors["phone"]
    assert Organisation.objects.count() == 1 and User.objects.count() == 1

    response = client.post(reverse("accounts:register"), {**bad, "password2": bad["password1"], "phone": "13805740000"})
    assert "该统一社会信用代码已注册" in response.context["form"].errors["credit_code"][0]
    assert Organisation.objects.count() == 1


def test_registration_rejects_a_bad_credit_code_inline(client, registration_form):
    response = client.post(
        reverse("accounts:register"), {**registration_form, "credit_code": FORM["credit_code"][:-1] + "0"}
    )
    assert "校验位不正确" in response.context["form"].errors["credit_code"][0]
    assert not Organisation.objects.exists()


def test_only_companies_and_associations_register_themselves():
    with pytest.raises(DomainError, match="只有企业和行业协会可以自行注册"):
        services.organisation_register(
            kind="soe",
            name="某国企",
            credit_code=valid_credit_code(9),
            district=DistrictFactory(),
            username="soe",
            display_name="甲",
            email="soe@example.com",
            password="Strong-pass-2026",
        )
    assert not Organisation.objects.exists()


def test_tampered_confirmation_link_is_refused(client, registration_form):
    client.post(reverse("accounts:register"), registration_form)
    user = User.objects.get(username="linxiao")
    token = services.confirmation_token(user)
    response = client.get(reverse("accounts:confirm-email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "确认链接无效" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_operator_verifies_an_organisation_and_members_are_told(operator, company_member):
    organisation = company_member.organisation
    organisation.verification_status = "pending"
    organisation.save()
    services.organisation_verify(actor=operator, organisation=organisation, note="材料齐全")
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.verified_by == operator
    record = AuditRecord.objects.get(action="organisation.verify")
    assert (
        record.actor == operator
        and record.before["verification_status"] == "pending"
        and record.after["verification_status"] == "verified"
    )
    assert Notification.objects.filter(recipient=company_member, title__contains="已通过机构认证").exists()


def test_rejection_needs_a_reason_and_the_admin_can_ask_again(operator, company_member):
    organisation = company_member.organisation
    organisation.verification_status = "pending"
    organisation.save()
    with pytest.raises(DomainError, match="请填写不通过的原因"):
        services.organisation_reject(actor=operator, organisation=organisation, reason="  ")
    services.organisation_reject(actor=operator, organisation=organisation, reason="营业执照与名称不符")
    organisation.refresh_from_db()
    assert organisation.verification_status == "rejected" and organisation.verification_note == "营业执照与名称不符"
    services.organisation_request_reverification(actor=company_member)
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"


def test_only_operators_verify(company_member):
    with pytest.raises(PermissionDenied):
        services.organisation_verify(actor=company_member, organisation=company_member.organisation)


def test_operator_pages_answer_404_to_other_roles(client, company_member):
    client.force_login(company_member)
    assert client.get(reverse("accounts:operator-organisations")).status_code == 404
    assert (
        client.get(reverse("accounts:operator-organisation-detail", args=[company_member.organisation_id])).status_code
        == 404
    )


def test_operator_verifies_on_the_page(client, operator):
    pending = OrganisationFactory(verification_status="pending")
    client.force_login(operator)
    response = client.post(
        reverse("accounts:operator-organisation-detail", args=[pending.pk]), {"action": "verify"}, follow=True
    )
    assert "已认证" in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_verified


def test_operator_reject_without_reason_shows_form_error(client, operator):
    pending = OrganisationFactory(verification_status="pending")
    client.force_login(operator)
    response = client.post(
        reverse("accounts:operator-organisation-detail", args=[pending.pk]), {"action": "reject", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["reject_form"].errors["reason"]
    pending.refresh_from_db()
    assert pending.verification_status == "pending"


def test_only_verified_organisations_may_enter_contests(operator):
    from accounts.permissions import organisation_may_enter_contests

    organisation = OrganisationFactory(verification_status="pending")
    assert not organisation_may_enter_contests(organisation)
    services.organisation_verify(actor=operator, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation_may_enter_contests(organisation)
    assert not organisation_may_enter_contests(None)


@pytest.mark.parametrize("roles", [["company"], ["judge"], []])
def test_asking_for_another_review_is_the_organisation_admins_action_404_to_other_members(client, roles):
    """Found by the access matrix: a member who is not the organisation's admin was sent back with a
    message (302), which tells them the action exists; now 404, and nothing changes."""
    organisation = OrganisationFactory(verification_status="rejected")
    member = UserFactory(organisation=organisation, roles=roles, is_organisation_admin=False)
    client.force_login(member)
    assert client.post(reverse("accounts:request-reverification")).status_code == 404
    organisation.refresh_from_db()
    assert organisation.verification_status == "rejected"
