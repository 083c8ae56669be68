import pytest
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_judges_home_page_shows_the_judging_panel_that_contests_registers(client):
    judge = UserFactory(organisation=OrganisationFactory(kind="institute", name="宁波大学"), roles=["judge"])
    client.force_login(judge)
    page = client.get(reverse("accounts:role-home", args=["judge"])).content.decode()
    panel = page.split('data-testid="panel-judge"')[1]
    assert "评审须知" in panel and "工作单位：宁波大学" in panel
    assert f'href="{reverse("contests:judge-home")}"' in panel
