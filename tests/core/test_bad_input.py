"""Inputs that answered 500 (#18), walked as the person entitled to send them: each now gets an
answer under 500 — a refusal in Chinese where it is refused — and changes nothing.

- ids that are not ids: beyond 64 bits (SQLite's driver overflowed on `pk__in` and foreign keys,
  core/lookups.py), or written with digits int() refuses ("²" passes str.isdigit(), core/ids.py);
- a NUL character anywhere in a request, which PostgreSQL cannot store in text, and bodies too big
  or malformed to read (core.middleware.BadInputMiddleware; the PostgreSQL side is in
  test_bad_input_on_postgresql.py);
- and, generically, a 30-digit number in every filter of every API list and of every page's
  search form.
"""

import json
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.choices import VerificationStatus
from config.api_router import router
from contests import services as contest_services
from core.ids import LARGEST_ID, id_or_404, whole_number
from core.services import notify
from scenarios.models import Scenario
from tests.contests.conftest import rounds_starting
from tests.factories import evaluation as evaluation_factories
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user
from tests.refusals import CHINESE, assert_refused_in_chinese, database_state

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


def test_ids_beyond_what_their_column_holds_match_nothing():
    """The ORM answers them as Django does `pk=10**30` since 5.0: no rows, not an OverflowError."""
    scenario = ScenarioFactory()
    assert list(Scenario.objects.filter(pk__in=[HUGE_ID])) == []
    assert list(Scenario.objects.filter(pk__in=[HUGE_ID, scenario.pk])) == [scenario]
    assert list(Scenario.objects.exclude(pk__in=[HUGE_ID])) == [scenario]
    assert list(Scenario.objects.filter(publisher=HUGE_ID)) == []
    assert list(Scenario.objects.filter(publisher_id__in=[HUGE_ID, -HUGE_ID])) == []
    assert list(Scenario.objects.exclude(publisher=HUGE_ID)) == [scenario]
    assert list(Scenario.objects.filter(publisher__in=[scenario.publisher_id, HUGE_ID])) == [scenario]


def test_a_whole_number_is_plain_ascii_digits_within_64_bits():
    assert whole_number("42") == 42 and whole_number(7) == 7
    assert whole_number(str(LARGEST_ID)) == LARGEST_ID
    for text in ["²", "①", "١٢", "-1", "+1", "1 ", "1e3", "1.5", "", None, str(LARGEST_ID + 1), "abc"]:
        assert whole_number(text) is None, text
    with pytest.raises(Http404):
        id_or_404("²")


def _review_scenarios(w):
    return {"action": "approve", "scenarios": [HUGE], "reason": ""}


def _review_entries(w):
    return {"decision": "approve", "entries": [HUGE], "note": ""}


# (who, method, path, data, content type): refused with a Chinese message, nothing changed.
REFUSED = {
    "scenario review: a scenario id beyond 64 bits": (
        "operator",
        "post",
        lambda w: "/scenarios/review/",
        _review_scenarios,
        None,
    ),
    "capability review: an entry id beyond 64 bits": (
        "operator",
        "post",
        lambda w: "/capabilities/review/",
        _review_entries,
        None,
    ),
    "API entries: a consortium member id beyond 64 bits": (
        "company",
        "post",
        lambda w: "/api/v1/entries/",
        lambda w: {"challenge": w.challenge.pk, "title": "方案", "summary": "摘要", "members": [HUGE_ID]},
        "json",
    ),
    "product use: an id written with ²": ("operator", "get", lambda w: "/steering/product-uses/²/", None, None),
    "assessment records: an organisation id written with ²": (
        "operator",
        "get",
        lambda w: "/steering/assessment/2026/records/²/soe_use/",
        None,
        None,
    ),
    "assessment export: a year written with ²": (
        "operator",
        "get",
        lambda w: "/steering/assessment/²²²²/export/",
        None,
        None,
    ),
    "report download: a build id written with ²": (
        "operator",
        "get",
        lambda w: "/steering/reports/²/download/",
        None,
        None,
    ),
    "framework editor: an indicator id written with ²": (
        "operator",
        "get",
        lambda w: f"/evaluation/frameworks/{w.draft_framework.pk}/edit/?indicator=²",
        None,
        None,
    ),
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


# (who, path, data): harmless, so answered normally (nothing matches), but never a 500.
HARMLESS = {
    "API notifications: mark read an id beyond 64 bits": (
        "company",
        "/api/v1/notifications/mark-read/",
        {"ids": [HUGE_ID]},
    ),
    "API replications: a case beyond 64 bits": ("publisher", f"/api/v1/replications/?case={HUGE}", None),
    "API tolerance periods: a scenario beyond 64 bits": (
        "publisher",
        f"/api/v1/tolerance-periods/?scenario={HUGE}",
        None,
    ),
    "API scenarios: a page beyond 64 bits": ("anonymous", f"/api/v1/scenarios/?page={HUGE}&page_size={HUGE}", None),
    "catalogue: a page beyond 64 bits": ("anonymous", f"/scenarios/?page={HUGE}&page_size={HUGE}", None),
    "assessment: a year written with ²": ("operator", "/steering/assessment/?year=²²²²", None),
}


@pytest.mark.parametrize("name", HARMLESS)
def test_harmless_bad_input_is_answered_without_a_500_and_changes_nothing(world, name):
    who, path, data = HARMLESS[name]
    client = _client(None if who == "anonymous" else getattr(world, who), api=path.startswith("/api/"))
    before = database_state()
    response = client.post(path, data, format="json") if data is not None else client.get(path)
    if response.status_code >= 400:
        assert_refused_in_chinese(response)
    assert response.status_code < 500
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


# ---- every filter of every list, with a 30-digit number -------------------------------------------


def _list_routes():
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "list"):
            yield prefix, viewset


