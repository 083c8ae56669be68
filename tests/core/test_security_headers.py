"""The headers every answer carries (issue #18, 等保): a Content-Security-Policy without inline
script, a Permissions-Policy, and no caching of what a signed-in person reads."""

import pytest
from django.urls import reverse

from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_pages_carry_the_policies_and_may_be_cached(client):
    response = client.get(reverse("scenarios:catalogue"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_pages_and_the_api_are_never_stored(client):
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("accounts:home")).headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/scenarios/").headers["Cache-Control"] == "no-store"
    client.logout()
    assert client.get("/api/v1/scenarios/").headers["Cache-Control"] == "no-store"


def test_no_template_carries_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(templates)))
    assert offenders == []
