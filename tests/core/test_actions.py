"""page_action: the one way a page calls a service and reports what happened."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.actions import action_redirect, page_action
from core.errors import DomainError


class NameForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.user = object()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _texts(request):
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def test_the_service_gets_the_person_as_actor_and_success_is_said():
    request = _request()
    calls = []

    def service(*, actor, value):
        calls.append((actor, value))
        return value * 2

    outcome = page_action(request, service, value=21, success=lambda result: f"得到 {result}")
    assert outcome.ok and outcome.value == 42 and calls == [(request.user, 21)]
    assert _texts(request) == [("success", "得到 42")]


def test_a_refusal_is_shown_as_an_error_message_and_not_raised():
    request = _request()

    def service(*, actor):
        raise DomainError("报名已截止。")

    outcome = page_action(request, service, success="不该出现")
    assert not outcome.ok and outcome.error == "报名已截止。"
    assert _texts(request) == [("error", "报名已截止。")]


def test_with_a_form_the_refusal_and_field_errors_land_on_the_form():
    request = _request()
    form = NameForm({"name": "甲"})
    assert form.is_valid()

    def refused(*, actor):
        raise DomainError("不允许。")

    def invalid(*, actor):
        raise ValidationError({"name": ["名称重复。"], "other": ["别的问题。"]})

    page_action(request, refused, form=form)
    page_action(request, invalid, form=form)
    assert form.errors["name"] == ["名称重复。"]
    assert form.non_field_errors() == ["不允许。", "别的问题。"]
    assert _texts(request) == []


@pytest.mark.parametrize("raised", [DomainError("不行。"), None])
def test_action_redirect_redirects_whatever_happened(raised):
    request = _request()

    def service(*, actor):
        if raised:
            raise raised

    response = action_redirect(request, service, to="/somewhere/", success="好。")
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    assert _texts(request) == ([("error", "不行。")] if raised else [("success", "好。")])
