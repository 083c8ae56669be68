"""A scenario's contact phone and e-mail are for signed-in users (#18): a sweep of everything an
anonymous visitor can fetch about a published scenario — pages, search, API, the Excel export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "0574-87001234", "li.gong@metro.example"


def _texts(client, scenario) -> dict[str, str]:
    export = client.get(reverse("scenarios:export"))
    workbook = load_workbook(io.BytesIO(export.content), read_only=True)
    cells = " ".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row)
    return {
        "catalogue": client.get(reverse("scenarios:catalogue")).content.decode(),
        "search": client.get(reverse("scenarios:catalogue"), {"q": "停车"}).content.decode(),
        "detail": client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode(),
        "api list": client.get("/api/v1/scenarios/").content.decode(),
        "api search": client.get("/api/v1/scenarios/", {"q": PHONE}).content.decode(),
        "api detail": client.get(f"/api/v1/scenarios/{scenario.pk}/").content.decode(),
        "export": cells,
        "home": client.get("/").content.decode(),
    }


def test_an_anonymous_visitor_finds_no_contact_phone_or_email_anywhere(client, company_member):
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统", contact_phone=PHONE, contact_email=EMAIL)
    for where, text in _texts(client, scenario).items():
        assert PHONE not in text and EMAIL not in text, where
    assert scenario.title in _texts(client, scenario)["detail"]

    client.force_login(company_member)
    texts = _texts(client, scenario)
    assert PHONE in texts["detail"] and EMAIL in texts["api detail"]
