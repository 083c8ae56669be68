# ruff: noqa: F811 — pytest fixtures imported from tests/evaluation/conftest_rounds.py are redefined as arguments
"""Hypothesis over what an expert may type on an evaluation sheet (#18, as for contest score
sheets, whose oracle this reuses): through the API each value is stored exactly as the half point it
names or refused with a Chinese 400 that writes nothing."""

import json

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from evaluation.models import IndicatorScore
from tests.contests.test_score_properties import JSON_VALUE, PROPERTY, REFUSED, meant_points
from tests.evaluation.conftest_rounds import Scene, _reference_data, op, scene  # noqa: F401
from tests.fuzzing import watch_writes
from tests.refusals import assert_refused_in_chinese

pytestmark = pytest.mark.fuzz


@PROPERTY
@given(value=JSON_VALUE, raw=st.sampled_from([None, "NaN", "-Infinity", "1e400"]))
def test_the_api_stores_an_indicator_score_exactly_or_answers_a_chinese_400(scene, value, raw):
    leaf = next(leaf for leaf in scene.leaves() if leaf.method == "expert")
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(scene.experts[1])
    body = json.dumps({"subject": scene.subject.pk, "scores": [{"indicator": leaf.pk, "points": "__P__"}]})
    body = body.replace('"__P__"', raw if raw is not None else json.dumps(value))
    with transaction.atomic():
        with watch_writes() as writes:
            response = api.generic("POST", "/api/v1/evaluation-sheets/save/", body, content_type="application/json")
        meant = meant_points(value, leaf.max_points) if raw is None else REFUSED
        valid = (
            raw is None
            and isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and meant is not REFUSED
            and len(str(value).strip()) <= 10
        )
        if response.status_code in (200, 201):
            stored = list(IndicatorScore.objects.filter(indicator=leaf).values_list("points", flat=True))
            assert valid and stored == ([] if meant is None else [meant]), (body, stored)
        else:
            assert not valid, (body, response.status_code, response.content[:300])
            assert_refused_in_chinese(response, status=400)
            assert not writes, (body, str(writes))
        transaction.set_rollback(True)
