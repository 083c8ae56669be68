"""Matching reads only the listed version of an entry: a change waiting for review is not matched;
once an operator approves it, the entry is rematched after commit with the new text."""

import pytest

from capability_list import services
from matching.engine.rebuild import rebuild
from matching.engine.rematch import rematch_entry
from matching.models import Match
from tests.factories.accounts import UserFactory, operator_user

pytestmark = pytest.mark.django_db

PAYMENT = "高位视频桩识别泊位占用状态，同时完成车牌识别，并提供路侧停车无感移动支付，支持微信、支付宝扣费。"


def _data(entry, description):
    fields = ["name", "kind", "application_cases", "maturity", "price_band"]
    return {
        **{field: getattr(entry, field) for field in fields},
        "description": description,
        "technology_fields": [*entry.technology_fields, "移动支付"],
        "industry": entry.industry,
        "strategic_area": entry.strategic_area,
        "is_strategic_emerging": False,
        "is_independent_innovation": False,
    }


def test_a_pending_change_is_not_matched_and_its_approval_rematches_the_entry(
    corpus, django_capture_on_commit_callbacks
):
    parking, entries = corpus
    sensor = entries["sensor"]
    rebuild()
    assert "移动支付" not in Match.objects.get(scenario=parking, entry=sensor).covered
    member = UserFactory(organisation=sensor.company, roles=["company"])
    change = services.entry_change_save(actor=member, entry=sensor, data=_data(sensor, PAYMENT), credentials=[])
    change = services.entry_change_submit(actor=member, change=change)
    rematch_entry(sensor.pk)
    assert "移动支付" not in Match.objects.get(scenario=parking, entry=sensor).covered  # only the listed version
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_change_review(actor=operator_user(), change=change, approve=True)
    assert "移动支付" in Match.objects.get(scenario=parking, entry=sensor).covered
