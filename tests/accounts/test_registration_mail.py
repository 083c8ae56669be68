"""Registration with the mail server down, registering again, and what the answer reveals (#18).

With the mail server down, registering answered 500 after creating the organisation and the person
could never register again; and the registration form said whether a user name or an e-mail
address already had an account. Now the registration is saved, the page after it says the mail
could not be sent and sends it again on request (at most once a minute, five times an hour), a
registration that could not be finished is taken up again, and the answer is the same page
whatever is taken — only the mail says which."""

import logging
import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, RegistrationMail, User
from tests.accounts.test_registration import FORM
from tests.factories.accounts import DistrictFactory, OrganisationFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db

DOWN = "tests.accounts.test_registration_mail.MailServerDown"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def form():
    return {**FORM, "district": DistrictFactory().pk}


def _register(client, data, capture):
    with capture(execute=True):
        response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302 and response.url == reverse("accounts:register-done"), response.content
    return client.get(reverse("accounts:register-done")).content.decode()


def _resend(client, capture):
    with capture(execute=True):
        response = client.post(reverse("accounts:register-done"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _link(message) -> str:
    return re.search(r"http://\S+/accounts/confirm/\S+/", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_with_the_mail_server_down_the_registration_is_saved_and_the_page_offers_to_send_again(
    client, form, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with caplog.at_level(logging.ERROR, logger="core.after_commit"):
        page = _register(client, form, django_capture_on_commit_callbacks)
    assert Organisation.objects.filter(credit_code=FORM["credit_code"]).exists()
    assert User.objects.filter(username="linxiao", is_active=False).exists()
    assert "邮件未能发送" in page and "重新发送邮件" in page and FORM["email"] in page
    assert any("mail server unavailable" in record.getMessage() for record in caplog.records)
    sent = RegistrationMail.objects.get()
    assert sent.failed and sent.failure == "SMTPServerDisconnected" and sent.sent_at is None

    # The mail server is back: sending again delivers a link that activates the account.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    RegistrationMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    page = _resend(client, django_capture_on_commit_callbacks)
    assert "请查收邮件" in page and "邮件未能发送" not in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [FORM["email"]] and "linxiao" in mail.outbox[0].body
    assert "邮箱已确认" in client.get(_link(mail.outbox[0])).content.decode()
    assert User.objects.get(username="linxiao").is_active


def test_sending_again_is_limited_to_once_a_minute_and_five_times_an_hour(
    client, form, django_capture_on_commit_callbacks
):
    _register(client, form, django_capture_on_commit_callbacks)
    page = _resend(client, django_capture_on_commit_callbacks)
    assert "发送过于频繁，请于" in page and len(mail.outbox) == 1
    for _attempt in range(4):
        RegistrationMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        _resend(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    RegistrationMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert "发送过于频繁，请于" in _resend(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    RegistrationMail.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    _resend(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 6


def test_the_resend_button_acts_only_on_the_visitors_own_registration(client):
    assert client.post(reverse("accounts:register-done")).status_code == 404


def test_registering_again_with_the_same_address_after_a_failed_mail_sends_the_link(
    client, form, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    _register(client, form, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    RegistrationMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))

    page = _register(client, form, django_capture_on_commit_callbacks)

    assert "请查收邮件" in page
    assert Organisation.objects.count() == 1 and User.objects.count() == 1
    assert "邮箱已确认" in client.get(_link(mail.outbox[0])).content.decode()


def test_a_registration_whose_mail_failed_is_taken_up_by_registering_again_with_another_address(
    client, form, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    _register(client, form, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    page = _register(client, {**form, "email": "lin.xiao@yongjiang.example"}, django_capture_on_commit_callbacks)

    assert "请查收邮件" in page
    organisation = Organisation.objects.get()
    user = User.objects.get()
    assert user.email == "lin.xiao@yongjiang.example" and user.organisation == organisation
    assert user.roles == {"company"}
    assert mail.outbox[0].to == ["lin.xiao@yongjiang.example"]
    assert "邮箱已确认" in client.get(_link(mail.outbox[0])).content.decode()


def test_a_registration_whose_link_expired_can_be_registered_again(client, form, django_capture_on_commit_callbacks):
    _register(client, form, django_capture_on_commit_callbacks)
    User.objects.update(date_joined=timezone.now() - timedelta(days=4))
    RegistrationMail.objects.update(
        created_at=timezone.now() - timedelta(days=4), sent_at=timezone.now() - timedelta(days=4)
    )

    again = {**form, "email": "other@yongjiang.example", "username": "lin2"}
    _register(client, again, django_capture_on_commit_callbacks)

    assert User.objects.get().username == "lin2" and Organisation.objects.count() == 1
    assert mail.outbox[-1].to == ["other@yongjiang.example"]


def test_a_live_registration_is_not_taken_over(client, form, django_capture_on_commit_callbacks):
    _register(client, form, django_capture_on_commit_callbacks)
    response = client.post(reverse("accounts:register"), {**form, "email": "intruder@example.com", "username": "x9"})
    assert "该统一社会信用代码已注册" in response.context["form"].errors["credit_code"][0]
    assert User.objects.get().email == FORM["email"]


def test_the_answer_does_not_reveal_a_taken_address_or_user_name(client, form, django_capture_on_commit_callbacks):
    UserFactory(username="taken", email="taken@example.com", display_name="王五", organisation=OrganisationFactory())
    fresh = _register(client, form, django_capture_on_commit_callbacks)

    address_taken = _register(
        client,
        {**form, "credit_code": valid_credit_code(78), "email": "taken@example.com", "username": "someone"},
        django_capture_on_commit_callbacks,
    )
    name_taken = _register(
        client,
        {**form, "credit_code": valid_credit_code(79), "email": "new@yongjiang.example", "username": "TAKEN"},
        django_capture_on_commit_callbacks,
    )

    card = re.compile(r'<div class="card" data-testid="registration-mail">.*?</div>', re.S)
    csrf = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+">')
    pages = [csrf.sub("", card.search(page).group(0)) for page in (fresh, address_taken, name_taken)]
    assert pages[1] == pages[0].replace(FORM["email"], "taken@example.com")
    assert pages[2] == pages[0].replace(FORM["email"], "new@yongjiang.example")
    assert Organisation.objects.filter(credit_code__in=[valid_credit_code(78), valid_credit_code(79)]).count() == 0
    # Only the mailbox's owner learns what happened.
    to_owner, to_name_taker = mail.outbox[1], mail.outbox[2]
    assert to_owner.to == ["taken@example.com"] and "本邮箱已有账号（用户名：taken）" in to_owner.body
    assert "/accounts/password-reset/" in to_owner.body
    assert to_name_taker.to == ["new@yongjiang.example"] and "用户名“TAKEN”已被使用" in to_name_taker.body


def test_the_system_administrator_sees_whether_a_registration_mail_went_out(
    client, form, settings, django_capture_on_commit_callbacks
):
    from tests.admin_checks import system_administrator

    settings.EMAIL_BACKEND = DOWN
    _register(client, form, django_capture_on_commit_callbacks)
    sent = RegistrationMail.objects.get()
    client.force_login(system_administrator())
    assert "SMTPServerDisconnected" in client.get("/admin/accounts/registrationmail/").content.decode()
    page = client.get(f"/admin/accounts/registrationmail/{sent.pk}/change/").content.decode()
    assert FORM["email"] in page and FORM["display_name"] in page  # the account it was for
