"""The main menu each kind of person sees: labels and links, in order.

The expected menus were recorded from base.html before the menu moved into the navigation
registry (core/navigation.py), so the move changed nothing anyone sees.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services.roles import role_grant, role_revoke
from demo.accounts import DEMO_USERS
from evaluation import services as evaluation_services
from evaluation.choices import RoundStatus
from tests.conftest import count_cache_reads
from tests.factories import evaluation as ev
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')

PUBLIC = [
    ("首页", "/"),
    ("应用场景", "/scenarios/"),
    ("能力清单", "/capabilities/"),
    ("场景大赛", "/contests/"),
    ("典型案例", "/cases/"),
]
WORKBENCH = [("工作台", "/home/")]
ORGANISATION = [("本机构", "/organisation/")]
ENQUIRIES = [("咨询对接", "/enquiries/")]
JOBS = [("后台任务", "/jobs/")]

MENUS = {
    "anonymous": PUBLIC,
    "publisher": PUBLIC
    + WORKBENCH
    + ORGANISATION
    + [("我的场景", "/scenarios/mine/"), ("入围产品使用", "/steering/product-uses/")]
    + ENQUIRIES
    + JOBS,
    "company": PUBLIC
    + WORKBENCH
    + ORGANISATION
    + [
        ("我的能力清单", "/capabilities/mine/"),
        ("推荐场景", "/capabilities/recommendations/"),
        ("我的揭榜", "/contests/my-entries/"),
    ]
    + ENQUIRIES
    + JOBS,
    "association": PUBLIC
    + WORKBENCH
    + ORGANISATION
    + [("我的能力清单", "/capabilities/mine/"), ("批量导入", "/capabilities/import/")]
    + JOBS,
    # 咨询对接 belongs to the company and publisher roles, not to membership of an organisation (#18).
    "judge": PUBLIC + WORKBENCH + ORGANISATION + [("我的评审", "/judging/"), ("我的评估", "/evaluation/mine/")] + JOBS,
    "operator": PUBLIC
    + WORKBENCH
    + ORGANISATION
    + [
        ("批量导入", "/capabilities/import/"),
        ("场景审核", "/scenarios/review/"),
        ("清单审核", "/capabilities/review/"),
        ("对接活动", "/events/"),
        ("匹配结果", "/matches/"),
        ("机构审核", "/operator/organisations/"),
        ("场景领域", "/scenarios/domains/"),
        ("驾驶舱", "/steering/"),
        ("场景评估", "/evaluation/"),
    ]
    + ENQUIRIES
    + JOBS,
    "official": PUBLIC
    + WORKBENCH
    + ORGANISATION
    + [("驾驶舱", "/steering/"), ("评估结果", "/evaluation/published/")]
    + JOBS,
    # A city leader: an official of no organisation.
    "official-no-organisation": PUBLIC
    + WORKBENCH
    + [("驾驶舱", "/steering/"), ("评估结果", "/evaluation/published/")]
    + JOBS,
    "auditor": PUBLIC + WORKBENCH + [("审计日志", "/audit/")] + JOBS,
    "admin": PUBLIC + WORKBENCH + [("系统管理", "/admin/")] + JOBS,
}


def main_menu(client, path="/"):
    page = client.get(path).content.decode()
    return [(label, href) for href, label in LINK.findall(NAV.search(page).group(1))]


def demo_like(role, with_organisation, extra_roles=()):
    organisation = OrganisationFactory() if with_organisation else None
    return UserFactory(organisation=organisation, roles=[role, *extra_roles])


def test_an_anonymous_visitor_sees_only_the_public_pages(client):
    assert main_menu(client) == MENUS["anonymous"]


@pytest.mark.parametrize(("role", "with_organisation"), [(user[2], user[3] is not None) for user in DEMO_USERS])
def test_each_demo_role_sees_its_menu(client, role, with_organisation):
    client.force_login(demo_like(role, with_organisation))
    expected = MENUS.get(f"{role}-no-organisation" if not with_organisation else role, MENUS[role])
    assert main_menu(client) == expected


def test_a_person_with_two_roles_sees_the_links_of_both_once(client):
    client.force_login(demo_like("publisher", True, ["company"]))
    assert (
        main_menu(client)
        == PUBLIC
        + WORKBENCH
        + ORGANISATION
        + [
            ("我的场景", "/scenarios/mine/"),
            ("入围产品使用", "/steering/product-uses/"),
            ("我的能力清单", "/capabilities/mine/"),
            ("推荐场景", "/capabilities/recommendations/"),
            ("我的揭榜", "/contests/my-entries/"),
        ]
        + ENQUIRIES
        + JOBS
    )


def test_the_menu_is_the_same_on_every_page(client):
    client.force_login(demo_like("operator", True))
    assert main_menu(client, "/scenarios/") == MENUS["operator"]


def test_the_page_being_shown_is_marked_current_in_the_menu(client):
    client.force_login(demo_like("operator", True))
    page = client.get("/scenarios/review/").content.decode()
    menu = NAV.search(page).group(1)
    assert menu.count('aria-current="page"') == 1
    assert '<a href="/scenarios/review/" aria-current="page">场景审核</a>' in menu


def test_the_workbench_item_is_current_on_each_role_home(client):
    client.force_login(demo_like("company", True))
    menu = NAV.search(client.get("/home/company/").content.decode()).group(1)
    assert '<a href="/home/" aria-current="page">工作台</a>' in menu


def test_the_menu_speaks_english_in_the_english_interface(client):
    client.cookies["django_language"] = "en"
    labels = [label for label, _href in main_menu(client)]
    assert labels[0] == "Home" and "场景大赛" not in labels


# --- the menu from the cache (issue #20): worked out once per person, again when what it reads changes


def _menu_labels(client, path="/scenarios/"):
    return [label for label, _href in main_menu(client, path)]


def test_a_second_page_takes_the_menu_from_the_cache(client):
    client.force_login(demo_like("company", True))
    first = _menu_labels(client)
    with CaptureQueriesContext(connection) as second_page:
        assert _menu_labels(client) == first
    reads = " ".join(query["sql"] for query in second_page.captured_queries)
    assert "evaluation_subjectorganisation" not in reads  # the menu's predicates ran once, on the first page


def test_a_granted_and_a_revoked_role_change_the_menu_on_the_next_page(client):
    person = demo_like("company", True)
    client.force_login(person)
    assert "我的评审" not in _menu_labels(client)
    administrator = UserFactory(roles=["admin"])
    role_grant(actor=administrator, user=person, role="judge")
    assert "我的评审" in _menu_labels(client)
    role_revoke(actor=administrator, user=person, role="judge", reason="调岗")
    assert "我的评审" not in _menu_labels(client)


def test_a_person_moved_to_another_organisation_gets_that_organisations_menu(client):
    person = UserFactory(organisation=None, roles=["company"])
    client.force_login(person)
    assert "本机构" not in _menu_labels(client)
    person.organisation = OrganisationFactory()
    person.save(update_fields=["organisation"])
    assert "本机构" in _menu_labels(client)


def test_an_organisation_made_an_evaluation_subject_gets_its_menu_item_on_the_next_page(client):
    """The service adds the subject's organisations in one bulk insert, which sends no signal: it
    says itself that the menus changed."""

    supplier = OrganisationFactory()
    person = UserFactory(organisation=supplier, roles=["company"])
    client.force_login(person)
    assert "本单位评估" not in _menu_labels(client)
    operator = operator_user()
    round_ = ev.evaluation_round(status=RoundStatus.PREPARING, opened_by=operator)
    scenario = ScenarioFactory(status="published")
    evaluation_services.subject_add(actor=operator, round=round_, scenario=scenario, supplier=supplier)
    assert "本单位评估" in _menu_labels(client)


def test_a_page_reads_the_menu_and_its_version_in_one_round_trip(client, monkeypatch):
    """Every signed-in page asks which items the person sees: the version of the menu and the
    stored items are one read of the cache, not two in a row (issue #20)."""
    client.force_login(demo_like("company", True))
    first = _menu_labels(client)
    reads = count_cache_reads(monkeypatch)
    assert _menu_labels(client) == first
    menu_reads = [key for key in reads if "nav" in str(key)]
    assert len(menu_reads) == 1 and isinstance(menu_reads[0], list)  # the version and the items together
