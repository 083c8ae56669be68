"""The page header (core.frame): rendered once per menu and language and kept, with what is the
person's own put in on every request — so a kept header never shows someone else's name, count,
token or address, and shows each person theirs as soon as it changes."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import resolve

from core.services.notifications import notify
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = re.compile(r'<header class="topbar">.*?</header>', re.S)
TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def header(client, path="/scenarios/") -> str:
    return HEADER.search(client.get(path).content.decode()).group(0)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def company_member(name):
    return UserFactory(display_name=name, organisation=OrganisationFactory(), roles=["company"])


def test_two_people_with_the_same_menu_each_see_their_own_name_and_count():
    first, second = company_member("张三"), company_member("李四")
    notify(recipients=[second], title="有新消息", email=False)
    first_header, second_header = header(signed_in(first)), header(signed_in(second))
    assert 'data-testid="current-user">张三</a>' in first_header and "李四" not in first_header
    assert 'data-testid="current-user">李四</a>' in second_header and "张三" not in second_header
    assert 'data-testid="unread-count"' not in first_header
    assert '<span class="badge" data-testid="unread-count">1</span>' in second_header


def test_a_new_message_and_a_new_name_show_on_the_next_page():
    person = company_member("张三")
    client = signed_in(person)
    assert 'data-testid="unread-count"' not in header(client)
    notify(recipients=[person], title="有新消息", email=False)
    person.display_name = "张三丰"
    person.save(update_fields=["display_name"])
    fresh = header(client)
    assert '<span class="badge" data-testid="unread-count">1</span>' in fresh
    assert 'data-testid="current-user">张三丰</a>' in fresh


def test_a_name_is_escaped_and_a_name_that_looks_like_a_placeholder_stays_as_it_is():
    client = signed_in(company_member("<b>@@topbar-csrf@@</b>"))
    assert 'data-testid="current-user">&lt;b&gt;@@topbar-csrf@@&lt;/b&gt;</a>' in header(client)


def test_each_visitor_gets_a_token_of_their_own_in_both_forms():
    first, second = signed_in(company_member("张三")), signed_in(company_member("李四"))
    first_tokens, second_tokens = TOKENS.findall(header(first)), TOKENS.findall(header(second))
    assert len(first_tokens) == len(second_tokens) == 2  # the language switch, the logout
    assert not set(first_tokens) & set(second_tokens)
    assert "@@" not in header(Client())


def test_the_language_switch_returns_to_the_page_being_shown_escaped():
    client = signed_in(company_member("张三"))
    assert '<input name="next" type="hidden" value="/scenarios/?q=a&amp;page=2">' in header(
        client, "/scenarios/?q=a&page=2"
    )
    assert '<input name="next" type="hidden" value="/capabilities/">' in header(client, "/capabilities/")


def test_a_visitor_and_a_signed_in_person_get_their_own_header():
    visitor = header(Client())
    assert '<a href="/accounts/login/">登录</a>' in visitor
    assert "退出" not in visitor and "current-user" not in visitor
    member = header(signed_in(company_member("张三")))
    assert "退出" in member and "企业/协会注册" not in member


def test_the_header_speaks_the_language_of_the_request():
    client = signed_in(company_member("张三"))
    assert "退出" in header(client)
    client.cookies["django_language"] = "en"
    english = header(client)
    assert "退出" not in english and '<option value="en" selected>' in english


# --- a section's tabs (steering/_tabs.html): kept per page shown and language, shown per request

TABS = re.compile(r'<nav class="tabs steering-tabs".*?</nav>', re.S)


def steering_tabs(client, path) -> str | None:
    found = TABS.search(client.get(path).content.decode())
    return found.group(0) if found else None


def test_the_steering_tabs_mark_the_page_being_shown(reference_data):
    client = signed_in(UserFactory(roles=["official"]))
    on_cockpit, on_targets = steering_tabs(client, "/steering/"), steering_tabs(client, "/steering/targets/")
    assert '<a href="/steering/" aria-current="page">驾驶舱</a>' in on_cockpit
    assert on_cockpit.count("aria-current") == 1
    assert '<a href="/steering/targets/" aria-current="page">十百千目标</a>' in on_targets
    assert '<a href="/steering/" aria-current="page">' not in on_targets
    client.cookies["django_language"] = "en"
    assert "驾驶舱" not in steering_tabs(client, "/steering/")


def test_the_steering_tabs_are_shown_by_role_on_every_request():
    """Who sees the tabs is the template's question, asked each time; only the links are kept."""
    request = RequestFactory().get("/steering/product-uses/")
    request.resolver_match = resolve("/steering/product-uses/")
    request.user = UserFactory.build(roles=[])
    request.user.__dict__["roles"] = frozenset({"publisher"})
    assert "steering-tabs" not in render_to_string("steering/_tabs.html", {"request": request})
    request.user.__dict__["roles"] = frozenset({"publisher", "official"})
    shown = render_to_string("steering/_tabs.html", {"request": request})
    assert ' aria-current="page">国企考核</a>' in shown  # the product uses are its tab
    assert shown.count('aria-current="page"') == 1
    request.user.__dict__["roles"] = frozenset({"publisher"})
    assert "steering-tabs" not in render_to_string("steering/_tabs.html", {"request": request})
