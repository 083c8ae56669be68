"""Writing scenarios: who may, and every kind of bad input refused with a message, writing nothing."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from scenarios import services
from scenarios.models import Scenario, ScenarioAttachment
from tests.factories.scenarios import ScenarioFactory, district, domain, publisher_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher():
    return publisher_user()


def _form(**overrides):
    data = {
        "title": "智慧停车管理系统",
        "summary": "老城区路内停车智能化改造",
        "domain": domain("city_management").pk,
        "need_description": "对 3000 个路内泊位进行智能化改造。",
        "track": "mature",
        "stage": "planned",
        "funding_level": "district",
        "funding_share": "full",
        "funding_amount": "3500000",
        "district": district("haishu").pk,
        "location": "海曙区鼓楼街道",
        "start_date": "2026-03-01",
        "end_date": "2026-12-31",
        "contact_name": "李工",
        "contact_phone": "0574-87001234",
        "needs-TOTAL_FORMS": "2",
        "needs-INITIAL_FORMS": "0",
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "20",
        "needs-0-name": "车位检测",
        "needs-0-detail": "地磁+视频双模",
        "needs-1-name": "移动支付",
        "needs-1-detail": "",
        "intent": "save",
    }
    data.update(overrides)
    return data


def test_publisher_saves_a_draft_then_submits(client, publisher):
    client.force_login(publisher)
    response = client.post(reverse("scenarios:create"), _form())
    scenario = Scenario.objects.get()
    assert response.url == reverse("scenarios:edit", args=[scenario.pk])
    assert scenario.status == "draft" and scenario.publisher == publisher.organisation
    assert [item.name for item in scenario.need_items.all()] == ["车位检测", "移动支付"]
    assert scenario.funding_amount == Decimal("3500000")

    response = client.post(
        reverse("scenarios:edit", args=[scenario.pk]), _form(intent="submit", **{"needs-INITIAL_FORMS": "0"})
    )
    assert response.url == reverse("scenarios:detail", args=[scenario.pk])
    scenario.refresh_from_db()
    assert scenario.status == "submitted"


def test_company_cannot_create_a_scenario(client, company_member):
    client.force_login(company_member)
    assert client.get(reverse("scenarios:create")).status_code == 404
    assert client.post(reverse("scenarios:create"), _form()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.scenario_create(actor=company_member, data={"title": "x"})
    assert not Scenario.objects.exists()


def test_publisher_edits_only_own_organisations_scenarios(client, publisher):
    foreign = ScenarioFactory()
    client.force_login(publisher)
    assert client.get(reverse("scenarios:edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("scenarios:edit", args=[foreign.pk]), _form(title="改名")).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "改名"


def test_publisher_edits_only_while_editable(client, publisher):
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher, status="submitted")
    client.force_login(publisher)
    response = client.post(reverse("scenarios:edit", args=[scenario.pk]), _form(title="改名"), follow=True)
    assert "不能修改" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.title != "改名"
    with pytest.raises(DomainError, match="不能修改"):
        services.scenario_update(actor=publisher, scenario=scenario, data={"title": "改名"})


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"funding_amount": "-5"}, "funding_amount", "投资额不能为负数"),
        ({"funding_amount": "abc"}, "funding_amount", "输入一个数字"),
        ({"end_date": "2026-01-01"}, "end_date", "不能早于计划开始日期"),
        ({"domain": "999999"}, "domain", "选择一个有效的选项"),
        ({"title": "长" * 101}, "title", "不超过 100 字符"),
        ({"need_description": "长" * 5001}, "need_description", "不超过 5000 字符"),
        ({"start_date": "2026-02-30"}, "start_date", "有效的日期"),
        (
            {"track": "forward_looking", "tolerance_start": "2026-05-01", "tolerance_end": "2026-04-01"},
            "tolerance_end",
            "不能早于开始日期",
        ),
        ({"contact_email": "not-an-email"}, "contact_email", "合法的邮件地址"),
        ({"title": ""}, "title", "必填"),
    ],
)
def test_bad_input_on_the_page_gets_a_message_and_writes_nothing(client, publisher, overrides, field, message):
    client.force_login(publisher)
    response = client.post(reverse("scenarios:create"), _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Scenario.objects.exists()


def test_a_category_is_not_a_valid_domain(publisher):
    with pytest.raises(ValidationError) as raised:
        services.scenario_create(actor=publisher, data={"title": "测试", "domain": domain("governance")})
    assert "请选择具体领域" in raised.value.message_dict["domain"][0]
    assert not Scenario.objects.exists()


def test_duplicate_and_overlong_need_items_are_refused(publisher):
    with pytest.raises(ValidationError) as raised:
        services.scenario_create(
            actor=publisher,
            data={"title": "测试"},
            need_items=[{"name": "车牌识别"}, {"name": "车牌识别"}, {"name": "长" * 61}],
        )
    messages = " ".join(raised.value.message_dict["need_items"])
    assert "重复" in messages and "超过 60 个字" in messages
    assert not Scenario.objects.exists()


def test_mature_scenarios_have_no_tolerance_period(publisher):
    with pytest.raises(ValidationError, match="成熟技术场景不设包容期"):
        services.scenario_create(
            actor=publisher, data={"title": "测试", "track": "mature", "tolerance_start": "2026-01-01"}
        )


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("方案.pdf", b"MZ\x90\x00 this is an exe", "内容与扩展名不符"),
        ("方案.docx", b"PK\x03\x04" + b"\x00" * 40, "内容与扩展名不符"),
        ("病毒.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("空.pdf", b"", "空文件"),
        ("图.png", b"\xff\xd8\xff\xe0 jpeg pretending", "内容与扩展名不符"),
    ],
)
def test_bad_attachments_are_refused(client, publisher, name, content, message):
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    client.force_login(publisher)
    response = client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not ScenarioAttachment.objects.exists()


def test_oversize_attachment_is_refused(publisher, settings):
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="超过 20 MB 上限"):
        services.scenario_attachment_add(actor=publisher, scenario=scenario, uploaded_file=big)
    assert not ScenarioAttachment.objects.exists()


def test_good_attachments_are_kept_and_downloadable_only_by_those_who_see_the_scenario(
    client, publisher, company_member
):
    scenario = ScenarioFactory(publisher=publisher.organisation, created_by=publisher)
    client.force_login(publisher)
    client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile("实施方案.docx", _docx_bytes())},
    )
    client.post(
        reverse("scenarios:attachment-add", args=[scenario.pk]),
        {"file": SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test")},
    )
    attachments = list(scenario.attachments.all())
    assert [attachment.original_name for attachment in attachments] == ["实施方案.docx", "说明.pdf"]
    download = reverse("scenarios:attachment-download", args=[scenario.pk, attachments[0].pk])
    assert client.get(download).status_code == 200
    client.force_login(company_member)  # the scenario is still a draft
    assert client.get(download).status_code == 404


def test_a_refused_submit_keeps_a_new_draft(client, publisher):
    """Save-and-submit of a new scenario with 联系电话 empty: the draft exists and says why it was not submitted."""
    client.force_login(publisher)
    response = client.post(reverse("scenarios:create"), _form(intent="submit", contact_phone=""))
    scenario = Scenario.objects.get()
    assert response.url == reverse("scenarios:edit", args=[scenario.pk])
    assert scenario.status == "draft" and scenario.title == "智慧停车管理系统"
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "草稿已保存，但未能提交审核" in text and "联系电话" in text


def test_a_refused_submit_keeps_the_edits_of_an_existing_draft(client, publisher):
    client.force_login(publisher)
    client.post(reverse("scenarios:create"), _form())
    scenario = Scenario.objects.get()
    client.post(
        reverse("scenarios:edit", args=[scenario.pk]),
        _form(intent="submit", title="智慧停车管理系统（二期）", contact_phone=""),
    )
    scenario.refresh_from_db()
    assert scenario.status == "draft"
    assert scenario.title == "智慧停车管理系统（二期）"
    assert scenario.contact_phone == ""


def test_scenario_save_reports_each_step(publisher):
    data = {key: value for key, value in _form(contact_phone="").items() if not key.startswith(("needs", "intent"))}
    form_data = {
        "title": data["title"],
        "need_description": data["need_description"],
        "contact_phone": "",
        "contact_name": "李工",
    }
    result = services.scenario_save(
        actor=publisher, scenario=None, data=form_data, need_items=[{"name": "车位检测", "detail": ""}], submit=True
    )
    assert result.scenario.pk and not result.submitted and "联系电话" in result.submit_refusal
    assert Scenario.objects.filter(pk=result.scenario.pk, status="draft").exists()
