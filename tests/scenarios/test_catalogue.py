import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from tests.factories.scenarios import ScenarioFactory, district, domain, publisher_user

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [scenario.title for scenario in response.context["page"].object_list]


def test_chinese_keyword_finds_a_substring_and_ranks_title_hits_first(client):
    ScenarioFactory(
        title="城市道路养护巡检平台", status="published", needs=["停车诱导"], need_description="含停车诱导屏"
    )
    ScenarioFactory(title="智慧停车管理系统", status="published", needs=["车位检测"])
    ScenarioFactory(title="医院预约挂号系统", status="published", needs=["人脸识别"], need_description="院内停车场入口")
    ScenarioFactory(title="水质监测预警平台", status="published", needs=["在线监测"])
    response = client.get(reverse("scenarios:catalogue"), {"q": "停车"})
    assert _titles(response) == ["智慧停车管理系统", "城市道路养护巡检平台", "医院预约挂号系统"]


def test_several_keywords_must_all_match(client):
    ScenarioFactory(title="智慧停车管理系统", status="published", needs=["车牌识别"])
    ScenarioFactory(title="停车场照明改造", status="published", needs=["LED 照明"])
    assert _titles(client.get(reverse("scenarios:catalogue"), {"q": "停车 车牌"})) == ["智慧停车管理系统"]


def test_filters(client):
    ScenarioFactory(
        title="甲",
        status="published",
        domain=domain("health"),
        district=district("haishu"),
        stage="planned",
        is_flagship=True,
    )
    ScenarioFactory(
        title="乙",
        status="in_contest",
        domain=domain("transport"),
        district=district("beilun"),
        track="forward_looking",
        funding_level="district",
    )
    ScenarioFactory(title="丙", status="published", domain=domain("elderly_care"), district=district("haishu"))
    url = reverse("scenarios:catalogue")
    assert set(_titles(client.get(url, {"domain": "livelihood"}))) == {"甲", "丙"}
    assert _titles(client.get(url, {"domain": "health"})) == ["甲"]
    assert set(_titles(client.get(url, {"district": "haishu"}))) == {"甲", "丙"}
    assert _titles(client.get(url, {"stage": "planned"})) == ["甲"]
    assert _titles(client.get(url, {"track": "forward_looking"})) == ["乙"]
    assert _titles(client.get(url, {"funding_level": "district"})) == ["乙"]
    assert _titles(client.get(url, {"status": "in_contest"})) == ["乙"]
    assert _titles(client.get(url, {"is_flagship": "true"})) == ["甲"]


def test_sorting_by_funding(client):
    ScenarioFactory(title="小", status="published", funding_amount=100)
    ScenarioFactory(title="大", status="published", funding_amount=9_000_000)
    ScenarioFactory(title="中", status="published", funding_amount=50_000)
    assert _titles(client.get(reverse("scenarios:catalogue"), {"sort": "funding"})) == ["大", "中", "小"]


def test_bad_filter_values_are_shown_not_crashed(client):
    ScenarioFactory(status="published")
    response = client.get(
        reverse("scenarios:catalogue"),
        {"domain": "nope", "stage": "x", "page": "abc", "page_size": "9999", "is_flagship": "maybe"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_unpublished_scenarios_are_invisible_outside_their_organisation_and_the_operators(
    client, operator, company_member
):
    draft = ScenarioFactory(title="未发布的场景", status="submitted")
    url = reverse("scenarios:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert "未发布的场景" not in client.get(reverse("scenarios:catalogue")).content.decode()
    client.force_login(company_member)
    assert client.get(url).status_code == 404
    client.force_login(publisher_user())  # a publisher of another organisation
    assert client.get(url).status_code == 404
    client.force_login(operator)
    assert client.get(url).status_code == 200
    client.force_login(draft.created_by)
    assert client.get(url).status_code == 200


def test_published_scenario_needs_no_login(client):
    scenario = ScenarioFactory(title="公开场景", status="published")
    page = client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    assert "公开场景" in page and "流转记录" not in page


def test_catalogue_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries):
    ScenarioFactory.create_batch(3, status="published", needs=["甲", "乙"])
    # count, page rows, need items; the filter form's choices (domains, districts, zones)
    with django_assert_num_queries(6):
        client.get(reverse("scenarios:catalogue"), {"q": "测试"})
    ScenarioFactory.create_batch(40, status="published", needs=["甲", "乙", "丙"])
    with django_assert_num_queries(6):
        client.get(reverse("scenarios:catalogue"), {"q": "测试", "page_size": "100"})


def test_small_export_downloads_at_once_and_is_formula_safe(client):
    ScenarioFactory(title="=cmd|' /C calc'!A0", status="published")
    ScenarioFactory(title="智慧停车管理系统", status="published")
    response = client.get(reverse("scenarios:export"), {"q": "停车"})
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "场景名称" and [row[0] for row in rows[1:]] == ["智慧停车管理系统"]
    rows = list(
        load_workbook(io.BytesIO(client.get(reverse("scenarios:export")).content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert "'=cmd|' /C calc'!A0" in [row[0] for row in rows[1:]]


def test_large_export_becomes_a_job(client, company_member, settings, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("scenarios.views.EXPORT_DIRECT_LIMIT", 2)
    ScenarioFactory.create_batch(3, status="published")
    response = client.get(reverse("scenarios:export"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(company_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("scenarios:export"), {"sort": "title"})
    job = Job.objects.get()
    assert response.url == reverse("core:job-detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "succeeded" and job.params == {"sort": "title"}
    content = b"".join(client.get(reverse("core:job-download", args=[job.pk])).streaming_content)
    assert len(list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows())) == 4


def test_contact_phone_and_email_are_for_signed_in_users(client, company_member):
    from tests.factories.scenarios import ScenarioFactory

    scenario = ScenarioFactory(status="published", contact_phone="0574-87001234", contact_email="li@metro.example")
    page = client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    api = client.get(f"/api/v1/scenarios/{scenario.pk}/").json()
    assert "0574-87001234" not in page and "li@metro.example" not in page and "登录后可见联系方式" in page
    assert api["contact_phone"] == "" and api["contact_email"] == ""
    client.force_login(company_member)
    assert "0574-87001234" in client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    assert client.get(f"/api/v1/scenarios/{scenario.pk}/").json()["contact_email"] == "li@metro.example"
