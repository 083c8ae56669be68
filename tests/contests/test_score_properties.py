"""Hypothesis over what a judge may type as a score (#18): any text, number, digit of another
script, NaN, a huge or negative number, too many decimals — through parse_points, the service and
the API. Each value is either stored exactly as the half point it names or refused with a Chinese
message, and a refusal writes nothing."""

import json
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from contests import services
from contests.models import Score
from contests.sheets import parse_points
from core.errors import DomainError
from tests.fuzzing import watch_writes
from tests.refusals import CHINESE, assert_refused_in_chinese

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TYPED = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A *[+-]?[0-9]{0,3}(\.[0-9]{0,3})? *\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),  # ９, ١٢, ²
    st.sampled_from(["NaN", "sNaN", "-Infinity", "-0", "+0.5", "1e1", "1_0", "12.50", "15.0", ".5", "5.", "\u30008"]),
)
ANY_VALUE = st.one_of(TYPED, st.none(), st.integers(), st.floats(), st.decimals(), st.booleans())
ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
REFUSED = object()


def meant_points(value, maximum):
    """What a value means as a score: None for blank, the number for half points from 0 to the
    maximum written in ASCII digits, REFUSED for anything else."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not ASCII_NUMBER.fullmatch(text):
        return REFUSED
    points = Decimal(text)
    return points if 0 <= points <= maximum and points % Decimal("0.5") == 0 else REFUSED


class Criterion:
    name = "首创性"
    max_points = 15


@PROPERTY
@given(value=ANY_VALUE)
def test_parse_points_reads_exactly_the_half_points_a_value_names_and_refuses_the_rest_in_chinese(value):
    meant = meant_points(value, Criterion.max_points)
    if meant is REFUSED:
        with pytest.raises(DomainError) as refusal:
            parse_points(value, Criterion())
        assert CHINESE.search(refusal.value.message) and "首创性" in refusal.value.message
        return
    points = parse_points(value, Criterion())
    if meant is None:
        assert points is None
    else:
        # Exactly the number, shown with one decimal, and never as "-0.0".
        assert points == meant and points.as_tuple().exponent == -1 and not str(points).startswith("-")


@pytest.fixture
def sheet_world(roadshow):
    challenge, entries, judges = roadshow
    criteria = list(challenge.contest.criteria.order_by("pk"))
    return entries[0], judges[1], criteria


@PROPERTY
@given(values=st.lists(ANY_VALUE, min_size=1, max_size=6), submit=st.booleans())
def test_the_service_stores_each_score_exactly_or_refuses_the_sheet_and_writes_nothing(sheet_world, values, submit):
    entry, judge, criteria = sheet_world
    points = {criterion.pk: value for criterion, value in zip(criteria, values)}
    meant = {criterion.pk: meant_points(value, criterion.max_points) for criterion, value in zip(criteria, values)}
    refused = REFUSED in meant.values() or (submit and (len(meant) < len(criteria) or None in meant.values()))
    with transaction.atomic():
        with watch_writes() as writes:
            try:
                sheet = services.sheet_save(actor=judge, entry=entry, points=points, submit=submit)
            except DomainError as refusal:
                assert refused, (points, refusal.message)
                assert CHINESE.search(refusal.message)
                sheet = None
        if sheet is None:
            assert not writes, str(writes)
        else:
            assert not refused, points
            stored = dict(Score.objects.filter(sheet=sheet).values_list("criterion_id", "points"))
            assert stored == {key: value for key, value in meant.items() if value is not None}
        transaction.set_rollback(True)


JSON_VALUE = st.one_of(
    TYPED,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def sent_value(body: str):
    """The points as the API reads them (it refuses NaN and Infinity, which are not JSON)."""

    def not_json(constant):
        raise ValueError(constant)

    try:
        return json.loads(body, parse_constant=not_json)["scores"][0]["points"]
    except ValueError:
        return REFUSED


@PROPERTY
@given(value=JSON_VALUE, raw=st.sampled_from([None, "NaN", "Infinity", "1e400", "-0.0"]))
def test_the_api_answers_a_score_with_the_stored_sheet_or_a_chinese_400_that_writes_nothing(sheet_world, value, raw):
    entry, judge, criteria = sheet_world
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(judge)
    line = {"criterion": criteria[0].pk, "points": "__POINTS__"}
    body = json.dumps({"entry": entry.pk, "scores": [line]}, ensure_ascii=False)
    body = body.replace('"__POINTS__"', raw if raw is not None else json.dumps(value))
    with transaction.atomic():
        with watch_writes() as writes:
            response = api.generic("POST", "/api/v1/score-sheets/", body, content_type="application/json")
        sent = sent_value(body)
        meant = REFUSED if sent is REFUSED else meant_points(sent, criteria[0].max_points)
        # A string or number the field takes (ten characters at most once trimmed) that names a score.
        valid = (
            isinstance(sent, str | int | float)
            and not isinstance(sent, bool)
            and len(str(sent).strip()) <= 10
            and meant is not REFUSED
        )
        assert (response.status_code in (200, 201)) == valid, (body, response.status_code, response.content[:300])
        if valid:
            stored = list(Score.objects.filter(sheet_id=response.json()["id"]).values_list("points", flat=True))
            assert stored == ([] if meant is None else [meant]), (body, stored)
        else:
            assert_refused_in_chinese(response, status=400)
            assert not writes, (body, str(writes))
        transaction.set_rollback(True)


@PROPERTY
@given(text=TYPED.filter(lambda text: "\x00" not in text))
def test_the_sheet_page_stores_a_typed_score_exactly_or_shows_a_chinese_error_and_writes_nothing(
    client, sheet_world, text
):
    entry, judge, criteria = sheet_world
    client.force_login(judge)
    meant = meant_points(text, criteria[0].max_points)
    with transaction.atomic():
        with watch_writes() as writes:
            response = client.post(
                reverse("contests:score-sheet", args=[entry.pk]), {f"points_{criteria[0].pk}": text, "action": "save"}
            )
        if meant is REFUSED:
            assert_refused_in_chinese(response, status=400)
            assert not writes, (text, str(writes))
        else:
            assert response.status_code in (200, 302), (text, response.status_code)
            stored = list(Score.objects.filter(criterion=criteria[0]).values_list("points", flat=True))
            assert stored == ([] if meant is None else [meant]), (text, stored)
        transaction.set_rollback(True)
