"""Targets pages, API and open data: who sees what, hostile input, what the pages show."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from core.models import AuditRecord
from steering.models import Target
from steering.services import targets_snapshot_take
from tests.conftest import login
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, district, publisher_user
from tests.factories.steering import approved_case, listed_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return UserFactory(
        organisation=OrganisationFactory(kind="government", name="宁波市人民政府国有资产监督管理委员会"),
        roles=["official"],
    )


@pytest.fixture
def outsiders(reference_data):
    return [
        UserFactory(organisation=OrganisationFactory(), roles=["company"]),
        publisher_user(),
        UserFactory(organisation=OrganisationFactory(kind="institute"), roles=["judge"]),
    ]


def test_company_publisher_and_judge_get_404_on_every_targets_page_and_from_the_api(client, outsiders):
    target = Target.objects.first()
    urls = [
        reverse("steering:target-list"),
        reverse("steering:target-detail", args=["flagship"]),
        reverse("steering:target-create"),
        reverse("steering:target-edit", args=[target.pk]),
        reverse("steering:high-growth-imports"),
        reverse("steering:high-growth-template"),
    ]
    for user in outsiders:
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/api/v1/targets/").status_code == 404


def test_official_reads_but_cannot_edit(client, official):
    login(client, official)
    page = client.get(reverse("steering:target-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "特色示范性场景" in text and "口径 v1" in text and "新建目标" not in text
    target = Target.objects.first()
    assert client.get(reverse("steering:target-edit", args=[target.pk])).status_code == 404
    assert client.post(reverse("steering:target-archive", args=[target.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("steering:high-growth-imports")).status_code == 404


def test_detail_lists_exactly_the_counted_records_with_links(client, official, reference_data):
    yinzhou = district("yinzhou")
    listed_company(datetime.date(2025, 1, 10), district=yinzhou, name="宁波鄞州高成长科技有限公司")
    listed_company(datetime.date(2025, 1, 10), district=district("haishu"), name="宁波海曙高成长科技有限公司")
    login(client, official)
    response = client.get(
        reverse("steering:target-detail", args=["high_growth"]), {"district": yinzhou.pk, "as_of": "2025-02-01"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "宁波鄞州高成长科技有限公司" in text and "宁波海曙高成长科技有限公司" not in text
    assert "计入的记录（1）" in text


def test_detail_shows_series_from_snapshots(client, official, reference_data):
    scenario = ScenarioFactory(title="特色示范场景甲", is_flagship=True, status="in_implementation")
    from scenarios.services import scenario_transition

    scenario_transition(actor=operator_user(), scenario=scenario, action="mark_demonstrated")
    from django.utils import timezone

    targets_snapshot_take(day=timezone.localdate())
    login(client, official)
    response = client.get(reverse("steering:target-detail", args=["flagship"]))
    series = response.context["series"]
    assert series[-1]["value"] == 1 and series[-1]["target"] == 10
    assert 'id="target-series"' in response.content.decode()
    assert f'href="{reverse("scenarios:detail", args=[scenario.pk])}"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "yesterday"},
        {"district": "abc"},
        {"district": "99999999"},
        {"as_of": "9999-12-31"},
        {"as_of": "2025-02-30"},
        {"page": "-1"},
        {"district": "1e308"},
    ],
)
def test_hostile_filters_never_give_a_500(client, official, reference_data, query):
    login(client, official)
    assert client.get(reverse("steering:target-detail", args=["replications"]), query).status_code == 200
    assert client.get(reverse("steering:target-list"), query).status_code == 200


def test_unknown_metric_and_foreign_ids_are_404(client, reference_data):
    login(client, operator_user())
    assert client.get("/steering/targets/unknown_metric/").status_code == 404
    assert client.get(reverse("steering:target-edit", args=[999999])).status_code == 404
    assert client.get("/api/v1/targets/unknown_metric/").status_code == 404


def test_operator_creates_a_target_with_a_plan_and_it_is_audited(client, reference_data):
    login(client, operator_user())
    response = client.post(
        reverse("steering:target-create"),
        {
            "metric": "flagship",
            "district": district("yinzhou").pk,
            "title": "鄞州区 2027 年特色示范性场景目标",
            "target_value": "4",
            "baseline": "1",
            "starts_on": "2026-01-01",
            "deadline": "2027-12-31",
            "plan": "2026-12-31 2\n 2027-06-30，3 \n",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(title="鄞州区 2027 年特色示范性场景目标")
    assert [(p.day.isoformat(), p.planned_value) for p in target.plan_points.all()] == [
        ("2026-12-31", 2),
        ("2027-06-30", 3),
    ]
    assert AuditRecord.objects.filter(action="steering.target.create", object_id=str(target.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "必填"),
        ({"deadline": "2025-01-01"}, "完成期限应晚于起算日期"),
        ({"target_value": "99999999999999999999"}, "目标值"),
        ({"baseline": "20"}, "基数应为不小于 0 且小于目标值"),
        ({"plan": "2026-13-01 3"}, "第 1 行"),
        ({"plan": "2026-06-01 8\n2026-09-01 5"}, "计划值应随日期递增"),
        ({"plan": "2030-01-01 5"}, "不在起算日期与完成期限之间"),
        ({"plan": "下半年 5"}, "第 1 行应为"),
    ],
)
def test_bad_target_input_is_a_400_with_a_chinese_reason(client, reference_data, changes, message):
    login(client, operator_user())
    data = {
        "metric": "replications",
        "title": "复制推广目标",
        "target_value": "10",
        "baseline": "0",
        "starts_on": "2026-01-01",
        "deadline": "2026-12-31",
    }
    data = {} if not changes else {**data, **changes}
    response = client.post(reverse("steering:target-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_archived_target_stays_readable_and_cannot_be_edited(client, reference_data):
    operator = operator_user()
    login(client, operator)
    target = Target.objects.get(metric="flagship", district__isnull=True)
    response = client.post(
        reverse("steering:target-archive", args=[target.pk]), {"reason": "2025 年期限已过，改设新目标"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_archived
    assert target.title in client.get(reverse("steering:target-list")).content.decode()
    response = client.post(
        reverse("steering:target-edit", args=[target.pk]),
        {"title": "x", "target_value": "5", "baseline": "0", "starts_on": "2026-01-01", "deadline": "2026-12-31"},
    )
    assert response.status_code == 400 and "已归档的目标不能修改" in response.content.decode()


def test_api_cards_series_and_contributors(client, official, reference_data):
    listed_company(datetime.date(2025, 1, 10), name="宁波 API 高成长科技有限公司")
    targets_snapshot_take(day=datetime.date(2025, 2, 1))
    login(client, official)
    cards = client.get("/api/v1/targets/", {"as_of": "2025-02-01"}).json()
    high_growth = next(card for card in cards if card["code"] == "high_growth")
    assert high_growth["value"] == 1 and high_growth["target"] == 1000 and "口径" in high_growth["definition"]
    series = client.get("/api/v1/targets/high_growth/series/", {"start": "2025-01-01", "end": "2025-02-01"}).json()
    assert series == [
        {"day": "2025-02-01", "value": 1, "planned": series[0]["planned"], "target": 1000, "rule_version": 1}
    ]
    contributors = client.get("/api/v1/targets/high_growth/contributors/", {"as_of": "2025-02-01"}).json()
    assert [row["name"] for row in contributors["results"]] == ["宁波 API 高成长科技有限公司"]
    assert client.get("/api/v1/targets/", {"as_of": "nonsense"}).status_code == 400
    assert (
        client.get("/api/v1/targets/flagship/series/", {"start": "2025-02-01", "end": "2020-01-01"}).status_code == 400
    )


def test_open_data_targets_csv_and_json_need_no_login(client, reference_data):
    listed_company(datetime.date(2025, 1, 10))
    targets_snapshot_take(day=datetime.date(2025, 2, 1))
    response = client.get("/open-data/targets.csv")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert list(rows[0]) == [
        "code",
        "label",
        "rule_version",
        "target",
        "deadline",
        "latest_value",
        "as_of",
        "date",
        "value",
    ]
    row = next(r for r in rows if r["code"] == "high_growth")
    assert (row["label"], row["target"], row["latest_value"], row["date"]) == (
        "高成长性科技企业",
        "1000",
        "1",
        "2025-02-01",
    )
    payload = json.loads(client.get("/open-data/targets.json").content)
    metric = next(m for m in payload["metrics"] if m["code"] == "high_growth")
    assert metric["series"] == [{"date": "2025-02-01", "value": 1}] and metric["deadline"] == "2025-12-31"


def test_open_data_typical_cases_are_formula_safe(client, reference_data):
    approved_case(title='=HYPERLINK("http://example.com","点我") 智慧港口')
    response = client.get("/open-data/typical-cases.csv")
    body = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert rows[0]["title"].startswith("'=HYPERLINK")
    payload = client.get("/open-data/typical-cases.json").json()
    assert payload["cases"][0]["title"].startswith("=HYPERLINK")
    assert payload["columns"][0] == "id"


def test_open_data_when_empty(client, db):
    assert client.get("/open-data/typical-cases.json").json()["cases"] == []
    assert client.get("/open-data/targets.csv").status_code == 200
