"""The matching engine: hard filters, the explanation, rematch on save, idempotence, a failed
rebuild keeping the previous matches, and the answers of both sides."""

import numpy as np
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from capability_list.models import CapabilityEntry, Credential
from core.models import AuditRecord
from matching.engine import engine
from matching.models import Match, MatchFeedback, MatchingModel
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, domain
from tests.matching.conftest import matching_entry

pytestmark = pytest.mark.django_db


def _suppliers(scenario):
    return list(Match.objects.filter(scenario=scenario).order_by("-score").values_list("entry__name", flat=True))


def test_rebuild_ranks_the_right_supplier_first_and_explains_it(corpus):
    parking, entries = corpus
    model = engine.rebuild()
    assert model.state == "active" and model.pairs > 0 and model.stats["timings"]["total"] >= 0
    suppliers = _suppliers(parking)
    assert suppliers[0] == "路侧高位视频车位检测系统"
    assert (
        suppliers.index("车辆号牌自动识别一体机") < suppliers.index("纺织面料瑕疵识别系统")
        if "纺织面料瑕疵识别系统" in suppliers
        else True
    )
    top = Match.objects.get(scenario=parking, entry=entries["sensor"])
    assert top.covered == ["车位检测", "车牌识别"] and top.gaps == ["移动支付"]
    assert top.explanation.startswith(
        "覆盖需求 2/3：车位检测、车牌识别；缺口：移动支付；属新一代信息技术产业领域，服务交通场景"
    )
    assert "同在海曙区" in top.explanation and "共同技术领域：车位检测" in top.explanation


def test_a_paraphrase_covers_the_need(corpus):
    parking, entries = corpus
    engine.rebuild()
    plate = Match.objects.get(scenario=parking, entry=entries["plate"])
    assert "车牌识别" in plate.covered  # 车辆号牌自动识别 = 车牌识别 (synonym list)


def test_hard_filters_drop_unlisted_entries_closed_scenarios_missing_credentials_and_other_districts(corpus):
    parking, entries = corpus
    engine.rebuild()
    assert "地磁车位检测器" not in _suppliers(parking)  # a draft is not listed

    parking.status = "closed"
    parking.save()
    engine.rebuild()
    assert _suppliers(parking) == []

    parking.status = "published"
    parking.required_credential = "first_set"
    parking.save()
    Credential.objects.create(
        entry=entries["plate"], kind="first_set", certificate_number="NB-2024-001", level="provincial", year=2024
    )
    engine.rebuild()
    assert _suppliers(parking) == ["车辆号牌自动识别一体机"]
    assert "具备首台套认定（2024）" in Match.objects.get(scenario=parking).explanation

    parking.required_credential = ""
    parking.local_suppliers_only = True  # 海曙区 only: the 北仑区 plate reader goes
    parking.save()
    engine.rebuild()
    assert "车辆号牌自动识别一体机" not in _suppliers(parking) and "路侧高位视频车位检测系统" in _suppliers(parking)


def test_saving_an_entry_or_scenario_rematches_it_after_commit(corpus, django_capture_on_commit_callbacks):
    parking, entries = corpus
    engine.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = matching_entry(
            "无感支付停车收费平台", "路侧停车无感移动支付，支持微信、支付宝、ETC 扣费，车牌识别自动计费。", ["移动支付"]
        )
    assert "无感支付停车收费平台" in _suppliers(parking)
    match = Match.objects.get(scenario=parking, entry=newcomer)
    assert "移动支付" in match.covered
    with django_capture_on_commit_callbacks(execute=True):
        parking.status = "closed"
        parking.save()
    assert _suppliers(parking) == []


