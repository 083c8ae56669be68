"""The monthly 调度 report: its cell values against a golden file, reproducibility after rule and
record changes, print settings, and a build for a cycle still open."""

import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.models import Job
from steering import services
from steering.models import DispatchReport
from steering.report_workbook import monthly_report_workbook
from tests.steering.reports_world import MONTH, Clock, build_march

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "monthly_report_2026_03.json"
SHEETS = ["封面与口径", "十百千目标", "六项任务", "报送情况", "逾期与督办", "包容期", "国企考核", "附表"]


def cell_values(content: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


@pytest.fixture
def closed_march(monkeypatch, reference_data, django_capture_on_commit_callbacks):
    clock = Clock(monkeypatch)
    world = build_march(clock)
    clock.set(4, 2, 9)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_close(actor=world["operator"], cycle=world["cycle"])
    world["clock"] = clock
    return world


def _values_of_build(job: Job) -> dict:
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    with job.result_file.open("rb") as handle:
        return cell_values(handle.read())


def test_the_closed_months_workbook_matches_the_golden_file(closed_march):
    job = Job.objects.get(kind="steering.monthly_report")
    values = _values_of_build(job)
    assert list(values) == SHEETS
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(values, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(values, ensure_ascii=False, default=str)) == golden


def test_the_report_not_filed_by_its_due_date_is_red_and_listed_with_its_notice(closed_march):
    values = _values_of_build(Job.objects.get(kind="steering.monthly_report"))
    overdue = values["逾期与督办"]
    row = next(r for r in overdue if r[0] and r[0].startswith("任务一") and r[1] == "市国资委")
    assert row[3] == "逾期未报" and row[5] == "红灯" and "逾期未报送" in row[6]
    notice = next(r for r in overdue if r[0] == "市国资委" and r[2] and "逾期未报送" in r[2])
    assert notice[5] == "待答复"
    late = next(r for r in overdue if r[0] and r[0].startswith("任务三") and r[1] == "市科技局")
    assert late[3] == "逾期报送"
    # the lead's narrative of task 三, formula-like text kept as text
    tasks = values["六项任务"]
    assert any(r[8] and "市科技局（已提交，20%）：=SUM(A1) 场景大赛" in r[8] for r in tasks[3:])


def test_a_rule_record_or_target_change_after_the_close_gives_the_same_numbers(closed_march, monkeypatch):
    from steering.models import Target

    first = _values_of_build(Job.objects.get(kind="steering.monthly_report"))
    Target.objects.update(target_value=999)  # an operator raises every target afterwards
    flagship = closed_march["flagship"]
    flagship.title = "改名后的场景"
    flagship.is_flagship = False
    flagship.save()
    from steering import target_rules

    rule = target_rules.RULES["flagship"]
    monkeypatch.setitem(
        target_rules.RULES, "flagship", target_rules.Rule("flagship", 2, rule.counted, rule.district_field)
    )
    closed_march["clock"].set(5, 10)
    content = monthly_report_workbook(month=MONTH, actor=closed_march["operator"])
    assert cell_values(content) == first
    assert DispatchReport.objects.count() == 1


def test_every_sheet_is_set_up_for_print(closed_march):
    job = Job.objects.get(kind="steering.monthly_report")
    with job.result_file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
        assert sheet["A1"].value and sheet["A1"].font.bold
    targets = workbook["十百千目标"]
    lamp_cells = [row[7] for row in targets.iter_rows(min_row=4) if row[7].value]
    assert lamp_cells and all(
        cell.fill.fgColor.rgb.endswith(("C6EFCE", "FFEB9C", "FFC7CE", "D9D9D9")) for cell in lamp_cells
    )
    red = [row[5] for row in workbook["逾期与督办"].iter_rows(min_row=4) if row[5].value == "红灯"]
    assert red and all(cell.fill.fgColor.rgb.endswith("FFC7CE") for cell in red)


def test_a_build_for_an_open_cycle_freezes_nothing_and_says_so(monkeypatch, reference_data):
    clock = Clock(monkeypatch)
    world = build_march(clock)
    clock.set(4, 1, 8, 30)
    values = cell_values(monthly_report_workbook(month=MONTH, actor=world["operator"]))
    assert values["封面与口径"][1][0] == "截至 2026-04-01 08:30，期次未结束"
    assert not DispatchReport.objects.exists()
    # the 十 figure comes from the snapshot of 31 March
    city_flagship = next(r for r in values["十百千目标"][3:] if r[0] == "特色示范性场景" and r[1] == "全市")
    assert city_flagship[2] == 1 and city_flagship[9] == "v1"
