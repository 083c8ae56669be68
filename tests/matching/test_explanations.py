"""A stored explanation (written once, in Chinese, by the rebuild) read in the reader's language."""

import pytest
from django.core.cache import cache
from django.utils import translation

from matching.engine.scoring import explanation_phrases
from matching.explanations import explanation_shown
from scenarios.models import Domain
from tests.factories.accounts import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _stored(area: str, domain: str, district: str) -> str:
    phrases = explanation_phrases()
    return "；".join(
        [
            phrases["covered"] % {"covered": 1, "total": 3} + "：车位检测",
            phrases["gaps"] % {"gaps": "车牌识别、移动支付"},
            phrases["area"] % {"area": area, "domain": domain},
            phrases["domain_field"] % {"field": "车路协同", "domain": domain},
            phrases["credential"] % {"kind": "首台套", "year": 2025},
            phrases["district"] % {"district": district},
            phrases["weak"],
        ]
    )


def test_an_english_reader_reads_every_phrase_in_english_with_reference_names_in_english():
    domain = Domain.objects.filter(parent__isnull=False, name_en__gt="").first()
    DistrictFactory(code="beilun", name="北仑区", name_en="Beilun")
    stored = _stored("新一代信息技术产业", domain.name, "北仑区")
    assert stored.startswith("覆盖需求 1/3：车位检测；缺口：车牌识别、移动支付；属新一代信息技术产业领域")
    with translation.override("en"):
        shown = explanation_shown(stored)
    pieces = shown.split("; ")
    assert len(pieces) == 7
    # What people wrote (needs, fields) stays as written; everything else is English.
    assert pieces[0].endswith(": 车位检测") and "1/3" in pieces[0] and "覆盖" not in pieces[0]
    assert pieces[1].endswith("车牌识别, 移动支付")
    assert domain.name_en in pieces[2] and "New Generation Information Technology" in pieces[2]
    assert "车路协同" in pieces[3] and domain.name_en in pieces[3]
    assert "2025" in pieces[4] and "首台套" not in pieces[4]
    assert "Beilun" in pieces[5]
    leftover = shown
    for written in ("车位检测", "车牌识别", "移动支付", "车路协同"):
        leftover = leftover.replace(written, "")
    assert not any("\u4e00" <= character <= "\u9fff" for character in leftover), shown


def test_a_chinese_reader_reads_the_stored_text_and_an_unknown_phrase_is_kept():
    stored = _stored("新材料产业", "交通", "北仑区") + "；某个旧版本的说明"
    assert explanation_shown(stored) == stored
    with translation.override("en"):
        assert explanation_shown(stored).endswith("; 某个旧版本的说明")


def test_the_rebuild_writes_explanations_in_chinese_whoever_triggers_it():
    with translation.override("en"):
        assert explanation_phrases()["weak"] == "文字相似度低，仅供参考"