def test_rematching_is_idempotent_and_so_is_a_rebuild(corpus):
    parking, entries = corpus
    engine.rebuild()
    first = sorted(Match.objects.all().values_list("scenario_id", "entry_id", "score"))
    engine.rematch_scenario(parking.pk)
    engine.rematch_scenario(parking.pk)
    engine.rematch_entry(entries["sensor"].pk)
    engine.rematch_entry(entries["sensor"].pk)
    again = sorted(Match.objects.all().values_list("scenario_id", "entry_id", "score"))
    assert again == first
    ids = sorted(Match.objects.values_list("pk", flat=True))
    model = engine.rebuild()
    rebuilt = sorted(Match.objects.all().values_list("scenario_id", "entry_id", "score"))
    assert rebuilt == first
    # Nothing changed, so nothing is rewritten: the rows (and their ids, in links) stay.
    assert model.stats["written"] == 0 and model.stats["deleted"] == 0 and model.stats["unchanged"] == len(first)
    assert sorted(Match.objects.values_list("pk", flat=True)) == ids
    assert MatchingModel.objects.filter(state="active").count() == 1


def test_a_rebuild_rewrites_only_the_matches_whose_content_changed(corpus):
    parking, entries = corpus
    water = ScenarioFactory(
        title="再生水厂水质在线监测",
        status="published",
        domain=domain("power_water"),
        needs=["水质监测", "数据上报"],
        need_description="在再生水厂出水口布设在线水质监测站，监测浊度、氨氮和余氯，数据实时上报监管平台。",
    )
    matching_entry(
        "多参数水质在线监测站",
        "浊度、氨氮、余氯、pH 多参数在线监测，数据 4G 实时上报，适用于水厂与管网。",
        ["水质监测"],
    )
    matching_entry("管网余氯监测仪", "供水管网余氯在线监测，低功耗，数据远程上报。", ["水质监测"])
    first = engine.rebuild()
    assert Match.objects.filter(scenario=water).count() == 2
    before = dict(
        ((scenario, entry), pk) for pk, scenario, entry in Match.objects.values_list("pk", "scenario_id", "entry_id")
    )
    # A change the signals do not see (a bulk update): the nightly rebuild must still pick it up.
    CapabilityEntry.objects.filter(pk=entries["plate"].pk).update(
        description="车辆号牌自动识别一体机，支持新能源号牌、移动支付无感缴费，识别率 99.8%。"
    )
    second = engine.rebuild()
    after = dict(
        ((scenario, entry), (pk, generation))
        for pk, scenario, entry, generation in Match.objects.values_list(
            "pk", "scenario_id", "entry_id", "generation_id"
        )
    )
    rewritten = {pair for pair, (pk, generation) in after.items() if generation == second.pk}
    assert {pair for pair in after if pair[1] == entries["plate"].pk} <= rewritten
    assert second.stats["written"] == len(rewritten) and 0 < len(rewritten) < len(after)
    assert all(after[pair][0] == before[pair] and after[pair][1] == first.pk for pair in after.keys() - rewritten)
    plate = Match.objects.get(scenario=parking, entry=entries["plate"])
    assert "移动支付" in plate.covered


