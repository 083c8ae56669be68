"""Accessibility basics of the server-rendered markup (GB/T 37668, WCAG 2.1 AA); the browser test
tests/browser/test_accessibility.py runs axe-core over whole pages."""

import re

import pytest
from django.urls import reverse

from scenarios.models import Domain
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import publisher_user

pytestmark = pytest.mark.django_db

DESCRIBEDBY = re.compile(r'aria-describedby="([^"]+)"')
ID = re.compile(r'\sid="([^"]+)"')


def dangling_descriptions(page: str) -> list[str]:
    """Ids named by an aria-describedby that no element on the page carries."""
    ids = set(ID.findall(page))
    return [name for names in DESCRIBEDBY.findall(page) for name in names.split() if name not in ids]


def test_help_texts_and_errors_carry_the_ids_their_inputs_point_at(client):
    page = client.get(reverse("accounts:register")).content.decode()
    assert 'aria-describedby="id_credit_code_helptext"' in page
    assert '<span class="help" id="id_credit_code_helptext">' in page
    assert dangling_descriptions(page) == []
    page = client.post(reverse("accounts:register"), {"kind": "company"}).content.decode()
    assert 'aria-describedby="id_credit_code_helptext id_credit_code_error"' in page
    assert dangling_descriptions(page) == []


def test_the_scenario_editor_names_every_field_and_describes_it(client):
    client.force_login(publisher_user())
    page = client.get(reverse("scenarios:create")).content.decode()
    assert dangling_descriptions(page) == []
    # The rows of the technical needs table are labelled for screen readers; the header shows it.
    assert '<label class="visually-hidden" for="id_needs-0-detail">' in page
    page = client.post(
        reverse("scenarios:create"), {"intent": "submit", "needs-TOTAL_FORMS": "0", "needs-INITIAL_FORMS": "0"}
    ).content.decode()
    assert 'class="field has-error"' in page and dangling_descriptions(page) == []


def test_a_radio_group_is_a_fieldset_named_by_its_legend(client):
    page = client.get(reverse("accounts:register")).content.decode()
    group = page.split('<fieldset class="field field-group"')[1].split("</fieldset>")[0]
    assert "<legend>机构类型" in group and 'name="kind"' in group


def test_every_page_starts_with_a_link_that_skips_to_the_main_content(client):
    page = client.get("/").content.decode()
    body = page.split("<body", 1)[1]
    assert body.split("<a ", 1)[1].startswith('class="skip-link" href="#main">跳到主要内容</a>')
    assert '<main id="main">' in page


def test_messages_are_announced_and_form_errors_alert(client):
    client.force_login(publisher_user())
    data = {
        "intent": "save",
        "title": "智慧停车",
        "domain": Domain.objects.filter(parent__isnull=False).first().pk,
        "need_description": "改造路内泊位。",
        "track": "mature",
        "stage": "planned",
        "funding_level": "district",
        "funding_share": "full",
        "needs-TOTAL_FORMS": "0",
        "needs-INITIAL_FORMS": "0",
    }
    page = client.post(reverse("scenarios:create"), data, follow=True).content.decode()
    assert '<div role="status"><ul class="messages"><li class="success">草稿已保存' in page
    client.logout()
    page = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert '<div role="alert"><ul class="messages"><li class="error">' in page


def test_the_role_switch_marks_the_role_being_shown(client):
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["publisher", "company"]))
    switch = (
        client.get(reverse("accounts:role-home", args=["company"]))
        .content.decode()
        .split('aria-label="切换角色"')[1]
        .split("</nav>")[0]
    )
    assert switch.count('aria-current="page"') == 1
    assert f'<a href="{reverse("accounts:role-home", args=["company"])}" aria-current="page">' in switch
