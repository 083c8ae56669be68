import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_score_input_is_described_by_its_allowed_range(client, roadshow):
    _challenge, entries, judges = roadshow
    client.force_login(judges[0])
    page = client.get(reverse("contests:score-sheet", args=[entries[0].pk])).content.decode()
    described = re.findall(r'class="score-input" aria-describedby="([^"]+)"', page)
    assert len(described) == 6
    for name in described:
        assert re.search(rf'<div class="errorlist score-bound" id="{name}" hidden>应在 0–\d+ 分之间', page)