def test_a_rebuild_that_fails_part_way_leaves_the_previous_matches_serving(corpus, monkeypatch):
    parking, _entries = corpus
    previous = engine.rebuild()
    before = _suppliers(parking)
    real_write = engine.write_matches
    # Changed behind the signals' back, so the rebuild has rows to rewrite.
    CapabilityEntry.objects.update(description="面向停车场的车牌识别、车位检测与移动支付一体化产品")

    def write_half_then_fail(generation_id, pairs, **options):
        assert pairs
        real_write(generation_id, pairs[: len(pairs) // 2], **options)
        raise RuntimeError("worker lost")

    monkeypatch.setattr(engine, "write_matches", write_half_then_fail)
    with pytest.raises(RuntimeError):
        engine.rebuild()
    assert MatchingModel.objects.get(state="active") == previous
    assert _suppliers(parking) == before
    failed = MatchingModel.objects.exclude(pk=previous.pk).get()
    assert failed.state == "failed" and not failed.matches.exists()


def test_both_sides_answer_a_match_and_the_labels_survive_a_rebuild(corpus, client):
    parking, entries = corpus
    engine.rebuild()
    match = Match.objects.get(scenario=parking, entry=entries["plate"])
    publisher = parking.created_by
    client.force_login(publisher)
    page = client.get(reverse("matching:scenario-suppliers", args=[parking.pk])).content.decode()
    assert "覆盖需求" in page and "车辆号牌自动识别一体机" in page
    client.post(
        reverse("matching:scenario-suppliers", args=[parking.pk]),
        {"match": match.pk, "decision": "declined", "reason": ""},
    )
    assert not MatchFeedback.objects.exists()
    client.post(
        reverse("matching:scenario-suppliers", args=[parking.pk]),
        {"match": match.pk, "decision": "declined", "reason": "location"},
    )
    company_user = UserFactory(organisation=entries["plate"].company, roles=["company"])
    client.force_login(company_user)
    page = client.get(reverse("matching:recommendations")).content.decode()
    assert "老城区智慧停车改造" in page
    client.post(reverse("matching:recommendations"), {"match": match.pk, "decision": "accepted"})
    assert dict(MatchFeedback.objects.values_list("side", "reason")) == {"publisher": "location", "company": ""}
    assert AuditRecord.objects.filter(action="match.answer").count() == 2
    engine.rebuild()
    assert MatchFeedback.objects.count() == 2
    client.force_login(operator_user())
    labels = client.get(reverse("matching:matches")).content.decode()
    assert "接受 1" in labels and "地域不符 1" in labels and "不相关 0" in labels

    outsider = UserFactory(organisation=OrganisationFactory(kind="company"), roles=["company"])
    client.force_login(outsider)
    assert client.get(reverse("matching:scenario-suppliers", args=[parking.pk])).status_code == 404
    new_match = Match.objects.get(scenario=parking, entry=entries["plate"])
    assert (
        client.post(reverse("matching:recommendations"), {"match": new_match.pk, "decision": "accepted"}).status_code
        == 404
    )


def test_operator_table_filters_and_puts_a_pair_on_an_agenda(corpus, client):
    from datetime import timedelta

    from django.utils import timezone

    from capability_list import services
    from capability_list.models import AgendaItem

    parking, entries = corpus
    engine.rebuild()
    operator = operator_user()
    event = services.event_create(
        actor=operator,
        title="智慧停车对接会",
        kind="matchmaking",
        starts_at=timezone.now() + timedelta(days=7),
        venue="宁波市科技局",
    )
    client.force_login(parking.created_by)
    assert client.get(reverse("matching:matches")).status_code == 404
    client.force_login(operator)
    page = client.get(reverse("matching:matches"), {"q": "号牌", "min_score": "0"}).content.decode()
    assert "车辆号牌自动识别一体机" in page and "路侧高位视频车位检测系统" not in page
    assert client.get(reverse("matching:matches"), {"min_score": "abc"}).status_code == 200
    match = Match.objects.get(scenario=parking, entry=entries["sensor"])
    client.post(reverse("matching:matches"), {"match": match.pk, "event": event.pk})
    assert AgendaItem.objects.filter(event=event, scenario=parking, entry=entries["sensor"]).exists()


def test_the_api_scopes_matches_and_takes_answers(corpus):
    parking, entries = corpus
    engine.rebuild()
    api = APIClient()
    api.force_authenticate(parking.created_by)
    rows = api.get(reverse("v1:match-list"), {"scenario": parking.pk}).json()["results"]
    assert rows[0]["entry_name"] == "路侧高位视频车位检测系统" and rows[0]["parts"]["coverage"] == pytest.approx(
        2 / 3, abs=1e-3
    )
    answer = api.post(reverse("v1:match-answer", args=[rows[0]["id"]]), {"decision": "declined"}, format="json")
    assert answer.status_code == 400 and "原因" in answer.json()["detail"]
    answer = api.post(
        reverse("v1:match-answer", args=[rows[0]["id"]]),
        {"decision": "declined", "reason": "has_supplier"},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["publisher_decision"] == "declined"
    api.force_authenticate(UserFactory(organisation=OrganisationFactory(kind="company"), roles=["company"]))
    assert api.get(reverse("v1:match-list")).json()["results"] == []
    assert (
        api.post(reverse("v1:match-answer", args=[rows[0]["id"]]), {"decision": "accepted"}, format="json").status_code
        == 404
    )


def test_workers_load_the_fitted_model_once_per_version(corpus, monkeypatch, django_assert_num_queries):
    import pickle

    parking, _entries = corpus
    first = engine.rebuild()
    loads = []
    real_load = pickle.load
    # Only the model files count: numba reads its cached kernels with pickle.load too, the first
    # time a kernel runs in the process (which depends on the tests run before, under xdist).
    matching_dir = str(engine.matching_dir())

    def counting_load(handle):
        if str(getattr(handle, "name", "")).startswith(matching_dir):
            loads.append(1)
        return real_load(handle)

    monkeypatch.setattr(engine.pickle, "load", counting_load)
    engine._loaded["model"] = None
    assert engine.active_model().version == first.pk
    with django_assert_num_queries(1):  # the version stamp only
        assert engine.active_model().version == first.pk
    engine.rematch_scenario(parking.pk)
    assert len(loads) == 1
    second = engine.rebuild()  # reads its token cache (one load) but not the model
    before = len(loads)
    assert engine.active_model().version == second.pk and len(loads) == before + 1
    engine.active_model()
    assert len(loads) == before + 1


def test_shared_field_counts_agree_with_the_explanations_field_list():
    from matching.engine.documents import EntryDoc
    from matching.engine.scoring import shared_fields

    texts = ["路侧泊位车位检测与车牌识别", "再生水厂水质监测", "机器视觉质检"]
    entries = [
        EntryDoc(
            id=n,
            name="",
            company_id=1,
            company_name="",
            district_id=None,
            area_code="",
            area_name="",
            fields=fields,
            maturity="",
            price_band="",
        )
        for n, fields in enumerate(
            [["车位检测", "车牌识别"], [], ["水质监测", "机器视觉", ""], ["机器视觉", "机器视觉"]]
        )
    ]
    scenario_rows = np.array([0, 0, 1, 2, 2, 1, 0])
    entry_rows = np.array([0, 1, 2, 2, 3, 0, 3])
    expected = [len(shared_fields(entries[e], texts[s])) for s, e in zip(scenario_rows, entry_rows)]
    assert (
        engine._shared_field_counts(entries, texts, scenario_rows, entry_rows).tolist()
        == expected
        == [2, 0, 1, 1, 2, 0, 0]
    )


def test_entries_read_column_by_column_score_and_explain_as_entry_objects_do(corpus):
    import pickle

    from matching.engine.documents import EntryDocs, entry_docs
    from matching.engine.scoring import entry_arrays

    _parking, entries = corpus
    Credential.objects.create(
        entry=entries["plate"], kind="first_set", certificate_number="NB-2024-009", level="provincial", year=2024
    )
    CapabilityEntry.objects.filter(pk=entries["paint"].pk).update(
        strategic_area=None, maturity="mass", price_band="10w_50w"
    )
    docs = entry_docs(CapabilityEntry.objects.all())
    assert (
        isinstance(docs, EntryDocs)
        and len(docs) == 5
        and docs.ids.tolist() == sorted(entry.pk for entry in entries.values())
    )
    objects = [docs[row] for row in range(len(docs))]
    from_columns, from_objects = entry_arrays(docs), entry_arrays(objects)
    assert from_columns.keys() == from_objects.keys()
    for name, values in from_columns.items():
        assert np.array_equal(values, from_objects[name], equal_nan=True), name
    plate_row = docs.ids.tolist().index(entries["plate"].pk)
    plate = docs[plate_row]
    assert (
        plate.credentials == {"first_set": "provincial|2024"}
        and plate.fields == ["机器视觉"]
        and plate.digest == docs.digests[plate_row]
    )
    assert plate.primary == "车辆号牌自动识别一体机 机器视觉" and "识别率 99.5%" in plate.rest
    assert (
        from_columns["credentials"][plate_row] == 1 and from_columns["listed"].tolist().count(False) == 1
    )  # the draft
    paint_row = docs.ids.tolist().index(entries["paint"].pk)
    assert (
        from_columns["area"][paint_row] == 0
        and from_columns["maturity"][paint_row] == 3
        and from_columns["price_floor"][paint_row] == 100_000
    )
    # The model file keeps the columns without the long texts.
    docs.drop_texts()
    kept = pickle.loads(pickle.dumps(docs))
    assert [(doc.id, doc.fields, doc.credentials, doc.primary, doc.rest) for doc in kept] == [
        (doc.id, doc.fields, doc.credentials, "", "") for doc in objects
    ]
    assert kept[-1].id == objects[-1].id
    with pytest.raises(IndexError):
        kept[len(kept)]


def test_a_bulk_rebuild_writes_what_a_small_one_does_and_leaves_the_indexes_as_migrated(corpus, monkeypatch):
    from django.db import connection

    def index_definitions():
        with connection.cursor() as cursor:
            return sorted(
                (name, str(sorted(constraint["columns"])), str(constraint.get("orders")), constraint["unique"])
                for name, constraint in connection.introspection.get_constraints(cursor, Match._meta.db_table).items()
                if constraint["index"]
            )

    before = index_definitions()
    assert any(name == "match_by_entry" for name, *_rest in before)
    engine.rebuild()
    shown = sorted(
        Match.objects.values_list("scenario_id", "entry_id", "score", "covered", "gaps", "explanation", "signature")
    )
    Match.objects.update(signature=0)  # as if everything had changed
    # Every write counts as bulk here: the index is rebuilt afterwards (SQLite), and a forked
    # process explains chunks while this one inserts them.
    monkeypatch.setattr(engine, "BULK_ROWS", 0)
    monkeypatch.setattr(engine, "EXPLAIN_CHUNK", 2)
    # And the model file is written by a forked child, as at city scale, and every document is
    # tokenised again by a pool of forked tokenisers.
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)
    monkeypatch.setattr(engine, "TOKENISE_IN_PARALLEL_FROM", 0)
    (engine.matching_dir() / "tokens.npz").unlink()
    model = engine.rebuild()
    assert model.stats["cached_documents"] == 0
    assert engine.active_model().version == model.pk
    assert model.stats["written"] == len(shown) and model.stats["deleted"] == len(shown)
    assert (
        sorted(
            Match.objects.values_list("scenario_id", "entry_id", "score", "covered", "gaps", "explanation", "signature")
        )
        == shown
    )
    assert index_definitions() == before
    assert _suppliers(corpus[0])[0] == "路侧高位视频车位检测系统"


TOPICS = [
    ("港口集装箱智能理货", "集装箱箱号识别 残损检测 理货数据上报", ["机器视觉"]),
    ("城市内涝积水监测预警", "积水深度传感 雨量监测 预警发布", ["物联网"]),
    ("医院门诊智能导诊", "症状问询 科室推荐 预约挂号", ["人工智能"]),
    ("工业园区危化品车辆监管", "车辆定位 电子围栏 危化品运单核验", ["北斗定位"]),
    ("老旧电梯运行安全监测", "电梯困人报警 运行数据采集 维保记录", ["物联网"]),
    ("学校食堂明厨亮灶", "后厨视频监控 违规行为识别 食材溯源", ["机器视觉"]),
    ("桥梁结构健康监测", "应变监测 挠度测量 结构安全评估", ["传感器"]),
]


def _warm_corpus(count: int = 21):
    """count scenarios and count entries over a few topics (one change is under 5 % of either side)."""
    scenarios, entries = [], []
    for number in range(count):
        title, needs, fields = TOPICS[number % len(TOPICS)]
        scenarios.append(
            ScenarioFactory(
                title=f"{title}（{number}号）",
                status="published",
                domain=domain("transport"),
                needs=needs.split()[:2],
                need_description=needs,
            )
        )
        entries.append(
            matching_entry(f"{title}解决方案{number}", f"{needs}，成熟产品，已在{number}个项目应用。", fields)
        )
    return scenarios, entries


def _stored():
    return sorted(Match.objects.values_list("scenario_id", "entry_id", "score", "covered", "explanation"))


def test_a_rebuild_searches_only_what_changed_and_stores_what_a_full_search_would():
    scenarios, entries = _warm_corpus()
    first = engine.rebuild()
    assert first.stats["search"] == "full"
    # One entry changed behind the signals' back: the next rebuild searches it alone.
    CapabilityEntry.objects.filter(pk=entries[3].pk).update(
        description="危化品运输车辆北斗定位、电子围栏与运单核验一体化平台。"
    )
    warm = engine.rebuild()
    assert warm.stats["search"] == "warm" and warm.stats["searched"] == [0, 1]
    stored = _stored()
    assert any(entry == entries[3].pk for _scenario, entry, *_rest in stored)
    full = engine.rebuild(full_search=True)
    assert full.stats["search"] == "full" and full.stats["written"] == 0
    assert _stored() == stored


def test_in_a_warm_search_a_changed_entry_enters_the_full_lists_it_now_belongs_to(monkeypatch):
    from matching.engine import search

    # Two candidates per scenario and one per entry: every list is full after the first search.
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(engine, "K_SCENARIO", 2)
    scenarios, entries = _warm_corpus()
    engine.rebuild()
    bridge = scenarios[6]
    assert entries[0].pk not in Match.objects.filter(scenario=bridge).values_list("entry_id", flat=True)
    CapabilityEntry.objects.filter(pk=entries[0].pk).update(
        name="桥梁结构健康监测系统",
        description="桥梁应变监测、挠度测量与结构安全评估，传感器长期在线。",
        technology_fields=["传感器"],
    )
    warm = engine.rebuild()
    assert warm.stats["search"] == "warm"
    assert entries[0].pk in Match.objects.filter(scenario=bridge).values_list("entry_id", flat=True)


def test_a_full_search_runs_when_much_changed_or_the_last_one_is_a_week_old(monkeypatch):
    from datetime import timedelta

    from matching.engine import search

    scenarios, entries = _warm_corpus()
    engine.rebuild()
    CapabilityEntry.objects.filter(pk__in=[entry.pk for entry in entries[:2]]).update(
        description="道路桥梁巡检"
    )  # 2 of 21: over 5 %
    assert engine.rebuild().stats["search"] == "full"
    CapabilityEntry.objects.filter(pk=entries[5].pk).update(description="学校食堂后厨视频监控")
    monkeypatch.setattr(search, "FULL_SEARCH_EVERY", timedelta(0))
    assert engine.rebuild().stats["search"] == "full"
    # A delisted entry leaves the lists it was in, warm search or not.
    monkeypatch.setattr(search, "FULL_SEARCH_EVERY", timedelta(days=7))
    CapabilityEntry.objects.filter(pk=entries[6].pk).update(status="withdrawn")
    assert engine.rebuild().stats["search"] == "warm"
    assert not Match.objects.filter(entry=entries[6]).exists()


def test_a_model_file_that_cannot_be_written_leaves_the_previous_model_serving(corpus, monkeypatch):
    parking, _entries = corpus
    previous = engine.rebuild()
    before = _suppliers(parking)
    CapabilityEntry.objects.update(description="面向停车场的车牌识别、车位检测与移动支付一体化产品")
    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)  # the forked writer

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine.pickle, "dump", disk_full)
    with pytest.raises(RuntimeError, match="writing the matching model failed"):
        engine.rebuild()
    assert MatchingModel.objects.get(state="active") == previous
    assert _suppliers(parking) == before
    assert MatchingModel.objects.filter(state="failed").count() == 1


def test_a_missing_model_file_skips_rematches_and_keeps_the_matches(corpus, caplog):
    parking, entries = corpus
    model = engine.rebuild()
    before = _suppliers(parking)
    (engine.matching_dir() / model.path).unlink()
    engine._loaded["model"] = None  # a worker that has not loaded it yet
    assert engine.rematch_scenario(parking.pk) == 0 and engine.rematch_entry(entries["plate"].pk) == 0
    assert _suppliers(parking) == before
    assert "is missing" in caplog.text
    assert engine.rebuild().state == "active" and engine.rematch_scenario(parking.pk) > 0


def test_an_operators_rebuild_searches_everything_again(corpus, client, django_capture_on_commit_callbacks):
    first = engine.rebuild()
    operator = operator_user()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:matches"), {"action": "rebuild"})
    assert response.status_code == 302
    model = MatchingModel.objects.get(state="active")
    assert model != first and model.stats["search"] == "full" and model.stats["written"] == 0
    assert AuditRecord.objects.filter(action="job.create", actor=operator).exists()
