"""Inputs that answered 500 (#18), walked as the person entitled to send them: each now gets an
answer under 500 — a refusal in Chinese where it is refused — and changes nothing.

- a NUL character anywhere in a request, which PostgreSQL cannot store in text, and bodies too big
  or malformed to read (core.middleware.BadInputMiddleware; the PostgreSQL side is in
  test_bad_input_on_postgresql.py).
"""

import json
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.choices import VerificationStatus
from contests import services as contest_services
from core.services import notify
from scenarios.models import Scenario
from tests.contests.conftest import rounds_starting
from tests.factories import evaluation as evaluation_factories
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user
from tests.refusals import assert_refused_in_chinese, database_state

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
HUGE_ID = 10**30
NUL_MESSAGE = "空字符"
NESTED = "[" * 10000 + "]" * 10000


@pytest.fixture
def world(reference_data, operator, company_member):
    publisher = publisher_user()
    contest = contest_services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    challenge_scenario = ScenarioFactory(status="published", publisher=publisher.organisation, created_by=publisher)
    challenge = contest_services.challenge_create(
        actor=publisher, contest=contest, scenario=challenge_scenario, award_cap="800000", requirements="识别率≥98%"
    )
    notify(recipients=[company_member], title="测试消息", body="正文", email=False)
    return SimpleNamespace(
        operator=operator,
        company=company_member,
        publisher=publisher,
        official=UserFactory(roles=["official"]),
        judge=UserFactory(organisation=OrganisationFactory(kind="institute"), roles=["judge"]),
        submitted=ScenarioFactory(status="submitted", publisher=publisher.organisation, created_by=publisher),
        pending=OrganisationFactory(verification_status=VerificationStatus.PENDING),
        challenge=challenge,
        draft_framework=evaluation_factories.framework(published=False),
    )


def _client(user=None, *, api=False):
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    return client


def _unchanged(before):
    assert database_state() == before


# ---- ids beyond 64 bits and ids int() refuses ------------------------------------------------------


# (who, method, path, data, content type): refused with a Chinese message, nothing changed.
REFUSED = {
    # NUL, which PostgreSQL cannot store: refused before any view (SQLite would have stored it).
    "organisation verification: a NUL in the note": (
        "operator",
        "post",
        lambda w: f"/operator/organisations/{w.pending.pk}/",
        {"action": "verify", "note": "材料齐全\x00"},
        None,
    ),
    "scenario editor: a NUL in the title": (
        "publisher",
        "post",
        lambda w: "/scenarios/new/",
        {"title": "智慧停车\x00", "track": "mature", "needs-TOTAL_FORMS": "0", "needs-INITIAL_FORMS": "0"},
        None,
    ),
    "scenario catalogue: a NUL in the search": ("anonymous", "get", lambda w: "/scenarios/?q=%00", None, None),
    "API scenarios: a NUL in the search": ("operator", "get", lambda w: "/api/v1/scenarios/?q=a%00b", None, None),
    "API scenarios: a NUL in a JSON title": (
        "publisher",
        "post",
        lambda w: "/api/v1/scenarios/",
        '{"title": "\\u667a\\u6167\\u0000", "track": "mature"}',
        "json",
    ),
    "API enquiries: a NUL in a field name": (
        "company",
        "post",
        lambda w: "/api/v1/enquiries/",
        '{"subject\\u0000": "x"}',
        "json",
    ),
    "e-mail confirmation: a NUL in the address": (
        "anonymous",
        "get",
        lambda w: "/accounts/confirm/abcdef%00ghijkl/",
        None,
        None,
    ),
    # Bodies that cannot be read.
    "API: broken JSON": ("operator", "post", lambda w: "/api/v1/jobs/", '{"kind": ', "json"),
    "API: JSON nested ten thousand deep": (
        "operator",
        "post",
        lambda w: "/api/v1/jobs/",
        "[" * 10000 + "]" * 10000,
        "json",
    ),
    "page: a multipart body without a boundary": (
        "publisher",
        "post",
        lambda w: "/scenarios/new/",
        '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n',
        "multipart/form-data; boundary=",
    ),
}


def _send(w, who, method, path, data, content_type):
    """Sign in (before anything is compared: signing in writes its own audit record), then send."""
    user = None if who == "anonymous" else getattr(w, who)
    client = _client(user, api=path(w).startswith("/api/"))
    data = data(w) if callable(data) else data
    before = database_state()
    if method == "get":
        response = client.get(path(w))
    elif content_type == "json":
        body = data if isinstance(data, str) else json.dumps(data)
        response = client.post(path(w), body, content_type="application/json")
    elif content_type:
        response = client.generic("POST", path(w), data, content_type=content_type)
    else:
        response = client.post(path(w), data, follow=True)
    return before, response


@pytest.mark.parametrize("name", REFUSED)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(world, name):
    before, response = _send(world, *REFUSED[name])
    texts = assert_refused_in_chinese(response)
    if "NUL" in name:
        assert response.status_code == 400 and any(NUL_MESSAGE in text for text in texts), texts
    _unchanged(before)


# ---- bodies too big, too many fields --------------------------------------------------------------


def test_a_form_body_beyond_the_upload_limit_is_a_413_in_chinese_and_saves_nothing(world):
    client = _client(world.publisher)
    before = database_state()
    response = client.post(
        "/scenarios/new/",
        {"title": "智慧停车", "track": "mature", "need_description": "长" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )
    texts = assert_refused_in_chinese(response, status=413)
    assert any("过大" in text for text in texts)
    _unchanged(before)


def test_a_json_body_beyond_the_upload_limit_is_a_413_in_the_api(world):
    """DRF reads a JSON body from the stream, past Django's limit; the middleware reads it first."""
    client = _client(world.publisher, api=True)
    before = database_state()
    body = json.dumps({"title": "智慧停车", "track": "mature", "summary": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.post("/api/v1/scenarios/", body, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert "过大" in assert_refused_in_chinese(response, status=413)[0]
    _unchanged(before)


def test_too_many_fields_are_refused_in_chinese(world):
    client = _client(world.operator)
    before = database_state()
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/scenarios/review/", {"action": "approve", **fields})
    assert "过多" in assert_refused_in_chinese(response, status=400)[0]
    _unchanged(before)


def test_a_json_text_with_a_literal_backslash_u0000_is_not_a_nul(world):
    """ "\\\\u0000" in JSON is a backslash and the letters u0000, which PostgreSQL stores fine."""
    client = _client(world.publisher, api=True)
    response = client.post(
        "/api/v1/scenarios/", '{"title": "路径 C:\\\\u0000", "track": "mature"}', content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Scenario.objects.get(pk=response.json()["id"]).title == "路径 C:\\u0000"
