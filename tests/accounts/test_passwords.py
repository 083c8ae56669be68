"""Passwords (等保 level 3): ten characters or more of three classes, none of the last five again,
and a password someone else chose is changed before anything else."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken, PreviousPassword, User
from accounts.validators import PasswordComplexityValidator
from core.errors import DomainError
from core.models import AuditRecord
from demo.accounts import DEMO_PASSWORD
from tests.conftest import TEST_PASSWORD
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Demo@2026", "密码至少需要 10 个字符，当前为 9 个。"),
        ("abcdefghij12", "密码须包含大写字母、小写字母、数字和符号中的至少 3 类。"),
        ("ABCDEFGHIJ-", "密码须包含大写字母、小写字母、数字和符号中的至少 3 类。"),
    ],
)
def test_short_or_simple_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert message in raised.value.messages


@pytest.mark.parametrize(
    "password", ["Haishu-Vision-88", "abcdefgh12-", "ABCDEFGH12x", DEMO_PASSWORD, "宁波场景abcd12"]
)
def test_three_classes_of_ten_characters_pass(password):
    PasswordComplexityValidator().validate(password)
    validate_password(password)


def _change(client, old, new):
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_person_changes_their_password_and_the_last_five_are_refused(client):
    person = UserFactory()
    client.force_login(person)
    passwords = [TEST_PASSWORD] + [f"Ningbo-pass-{index}x" for index in range(5)]
    for old, new in zip(passwords, passwords[1:]):
        assert _change(client, old, new).status_code == 302
    assert PreviousPassword.objects.filter(user=person).count() == 5
    # the current one and the four before it are refused; the sixth back is allowed again
    for reused in passwords[2:]:
        page = _change(client, passwords[-1], reused).content.decode()
        assert "新密码不能与最近 5 次使用过的密码相同。" in page
    assert _change(client, passwords[-1], passwords[0]).status_code == 302
    person.refresh_from_db()
    assert person.check_password(passwords[0])
    assert AuditRecord.objects.filter(action="auth.password_change", actor=person).count() == 6


def test_a_wrong_current_password_changes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    page = _change(client, "not-my-password", "Ningbo-pass-99x").content.decode()
    assert "当前密码不正确。" in page
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_the_reset_link_refuses_a_recent_password_and_revokes_tokens(client):
    person = UserFactory(email="li@example.com")
    services.api_token_issue(actor=person)
    client.post(reverse("accounts:password_reset"), {"email": "li@example.com"})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    page = client.post(form_url, {"new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD}).content.decode()
    assert "新密码不能与最近 5 次使用过的密码相同。" in page
    assert ApiToken.objects.filter(user=person).exists()
    response = client.post(form_url, {"new_password1": "Reset-pass-2027", "new_password2": "Reset-pass-2027"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=person).exists()
    assert AuditRecord.objects.filter(action="auth.password_reset", actor=person).exists()


def test_an_account_an_operator_opened_must_change_its_password_first(client, operator):
    judge = services.account_create_by_operator(
        actor=operator, role="judge", username="qian", display_name="钱教授", email="qian@nbu.example"
    )
    assert judge.password_change_required
    # a password its holder did not choose (say an administrator's script set it)
    judge.set_password("Temporary-2026x")
    judge.save()
    client.force_login(judge)
    response = client.get(reverse("accounts:home"))
    assert response.url == reverse("accounts:password-change")
    assert client.get("/api/v1/me/").json() == {"detail": "请先在网页上修改密码。"}
    assert client.get(reverse("accounts:password-change")).status_code == 200
    assert _change(client, "Temporary-2026x", "Qian-own-pass-1").status_code == 302
    judge.refresh_from_db()
    assert not judge.password_change_required
    assert client.get(reverse("accounts:home")).status_code == 302
    assert client.get(reverse("accounts:role-home", args=["judge"])).status_code == 200


def test_setting_the_first_password_from_the_e_mailed_link_is_choosing_it(
    client, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.account_create_by_operator(
            actor=operator, role="judge", username="qian", display_name="钱教授", email="qian@nbu.example"
        )
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Qian-own-pass-1", "new_password2": "Qian-own-pass-1"})
    assert not User.objects.get(username="qian").password_change_required
    assert client.login(username="qian", password="Qian-own-pass-1")
    assert client.get(reverse("accounts:role-home", args=["judge"])).status_code == 200


def test_a_weak_password_is_refused_by_every_way_of_setting_one():
    person = UserFactory()
    with pytest.raises(DomainError, match="至少需要 10 个字符"):
        services.password_change(actor=person, old_password=TEST_PASSWORD, new_password="Short-1")
    with pytest.raises(DomainError, match="至少 3 类"):
        services.password_reset_set(user=person, new_password="alllowercaseletters")


def test_demo_logins_use_a_password_the_policy_accepts_and_are_not_sent_to_change_it(client):
    from demo.accounts import person_ensure

    person_ensure(username="judge", display_name="周立新", organisation=None)
    validate_password(DEMO_PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "judge", "password": DEMO_PASSWORD})
    assert response.url == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200  # no role in this test: no redirect
