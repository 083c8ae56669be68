"""SOE assessment pages: what operators, officials and publishers see; who gets 404; hostile
input; the workbooks' cell values and print layout."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditRecord
from steering.models import ProductUse
from tests.factories.accounts import UserFactory
from tests.steering.assessment_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def as_user(client, user):
    client.force_login(user)
    return client


def test_an_official_reads_the_scorecard_with_totals_and_drill_down_links(client, world):
    page = as_user(client, world.official).get(reverse("steering:assessment-scorecard"), {"year": "2026"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "宁波市轨道交通集团有限公司" in text and "宁波市城建设计研究院有限公司" in text
    assert f'data-testid="total-{world.rail.pk}">11' in text
    drill = reverse("steering:assessment-records", args=[2026, world.rail.pk, "scenarios_demonstrated"])
    assert drill in text
    assert "封顶" in text


def test_the_drill_down_lists_the_records_counted(client, world):
    url = reverse("steering:assessment-records", args=[2026, world.rail.pk, "products_used"])
    page = as_user(client, world.official).get(url)

    assert page.status_code == 200
    assert page.content.decode().count("/steering/product-uses/") == 2
    assert world.before_result.contract_number not in page.content.decode()


def test_the_credit_page_lists_companies_with_their_plus_points(client, world):
    page = as_user(client, world.operator).get(reverse("steering:assessment-credit"), {"year": 2026})

    text = page.content.decode()
    assert "宁波甬视智能科技有限公司" in text and f'data-testid="total-{world.yongshi.pk}">6' in text


@pytest.mark.parametrize("roles", [["company"], ["judge"], ["publisher"], ["auditor"]])
def test_companies_judges_publishers_and_auditors_get_404_on_the_assessment(client, world, roles):
    as_user(client, UserFactory(organisation=world.yongshi if roles != ["auditor"] else None, roles=roles))

    for url in (
        reverse("steering:assessment-scorecard"),
        reverse("steering:assessment-credit"),
        reverse("steering:assessment-scheme"),
        reverse("steering:assessment-scorecard-export", args=[2026]),
        reverse("steering:assessment-records", args=[2026, world.rail.pk, "products_used"]),
        reverse("steering:product-use-queue"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_publisher_sees_only_their_own_organisations_uses_and_another_soes_is_404(client, world):
    as_user(client, world.urban_publisher)

    listing = client.get(reverse("steering:product-use-list"))
    assert listing.status_code == 200
    assert "暂无使用记录" in listing.content.decode()
    assert client.get(reverse("steering:product-use-detail", args=[world.counted[0].pk])).status_code == 404
    assert client.get(reverse("steering:product-use-evidence", args=[world.counted[0].pk])).status_code == 404


def test_a_company_gets_404_on_uses(client, world):
    as_user(client, UserFactory(organisation=world.yongshi, roles=["company"]))

    assert client.get(reverse("steering:product-use-list")).status_code == 404
    assert client.get(reverse("steering:product-use-detail", args=[world.counted[0].pk])).status_code == 404


def test_officials_read_but_cannot_verify_record_or_edit(client, world):
    as_user(client, world.official)

    detail = client.get(reverse("steering:product-use-detail", args=[world.pending.pk]))
    assert detail.status_code == 200 and 'name="decision"' not in detail.content.decode()
    posted = client.post(
        reverse("steering:product-use-detail", args=[world.pending.pk]), {"use": world.pending.pk, "decision": "verify"}
    )
    assert posted.status_code == 404
    assert client.get(reverse("steering:product-use-create")).status_code == 404
    assert client.post(reverse("steering:assessment-scheme"), {"action": "file", "year": 2026}).status_code == 404
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"


def test_a_publisher_records_a_use_through_the_page(client, world):
    as_user(client, world.rail_publisher)
    page = client.get(reverse("steering:product-use-create"))
    assert world.entries.e2.title in page.content.decode()
    assert world.entries.e3.title not in page.content.decode()  # not shortlisted

    response = client.post(
        reverse("steering:product-use-create"),
        {
            "entry": world.entries.e2.pk,
            "kind": "agreement",
            "contract_number": "NBGT-2026-HZ-0033",
            "amount": "450000",
            "used_on": "2026-09-01",
            "evidence": SimpleUploadedFile("合作协议.pdf", b"%PDF-1.7 agreement"),
        },
    )

    use = ProductUse.objects.get(contract_number="NBGT-2026-HZ-0033")
    assert response.status_code == 302 and response.url == reverse("steering:product-use-detail", args=[use.pk])
    assert use.organisation == world.rail and use.status == "pending"


def test_a_use_before_the_result_is_shown_as_the_form_error(client, world):
    as_user(client, world.rail_publisher)
    response = client.post(
        reverse("steering:product-use-create"),
        {
            "entry": world.entries.e2.pk,
            "kind": "procurement",
            "contract_number": "NBGT-2026-CG-0999",
            "amount": "1000",
            "used_on": "2026-01-02",
            "evidence": SimpleUploadedFile("合同.pdf", b"%PDF-1.7"),
        },
    )

    assert response.status_code == 400
    assert "早于该大赛结果发布日" in response.content.decode()
    assert not ProductUse.objects.filter(contract_number="NBGT-2026-CG-0999").exists()


def test_the_operator_verifies_from_the_queue(client, world):
    as_user(client, world.operator)
    queue = client.get(reverse("steering:product-use-queue"))
    assert world.pending.contract_number in queue.content.decode()

    response = client.post(
        reverse("steering:product-use-queue"),
        {"use": world.pending.pk, "decision": "reject", "reason": "金额与合同不符"},
    )

    assert response.status_code == 302
    world.pending.refresh_from_db()
    assert world.pending.status == "rejected" and world.pending.decision_reason == "金额与合同不符"


def test_rejecting_without_a_reason_says_so_and_changes_nothing(client, world):
    as_user(client, world.operator)
    response = client.post(reverse("steering:product-use-queue"), {"use": world.pending.pk, "decision": "reject"})

    assert response.status_code == 400
    assert "不予通过时请填写理由" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"use": "abc", "decision": "verify"},
        {"use": "99999999999999999999", "decision": "verify"},
        {"use": "1", "decision": "maybe"},
        {"use": "-3", "decision": "verify"},
    ],
)
def test_hostile_posts_to_the_queue_answer_400_in_chinese(client, world, data):
    response = as_user(client, world.operator).post(reverse("steering:product-use-queue"), data)

    assert response.status_code == 400
    assert (
        "核实" in response.content.decode()
        or "必填" in response.content.decode()
        or "有效" in response.content.decode()
    )


def test_a_foreign_or_already_decided_use_posted_to_the_queue_is_404(client, world):
    response = as_user(client, world.operator).post(
        reverse("steering:product-use-queue"), {"use": world.counted[0].pk, "decision": "verify"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/steering/product-uses/99999999999999999999/",
        "/steering/product-uses/abc/",
        "/steering/product-uses/-1/evidence/",
        "/steering/assessment/abc/export/",
        "/steering/assessment/99999/export/",
        "/steering/assessment/credit/0/export/",
        "/steering/assessment/2026/records/1/not_an_item/",
        "/steering/assessment/2026/records/99999999999999999999/products_used/",
    ],
)
def test_hostile_urls_answer_404(client, world, path):
    assert as_user(client, world.operator).get(path).status_code == 404


def test_a_company_drill_down_of_an_soe_item_is_404(client, world):
    url = reverse("steering:assessment-records", args=[2026, world.yongshi.pk, "scenarios_opened"])
    assert as_user(client, world.operator).get(url).status_code == 404


@pytest.mark.parametrize("year", ["abc", "99999", "", "2026.5", "-1"])
def test_a_hostile_year_shows_the_current_year(client, world, year):
    page = as_user(client, world.official).get(reverse("steering:assessment-scorecard"), {"year": year})
    assert page.status_code == 200


@pytest.mark.parametrize("amount", ["1e400", "99999999999999999999", "abc", "-1", "0.001"])
def test_hostile_amounts_on_the_record_page_answer_400(client, world, amount):
    response = as_user(client, world.rail_publisher).post(
        reverse("steering:product-use-create"),
        {
            "entry": world.entries.e2.pk,
            "kind": "procurement",
            "contract_number": "X-1",
            "amount": amount,
            "used_on": "2026-09-01",
            "evidence": SimpleUploadedFile("合同.pdf", b"%PDF-1.7"),
        },
    )
    assert response.status_code == 400
    assert not ProductUse.objects.filter(contract_number="X-1").exists()


def test_an_empty_post_to_the_record_page_answers_400(client, world):
    response = as_user(client, world.rail_publisher).post(reverse("steering:product-use-create"), {})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_the_operator_edits_and_files_the_scheme_on_its_page(client, world):
    from steering.selectors import scheme_of

    as_user(client, world.operator)
    item = next(item for item in scheme_of(2026).items.all() if item.code == "products_used")
    url = reverse("steering:assessment-scheme")

    assert (
        client.post(url, {"year": 2026, "action": "item", "item": item.pk, "points": "1.5", "cap": "6"}).status_code
        == 302
    )
    bad = client.post(url, {"year": 2026, "action": "item", "item": item.pk, "points": "5", "cap": "1"})
    assert bad.status_code == 400 and "上限不能小于" in bad.content.decode()
    assert client.post(url, {"year": 2026, "action": "file"}).status_code == 302
    page = client.get(url, {"year": 2026})
    assert "已锁定" in page.content.decode() and 'name="points"' not in page.content.decode()


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_scorecard_workbook_has_the_layout_an_assessment_office_files(client, world):
    response = as_user(client, world.official).get(reverse("steering:assessment-scorecard-export", args=[2026]))

    assert response.status_code == 200
    sheet = _workbook(response).active
    assert sheet["A1"].value == "2026 年度国有企业应用场景开放考核计分表"
    assert sheet["A2"].value.startswith("年度：2026")
    assert sheet["A3"].value.startswith("口径：")
    assert sheet["A5"].value == "序号" and sheet["B5"].value == "单位名称"
    assert sheet["D5"].value == "开放场景数（提交审核）（每项 0.5 分，上限 2 分）"
    assert (sheet["D6"].value, sheet["E6"].value) == ("数量", "得分")
    assert sheet["P5"].value == "合计得分"
    first = [cell.value for cell in sheet[7]]
    assert first[:3] == [1, "宁波市轨道交通集团有限公司", world.rail.credit_code]
    assert first[3:] == [5, 2, 2, 1, 1, 1, 1, 1, 3, 4, 2, 2, 11]
    names = [sheet.cell(row=row, column=2).value for row in range(7, sheet.max_row + 1)]
    total_row = next(row for row in range(7, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == "合计")
    assert sheet.cell(row=total_row, column=16).value == 11
    assert "宁波市城建设计研究院有限公司" in names
    assert any("审核人" in str(sheet.cell(row=row, column=1).value) for row in range(total_row, sheet.max_row + 1))
    assert any("填报单位" in str(sheet.cell(row=row, column=1).value) for row in range(total_row, sheet.max_row + 1))
    assert sheet.freeze_panes == "D7"
    assert sheet.print_title_rows == "$5:$6"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    export = AuditRecord.objects.get(action="steering.assessment.export")
    assert export.actor == world.official and export.after == {"year": 2026}


def test_the_credit_workbook_lists_companies_and_plus_points(client, world):
    response = as_user(client, world.operator).get(reverse("steering:assessment-credit-export", args=[2026]))

    sheet = _workbook(response).active
    assert sheet["A1"].value == "2026 年度场景大赛入围产品信用评价加分表"
    assert AuditRecord.objects.get(action="steering.credit.export").actor == world.operator
    assert [cell.value for cell in sheet[7]] == [
        1,
        "宁波甬视智能科技有限公司",
        world.yongshi.credit_code,
        2,
        2,
        2,
        4,
        6,
    ]


def test_a_name_that_looks_like_a_formula_is_written_as_text(client, world):
    world.urban.name = '=HYPERLINK("http://evil")'
    world.urban.save()
    response = as_user(client, world.official).get(reverse("steering:assessment-scorecard-export", args=[2026]))
    sheet = _workbook(response).active
    names = [sheet.cell(row=row, column=2).value for row in range(7, sheet.max_row + 1)]
    assert '\'=HYPERLINK("http://evil")' in names


def test_the_scorecard_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    as_user(client, world.official)
    # session, user (with roles); the scheme and its items; the scheme years; six aggregates; the SOEs;
    # the unread-message count
    with django_assert_num_queries(12):
        client.get(reverse("steering:assessment-scorecard"), {"year": 2026})
    from tests.steering.test_assessment_selectors import build_more_soe

    for n in range(3):
        build_more_soe(n)
    with django_assert_num_queries(12):
        client.get(reverse("steering:assessment-scorecard"), {"year": 2026})


def test_a_publisher_turns_a_signed_agreement_into_a_use_in_one_step(client, world):
    from decimal import Decimal

    from contests.models import CooperationAgreement

    agreement = CooperationAgreement.objects.create(
        entry=world.entries.e2,
        mode="procurement",
        contract_amount=Decimal("520000.00"),
        signed_on=datetime.date(2026, 5, 6),
        recorded_by=world.operator,
    )
    bureau_publisher = UserFactory(organisation=world.bureau, roles=["publisher"])
    as_user(client, bureau_publisher)
    page = client.get(reverse("steering:product-use-from-agreement"))
    assert f'data-testid="record-agreement-{agreement.pk}"' in page.content.decode()
    assert (
        as_user(client, world.rail_publisher)
        .get(reverse("steering:product-use-from-agreement"))
        .content.decode()
        .count('data-testid="record-agreement-')
        == 0
    )  # not the 轨道 group's scenario

    as_user(client, bureau_publisher)
    response = client.post(
        reverse("steering:product-use-from-agreement"),
        {"agreement": agreement.pk, "contract_number": "NBZJ-CG-2026-88"},
    )

    use = ProductUse.objects.get(agreement=agreement)
    assert response.status_code == 302
    assert (use.organisation, use.kind, use.amount) == (world.bureau, "procurement", Decimal("520000.00"))
    empty = client.post(reverse("steering:product-use-from-agreement"), {"agreement": agreement.pk})
    assert empty.status_code == 400


def test_a_year_without_a_scheme_offers_operators_to_create_it(client, world):
    page = as_user(client, world.operator).get(reverse("steering:assessment-scorecard"), {"year": 2030})

    assert 'data-testid="no-scheme"' in page.content.decode() and "建立计分方案" in page.content.decode()
    created = client.post(reverse("steering:assessment-scheme"), {"year": 2030, "action": "create"})
    assert created.status_code == 302
    page = client.get(reverse("steering:assessment-scorecard"), {"year": 2030})
    assert 'data-testid="soe-scorecard"' in page.content.decode()


def test_officials_list_every_use_with_its_status(client, world):
    page = as_user(client, world.official).get(reverse("steering:product-use-list"), {"status": "rejected"})

    text = page.content.decode()
    assert world.rejected.contract_number in text and world.pending.contract_number not in text
    assert "登记使用" not in text  # officials read only
