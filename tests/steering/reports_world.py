"""A month of 定期调度 for the monthly report's tests: March 2026, with a clock the tests move.

- the monthly cycle opened on 1 March (due on the 25th);
- 市科技局 files task 二 on time (accepted) and task 三 late (27 March);
- 市国资委 never files task 一: the hourly lamp job makes it red on the 26th and the operator
  issues a 督办单;
- a flagship scenario of an SOE demonstrated on 12 March, a company on the 高成长性 list since
  February, a scenario in its tolerance period;
- the snapshots of 31 March taken on 1 April; the cycle closed on 2 April by the operator."""

import datetime
import zoneinfo

from django.utils import timezone

from accounts.choices import OrganisationKind
from evaluation.models import TolerancePeriod
from steering import services
from steering.services.programme import cycle_open_monthly
from steering.tasks import lamps_refresh_task
from tests.factories.accounts import OrganisationFactory, UserFactory, valid_credit_code
from tests.factories.scenarios import ScenarioFactory
from tests.factories.steering import listed_company, report_of, status_reached, unit_reporter

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTH = datetime.date(2026, 3, 1)


class Clock:
    """Sets django.utils.timezone.now (which auto_now fields, localdate and the services read)."""

    def __init__(self, monkeypatch):
        self.moment = None
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, month, day, hour=10, minute=0):
        self.moment = datetime.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def operator():
    organisation = OrganisationFactory(
        kind=OrganisationKind.GOVERNMENT, name="宁波市科学技术局", credit_code=valid_credit_code(88001, "11330200")
    )
    return UserFactory(
        username="kjj_chenxiao", display_name="陈晓（市科技局运营）", organisation=organisation, roles=["operator"]
    )


def build_march(clock) -> dict:
    """The world up to (not including) the close; returns the cycle, the operator and the reports."""
    clock.set(3, 1, 0, 10)
    cycle, _created = cycle_open_monthly(today=MONTH)
    staff = operator()
    soe_org = OrganisationFactory(
        kind=OrganisationKind.SOE, name="宁波城建投资控股集团有限公司", credit_code=valid_credit_code(55001)
    )
    flagship = ScenarioFactory(
        title="三江口片区地下综合管廊智能巡检与数字孪生运维场景",
        publisher=soe_org,
        is_flagship=True,
        status="demonstrated",
    )
    clock.set(3, 12, 15)
    status_reached(flagship, "demonstrated", timezone.now(), from_status="in_implementation")
    listed_company(
        datetime.date(2026, 2, 1), name="宁波甬芯微电子科技股份有限公司", credit_code=valid_credit_code(55002)
    )
    tolerant = ScenarioFactory(
        title="杭州湾新区低空物流无人机城市配送试点场景", publisher=soe_org, status="in_implementation"
    )
    TolerancePeriod.objects.create(
        scenario=tolerant,
        starts_on=datetime.date(2026, 1, 15),
        ends_on=datetime.date(2026, 7, 14),
        original_ends_on=datetime.date(2026, 7, 14),
        created_by=staff,
    )

    science = unit_reporter("市科技局", username="kjj_wangli", display_name="王丽")
    sasac = unit_reporter("市国资委", username="gzw_zhoujian", display_name="周健")  # noqa: F841 — never files
    clock.set(3, 20)
    on_time = report_of(cycle, task_code=2, unit="市科技局")
    services.report_submit(
        actor=science,
        report=on_time,
        narrative="已发布第一批“揭榜挂帅”场景需求 12 项，完成市级场景库入库审核。\n组织 3 场供需对接会。",
        percentage=35,
        problems="部分区县场景需求描述不够具体",
        next_steps="4月组织专家辅导，完善需求清单",
    )
    clock.set(3, 21)
    services.report_accept(actor=staff, report=on_time, reason="")
    clock.set(3, 26)
    lamps_refresh_task()  # the hourly job: unfiled reports past the 25th turn red
    red = report_of(cycle, task_code=1, unit="市国资委")
    clock.set(3, 26, 11)
    notice = services.notice_issue(
        actor=staff,
        report=red,
        reason="3月调度报告逾期未报送，请说明原因并于4月2日前补报。",
        response_due_on=datetime.date(2026, 4, 2),
    )
    clock.set(3, 27, 16, 30)
    services.report_submit(
        actor=science,
        report=report_of(cycle, task_code=3, unit="市科技局"),
        narrative="=SUM(A1) 场景大赛赛道方案已起草，征求意见中。",  # formula-like text stays text
        percentage=20,
    )
    clock.set(4, 1, 1, 10)
    services.targets_snapshot_take(day=datetime.date(2026, 3, 31))
    return {"cycle": cycle, "operator": staff, "red": red, "notice": notice, "flagship": flagship}
