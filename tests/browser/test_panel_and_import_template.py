"""An operator forms a panel from suggestions ranked by 领域匹配; an association fills in the import
template, whose coded columns are drop-downs, and reads which values a bad cell may take."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from capability_list.import_checker import HEADERS
from contests import services
from contests.models import JudgeProfile, PanelMembership
from tests.browser.conftest import login, screenshot
from tests.contests.conftest import rounds_starting
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _judge(username, display_name, fields, organisation=None):
    judge = UserFactory(
        username=username,
        display_name=display_name,
        organisation=organisation or OrganisationFactory(kind="institute"),
        roles=["judge"],
    )
    JudgeProfile.objects.create(user=judge, title="教授", fields=fields)
    return judge


def test_operator_assigns_the_judge_whose_fields_fit_the_challenge_best(page):
    operator = operator_user(username="kejiju")
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    scenario = ScenarioFactory(status="published", title="地铁站点智慧停车诱导系统", needs=["车牌识别", "无感支付"])
    services.challenge_create(
        actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="车位检测"
    )
    _judge("linxy", "林晓燕", ["新材料", "储能"])
    _judge("chengq", "陈国强", ["交通", "号牌识别", "边缘计算"])
    _judge("zhaoli", "赵丽", ["智慧城管", "大数据"])
    _judge("gongjiao_expert", "王工", ["交通", "车牌识别"], organisation=scenario.publisher)  # the publisher's own

    login(page, operator.username)
    page.get_by_role("link", name="场景大赛", exact=True).first.click()
    page.get_by_role("link", name="2026 宁波场景大赛").click()
    page.get_by_role("link", name="评审组", exact=True).click()
    page.wait_for_url("**/panel/")
    rows = page.get_by_test_id("suggestions").locator("tbody tr")
    expect(rows).to_have_count(3)  # the publisher's own expert is not suggested
    expect(rows.nth(0)).to_contain_text("陈国强")
    expect(rows.nth(0).get_by_test_id("fit")).to_have_text("1.75")
    reasons = rows.nth(0).get_by_test_id("fit-reasons")
    expect(reasons).to_contain_text("“交通”对应场景领域“交通”（+1）")
    expect(reasons).to_contain_text("“号牌识别”见于技术需求“车牌识别”（+0.5）")
    expect(reasons).to_contain_text("“边缘计算”是交通场景的常用技术领域（+0.25）")
    expect(rows.nth(1)).to_contain_text("赵丽")
    expect(rows.nth(1).get_by_test_id("fit")).to_have_text("0.5")
    expect(rows.nth(2).get_by_test_id("fit-reasons")).to_have_text("专业领域与本场景无交集")
    screenshot(page, "panel-suggestions-by-field-match")
    rows.nth(0).get_by_label("组长").check()
    page.get_by_test_id("assign-chengq").click()
    page.wait_for_url("**/panel/")
    expect(page.get_by_test_id("panel-members")).to_contain_text("陈国强")
    expect(page.get_by_test_id("suggestions").locator("tbody tr")).to_have_count(2)
    assert PanelMembership.objects.get().judge.username == "chengq"


def test_association_fills_the_template_drop_downs_and_sees_the_allowed_values_of_a_bad_cell(page, tmp_path):
    association = UserFactory(
        username="ruanxie",
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"),
        roles=["association"],
    )
    login(page, association.username)
    page.get_by_role("link", name="批量导入").first.click()
    page.wait_for_url("**/capabilities/import/")
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    assert download.value.suggested_filename == "capability-import-template.xlsx"
    with open(download.value.path(), "rb") as template:
        workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    validated = {
        sheet.cell(row=1, column=cells.min_col).value
        for dv in sheet.data_validations.dataValidation
        for cells in dv.sqref.ranges
    }
    assert {"类型", "成熟度", "行业大类代码", "企业所在区域", "价格区间"} <= validated
    # The association's staff fill a row as the drop-downs offer it, and mistype another.
    example = [cell.value for cell in sheet[2]]

    def filled(**values):
        row = list(example)
        for header, value in values.items():
            row[HEADERS.index(header)] = value
        return row

    sheet.append(
        filled(**{"技术（产品）名称": "车位诱导屏", "三首证书编号": "NB-1", "行业大类代码": "40 仪器仪表制造业"})
    )
    sheet.append(filled(**{"技术（产品）名称": "停车收费终端", "三首证书编号": "NB-2", "价格区间": "五十万左右"}))
    path = tmp_path / "能力清单导入.xlsx"
    workbook.save(path)

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/capabilities/import/*/")
    expect(page.get_by_test_id("valid-rows")).to_have_text("2")
    expect(page.get_by_test_id("error-rows")).to_have_text("1")
    expect(page.get_by_test_id("import-errors")).to_contain_text(
        "未知价格区间“五十万左右”。可选值：10 万元以下、10–50 万元、50–200 万元、200–1000 万元、1000 万元以上。"
    )
    screenshot(page, "import-error-names-allowed-values")