def _filter_names(viewset) -> list[str]:
    names = {"page", "page_size", "ordering", "scope", "q", "search"}
    filterset = getattr(viewset, "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    return sorted(names)


@pytest.mark.parametrize(("prefix", "viewset"), list(_list_routes()), ids=[prefix for prefix, _ in _list_routes()])
def test_every_api_list_answers_a_30_digit_number_in_any_filter_without_a_500(world, prefix, viewset):
    people = [world.operator, world.company, world.publisher, world.judge, world.official, None]
    clients = [_client(person, api=True) for person in people]
    names = _filter_names(viewset)
    for client in clients:
        everything = client.get(f"/api/v1/{prefix}/", {name: HUGE for name in names})
        assert everything.status_code < 500, (prefix, everything.status_code)
        for name in names:
            response = client.get(f"/api/v1/{prefix}/", {name: HUGE})
            assert response.status_code < 500, (prefix, name, response.status_code)
            if response.status_code >= 400:
                assert_refused_in_chinese(response)


def _routes(patterns, prefix=""):
    """Every route of the URL configuration, as its pattern text ("scenarios/<int:pk>/")."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _page_routes():
    """Pages with no argument in their address that a signed-in person may open."""

    for route in _routes(get_resolver().url_patterns):
        if "<" in route or route.startswith(("admin/", "api/", "i18n/")) or "logout" in route:
            continue
        yield "/" + route


def test_every_search_form_of_every_page_answers_a_30_digit_number_without_a_500(world):
    """Each page's GET forms (its filters), as operators and as companies, with each field a
    30-digit number."""
    for person in [world.operator, world.company, world.official]:
        client = _client(person)
        for path in _page_routes():
            page = client.get(path)
            if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
                continue
            forms = re.findall(r'<form[^>]*method="get"[^>]*>(.*?)</form>', page.content.decode(), re.S | re.I)
            names = {name for form in forms for name in re.findall(r'name="([^"]+)"', form)} | {"page"}
            for name in sorted(names):
                response = client.get(path, {name: HUGE})
                assert response.status_code < 500, (path, name, response.status_code)
                if response.status_code >= 400:
                    assert CHINESE.search(response.content.decode()), (path, name)


# ---- every address that carries an id, with ids that are not ones ----------------------------------

NOT_IDS = [HUGE, "²", "-1", "abc"]


def _api_detail_paths():
    """Every API address with a lookup in it ({pk}, {code}, {metric}), e.g. "rankings/{}/lock/"."""
    for pattern in router.urls:
        regex = str(pattern.pattern)
        if "(?P<format>" in regex or "(?P<" not in regex:
            continue
        yield re.sub(r"\(\?P<\w+>[^)]*\)", "{}", regex.strip("^$"))


def _page_paths_with_arguments():
    for route in _routes(get_resolver().url_patterns):
        if "<" in route and not route.startswith(("admin/", "api/")):
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", "{}", route)


def test_every_api_address_with_an_id_answers_ids_that_are_not_ones_without_a_500(world):
    clients = [_client(world.operator, api=True), _client(world.company, api=True)]
    for template in _api_detail_paths():
        for value in NOT_IDS:
            path = "/api/v1/" + template.replace("{}", value)
            for client in clients:
                for response in (client.get(path), client.post(path, {}, format="json")):
                    assert response.status_code < 500, (path, response.status_code)
                    if response.status_code >= 400:
                        assert_refused_in_chinese(response)


def test_every_page_address_with_an_argument_answers_values_that_are_not_ids_without_a_500(world):
    clients = [_client(world.operator), _client(world.company), _client(world.official)]
    for template in _page_paths_with_arguments():
        for value in NOT_IDS:
            path = template.replace("{}", value)
            for client in clients:
                for response in (client.get(path), client.post(path, {})):
                    assert response.status_code < 500, (path, response.status_code)
