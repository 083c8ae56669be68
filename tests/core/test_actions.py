"""page_action: the one way a page calls a service and reports what happened."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.actions import FormGroup, action_redirect, batch_action, page_action
from core.batches import BatchResult, each_on_its_own
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


def test_a_service_for_visitors_gets_no_actor():
    request = _request()

    def register(*, name):
        return name

    outcome = page_action(request, register, name="甲", success="已注册。")
    assert outcome.ok and outcome.value == "甲"
    assert _texts(request) == [("success", "已注册。")]


class UsernameForm(forms.Form):
    error_fields = {"username_taken": "username"}

    username = forms.CharField()


def test_a_refusal_lands_on_the_field_the_form_names_for_its_code():
    request = _request()
    form = UsernameForm({"username": "zhang"})
    assert form.is_valid()

    def taken(*, actor):
        raise DomainError("用户名已被使用。", code="username_taken")

    def other(*, actor):
        raise DomainError("不允许。")

    page_action(request, taken, form=form)
    page_action(request, other, form=form)
    assert form.errors["username"] == ["用户名已被使用。"]
    assert form.non_field_errors() == ["不允许。"]


def test_a_form_group_sends_each_error_to_its_form_or_list():
    request = _request()
    first, second = NameForm({"name": "甲"}), UsernameForm({"username": "zhang"})
    assert first.is_valid() and second.is_valid()
    listed: list[str] = []

    def invalid(*, actor):
        raise ValidationError(
            {
                "name": ["名称重复。"],
                "username": ["用户名不对。"],
                "items": ["第 1 项缺少名称。"],
                "other": ["别的问题。"],
            }
        )

    outcome = page_action(request, invalid, form=FormGroup(first, None, second, lists={"items": listed}))
    assert not outcome.ok
    assert first.errors["name"] == ["名称重复。"] and first.non_field_errors() == ["别的问题。"]
    assert second.errors["username"] == ["用户名不对。"]
    assert listed == ["第 1 项缺少名称。"]


def test_a_batch_is_done_item_by_item_and_the_page_says_each_refusal():
    request = _request()
    closed = {"乙"}

    def review_one(item):
        if item in closed:
            raise DomainError("已关闭。")

    def review_many(*, actor, items):
        return each_on_its_own(items, review_one, label=lambda item: item)

    outcome = batch_action(request, review_many, items=["甲", "乙", "丙"], success=lambda count: f"已处理 {count} 项。")
    assert outcome.ok and outcome.value == BatchResult(done=2, refused=["乙：已关闭。"])
    assert _texts(request) == [("success", "已处理 2 项。"), ("error", "乙：已关闭。")]


def test_a_batch_where_nothing_was_done_says_only_the_refusals():
    request = _request()

    def refuse(item):
        raise DomainError("不行。")

    def refuse_all(*, actor, items):
        return each_on_its_own(items, refuse, label=str)

    batch_action(request, refuse_all, items=[1], success=lambda count: "不该出现")
    assert _texts(request) == [("error", "1：不行。")]
