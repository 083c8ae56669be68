"""A hand-countable world for the SOE assessment and credit tests (year 2026, Beijing time).

SOE 轨道 (宁波市轨道交通集团有限公司), under the seeded 2026 scheme:
  opened       5 scenarios first submitted in 2026 (one at 00:30 on 1 January Beijing time) ×0.5 = 2.5 → cap 2
               not counted: first submitted 31 Dec 2025 23:30 and resubmitted 2026; withdrawn in 2026
  published    2 scenarios published in 2026 ×0.5 = 1 (one published 2025 not counted)
  in contest   1 scenario put into a contest in 2026 ×1 = 1
  implementing 1 scenario ×1 = 1
  demonstrated 3 scenarios ×2 = 6 → cap 4
  products     2 verified uses after the result ×1 = 2 (not counted: one before the result day,
               one rejected, one pending)
  total        2 + 1 + 1 + 1 + 4 + 2 = 11
SOE 城建 (宁波市城建设计研究院有限公司): nothing, every item 0, total 0.

Company 甬视 leads e1 and e2 (eligible, results 20 March 2026), e3 (ineligible), e4 (eligible,
credit check failed), e5 (results still to come): shortlisted 2 ×1 = 2; in use (the two counted
uses of e1) 2 ×2 = 4; total 6.
Company 海曙 leads e6 (results 2025): shortlisted 0 in 2026; its product used (verified) in 2026:
in use 1 ×2 = 2; total 2.
The lead of the 轨道 challenge's entry (宁波甬视智能科技有限公司（测试）): shortlisted 1, total 1.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from contests.models import Challenge
from scenarios.models import Scenario
from steering.models import AssessmentItem, AssessmentScheme
from steering.reference_data import seed_assessment_scheme
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory
from tests.factories.steering import ProductUseFactory, beijing, contest_entry, contest_with_results, status_reached


def build_world():
    seed_assessment_scheme(AssessmentScheme, AssessmentItem, year=2026)
    rail = OrganisationFactory(kind="soe", name="宁波市轨道交通集团有限公司")
    urban = OrganisationFactory(kind="soe", name="宁波市城建设计研究院有限公司")
    bureau = OrganisationFactory(kind="government", name="宁波市住房和城乡建设局")
    rail_publisher = UserFactory(organisation=rail, roles=["publisher"], display_name="王建国")
    urban_publisher = UserFactory(organisation=urban, roles=["publisher"], display_name="李海涛")

    def scenario(title, **kwargs):
        return ScenarioFactory(title=title, publisher=rail, created_by=rail_publisher, **kwargs)

    opened = [scenario(f"轨道交通智慧运维场景{n}", status="submitted") for n in range(4)]
    for item in opened:
        status_reached(item, "submitted", beijing(2026, 2, 10))
    new_year = scenario("地铁站客流感知（元旦凌晨提交）", status="submitted")
    status_reached(new_year, "submitted", datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC))
    opened.append(new_year)
    late = scenario("去年底提交、今年重新提交的场景", status="submitted")
    status_reached(late, "submitted", beijing(2025, 12, 31, 23))
    status_reached(late, "submitted", beijing(2026, 1, 5), from_status="rejected")
    withdrawn = scenario("已撤回的隧道巡检场景", status="withdrawn")
    status_reached(withdrawn, "submitted", beijing(2026, 3, 1))

    published = [scenario(f"已发布的车辆段场景{n}", status="published") for n in range(2)]
    Scenario.objects.filter(pk__in=[s.pk for s in published]).update(published_at=beijing(2026, 4, 1))
    old = scenario("2025 年发布的场景", status="published")
    Scenario.objects.filter(pk=old.pk).update(published_at=beijing(2025, 6, 1))

    implementing = scenario("盾构施工数字孪生", status="in_implementation")
    status_reached(implementing, "in_implementation", beijing(2026, 7, 1))
    demonstrated = [scenario(f"示范线智能巡检{n}", status="demonstrated") for n in range(3)]
    for item in demonstrated:
        status_reached(item, "demonstrated", beijing(2026, 9, 1))
    # the ScenarioFactory stamps published_at now on published-and-later states; keep only the two above in 2026
    Scenario.objects.filter(pk__in=[implementing.pk, *[s.pk for s in demonstrated]]).update(
        published_at=beijing(2025, 5, 1)
    )

    contest = contest_with_results(beijing(2026, 3, 20))
    rail_challenge_entry = contest_entry(contest, publisher=rail)  # puts one 轨道 scenario into a contest in 2026
    Scenario.objects.filter(pk=rail_challenge_entry.challenge.scenario_id).update(published_at=beijing(2025, 5, 1))
    Challenge.objects.filter(pk=rail_challenge_entry.challenge_id).update(created_at=beijing(2026, 2, 1))
    yongshi = OrganisationFactory(name="宁波甬视智能科技有限公司")
    haishu = OrganisationFactory(name="宁波海曙感知物联网技术有限公司")
    e1 = contest_entry(contest, lead=yongshi, publisher=bureau, title="甬视——轨道巡检机器人")
    e2 = contest_entry(contest, lead=yongshi, publisher=bureau, title="甬视——站台客流视觉分析")
    e3 = contest_entry(contest, lead=yongshi, publisher=bureau, status="ineligible")
    e4 = contest_entry(contest, lead=yongshi, publisher=bureau, credit_check="failed")
    future = contest_with_results(timezone.now() + datetime.timedelta(days=30), name="下一届场景大赛")
    e5 = contest_entry(future, lead=yongshi, publisher=bureau)
    contest_2025 = contest_with_results(beijing(2025, 10, 15), name="2025年宁波市应用场景大赛")
    e6 = contest_entry(contest_2025, lead=haishu, publisher=bureau, title="海曙——管廊环境监测")

    def use(entry, used_on, status="verified", organisation=rail):
        return ProductUseFactory(
            entry=entry, organisation=organisation, used_on=used_on, status=status, recorded_by=rail_publisher
        )

    counted = [use(e1, datetime.date(2026, 4, 1)), use(e1, datetime.date(2026, 5, 10))]
    before_result = use(e1, datetime.date(2026, 3, 19))
    rejected = use(e2, datetime.date(2026, 6, 1), status="rejected")
    pending = use(e2, datetime.date(2026, 6, 2), status="pending")
    haishu_use = use(e6, datetime.date(2026, 2, 1), organisation=bureau)
    return SimpleNamespace(
        rail=rail,
        urban=urban,
        bureau=bureau,
        rail_publisher=rail_publisher,
        urban_publisher=urban_publisher,
        yongshi=yongshi,
        haishu=haishu,
        contest=contest,
        entries=SimpleNamespace(e1=e1, e2=e2, e3=e3, e4=e4, e5=e5, e6=e6),
        opened=opened,
        counted=counted,
        before_result=before_result,
        rejected=rejected,
        pending=pending,
        haishu_use=haishu_use,
        operator=operator_user(display_name="徐海燕"),
        official=UserFactory(roles=["official"], display_name="张卫东"),
    )


EXPECTED_RAIL = {
    "scenarios_opened": (5, "2.00"),
    "scenarios_published": (2, "1.00"),
    "scenarios_in_contest": (1, "1.00"),
    "scenarios_in_implementation": (1, "1.00"),
    "scenarios_demonstrated": (3, "4.00"),
    "products_used": (2, "2.00"),
}
