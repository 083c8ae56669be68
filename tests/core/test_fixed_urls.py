"""core.fixed_urls: a URL name without arguments reversed once per process — the same address as
reverse() gives, under whatever prefix the portal is mounted at."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix

from core.fixed_urls import fixed_url


@pytest.fixture
def mounted_at():
    before = get_script_prefix()

    def mount(prefix: str) -> None:
        set_script_prefix(prefix)

    yield mount
    set_script_prefix(before)


def test_the_address_is_the_one_reverse_gives():
    for name in ("public-home", "steering:cockpit", "accounts:logout", "set_language"):
        assert fixed_url(name) == reverse(name)


def test_a_portal_mounted_under_a_prefix_links_under_it(mounted_at):
    assert fixed_url("steering:cockpit") == "/steering/"
    mounted_at("/portal/")
    assert fixed_url("steering:cockpit") == "/portal/steering/"
    mounted_at("/")
    assert fixed_url("steering:cockpit") == "/steering/"


@override_settings(ROOT_URLCONF="bench.load.server")
def test_another_url_configuration_is_asked_itself():
    assert fixed_url("bench-minimal") == "/bench/minimal/"


def test_an_unknown_name_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        fixed_url("no-such-page")


def test_the_template_tag_escapes_and_links(mounted_at):
    mounted_at("/a&b/")
    html = Template("{% load portal %}<a href=\"{% fixed_url 'steering:cockpit' %}\">").render(Context({}))
    assert html == '<a href="/a&amp;b/steering/">'
