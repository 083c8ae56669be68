# ruff: noqa: F811 — the module-scoped fixtures imported from tests/evaluation/conftest_world.py are redefined as arguments
"""Who may not use which evaluation page or API endpoint: an anonymous visitor (sent to sign in;
the API answers 401/403), a company user of an unrelated organisation, a member of the subject's
organisation without a working role, and an expert of the judge pool not on the team get a 404 —
the page does not reveal that the record exists — and nothing changes. An expert on the team who is
conflicted with the subject gets a 404 on its material, sheet and result.

Where one of them may use an endpoint by design (the judge pool reads published frameworks, any
company user records a replication of an approved case, the public reads approved cases, a user
with a working role opens their own empty lists) the case says so in `allowed`, with the reason.
The world is built once for the module (tests/evaluation/conftest_world.py).
"""

import json
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from tests.evaluation.conftest_world import _media_root, state, world, world_media  # noqa: F401

pytestmark = pytest.mark.django_db

OUTSIDERS = ["anonymous", "stranger", "member_without_role", "outside_expert"]


@dataclass
class Endpoint:
    path: object  # callable(world) -> str
    method: str = "GET"
    data: object = None  # callable(world) -> dict, or a dict
    allowed: tuple = ()  # outsiders who may use it by design


def get(path, allowed=()):
    return Endpoint(path, "GET", None, allowed)


def post(path, data=None, allowed=()):
    return Endpoint(path, "POST", data, allowed)


JUDGE_POOL_READS_PUBLISHED = ("outside_expert",)  # may_read_frameworks: the judge pool
OWN_EMPTY_LIST = ("stranger",)  # a working user's own list (self-assessment, rectification)

PAGES = {
    "hub": get(lambda w: "/evaluation/"),
    "framework list": get(lambda w: "/evaluation/frameworks/", allowed=JUDGE_POOL_READS_PUBLISHED),
    "published framework": get(
        lambda w: f"/evaluation/frameworks/{w.framework.pk}/", allowed=JUDGE_POOL_READS_PUBLISHED
    ),
    "published framework's diff": get(
        lambda w: f"/evaluation/frameworks/{w.framework.pk}/diff/", allowed=JUDGE_POOL_READS_PUBLISHED
    ),
    "draft framework": get(lambda w: f"/evaluation/frameworks/{w.draft_framework.pk}/"),
    "draft editor": get(lambda w: f"/evaluation/frameworks/{w.draft_framework.pk}/edit/"),
    "draft editor: delete": post(
        lambda w: f"/evaluation/frameworks/{w.draft_framework.pk}/edit/", {"action": "discard"}
    ),
    "new draft": post(lambda w: "/evaluation/frameworks/new/", {"level": "city"}),
    "new version": post(lambda w: f"/evaluation/frameworks/{w.framework.pk}/new-version/", {"change_note": "修订"}),
    "round list": get(lambda w: "/evaluation/rounds/"),
    "round form": get(lambda w: "/evaluation/rounds/new/"),
    "round page": get(lambda w: f"/evaluation/rounds/{w.round.pk}/"),
    "round page: remove a subject": post(
        lambda w: f"/evaluation/rounds/{w.round.pk}/", lambda w: {"action": "remove_subject", "target": w.subject.pk}
    ),
    "my evaluations": get(lambda w: "/evaluation/mine/", allowed=("outside_expert",)),  # their own, empty
    "round's commitment": get(lambda w: f"/evaluation/mine/rounds/{w.round.pk}/"),
    "sign the commitment": post(lambda w: f"/evaluation/mine/rounds/{w.round.pk}/"),
    "subject's material": get(lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/"),
    "sheet": get(lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/sheet/"),
    "save a sheet": post(
        lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/sheet/",
        lambda w: {f"points_{leaf.pk}": "8" for leaf in w.leaves} | {"action": "submit"},
    ),
    "reopen a sheet": post(lambda w: f"/evaluation/mine/sheets/{w.sheet.pk}/reopen/", {"reason": "请复核"}),
    "self-assessment list": get(lambda w: "/evaluation/self-assessment/", allowed=OWN_EMPTY_LIST),
    "self-assessment": get(lambda w: f"/evaluation/self-assessment/{w.subject.pk}/"),
    "write the self-assessment": post(
        lambda w: f"/evaluation/self-assessment/{w.subject.pk}/", {"text": "冒名自评", "action": "submit"}
    ),
    "evidence": get(lambda w: f"/evaluation/evidence/{w.evidence.pk}/"),
    "figures": get(lambda w: f"/evaluation/subjects/{w.subject.pk}/figures/"),
    "result": get(lambda w: f"/evaluation/results/{w.subject.pk}/"),
    "record a finding": post(
        lambda w: f"/evaluation/results/{w.subject.pk}/",
        lambda w: {
            "severity": "general",
            "description": "冒名问题",
            "recommendation": "x",
            "organisation": w.supplier.pk,
            "due_date": "2027-01-01",
        },
    ),
    "consensus queue": get(lambda w: "/evaluation/consensus/"),
    "record a consensus": post(
        lambda w: "/evaluation/consensus/",
        lambda w: {"subject": w.subject.pk, "indicator": w.leaves[0].pk, "points": "9", "reason": "合议"},
    ),
    "report": get(lambda w: f"/evaluation/rounds/{w.round.pk}/report/"),
    "close the round": post(lambda w: f"/evaluation/rounds/{w.round.pk}/report/", {"action": "close"}),
    "report download": get(lambda w: f"/evaluation/rounds/{w.round.pk}/report/download/"),
    "findings tracker": get(lambda w: "/evaluation/findings/"),
    "finding": get(lambda w: f"/evaluation/findings/{w.finding.pk}/"),
    "rectify a finding": post(lambda w: f"/evaluation/findings/{w.finding.pk}/", {"action": "submit", "text": "冒名"}),
    "rectification list": get(lambda w: "/evaluation/rectification/", allowed=OWN_EMPTY_LIST),
    "proposed case": get(lambda w: f"/cases/{w.proposed_case.pk}/"),
    "approved case": get(lambda w: f"/cases/{w.case.pk}/", allowed=tuple(OUTSIDERS)),  # public
    "case list": get(lambda w: "/cases/", allowed=tuple(OUTSIDERS)),  # public
    # Any working user of another organisation records a replication of an approved case.
    "replicate an approved case": get(lambda w: f"/cases/{w.case.pk}/replicate/", allowed=("stranger",)),
    "replicate a proposed case": get(lambda w: f"/cases/{w.proposed_case.pk}/replicate/"),
    "supplement a case": get(lambda w: f"/cases/{w.proposed_case.pk}/supplement/"),
    "case queue": get(lambda w: "/cases/queue/"),
    "decide a case": post(
        lambda w: "/cases/queue/", lambda w: {"case": w.proposed_case.pk, "decision": "dismiss", "reason": "x"}
    ),
    "nomination rule": get(lambda w: "/cases/rule/"),
    "replication queue": get(lambda w: "/replications/queue/"),
    "verify a replication": post(
        lambda w: "/replications/queue/", lambda w: {"replication": w.replication.pk, "decision": "verify"}
    ),
    "replication evidence": get(lambda w: f"/replications/{w.replication.pk}/evidence/"),
    "tolerance register": get(lambda w: "/tolerance/"),
    "my tolerance register": get(lambda w: "/tolerance/mine/"),
    "tolerance period": get(lambda w: f"/tolerance/{w.period.pk}/"),
    "record an incident": post(
        lambda w: f"/tolerance/{w.period.pk}/",
        {"action": "incident", "occurred_on": "2026-07-01", "description": "冒名事件"},
    ),
}

APIS = {
    "framework: draft": get(lambda w: f"/api/v1/evaluation-frameworks/{w.draft_framework.pk}/"),
    "framework: published": get(
        lambda w: f"/api/v1/evaluation-frameworks/{w.framework.pk}/", allowed=JUDGE_POOL_READS_PUBLISHED
    ),
    "framework: publish a draft": post(lambda w: f"/api/v1/evaluation-frameworks/{w.draft_framework.pk}/publish/"),
    "framework: new version": post(
        lambda w: f"/api/v1/evaluation-frameworks/{w.framework.pk}/new-version/",
        {"change_note": "x"},
    ),
    "round": get(lambda w: f"/api/v1/evaluation-rounds/{w.round.pk}/"),
    "round: open one": post(
        lambda w: "/api/v1/evaluation-rounds/",
        lambda w: {"title": "冒名轮次", "level": "enterprise", "year": 2026, "framework": w.framework.pk},
    ),
    "sheet": get(lambda w: f"/api/v1/evaluation-sheets/{w.sheet.pk}/"),
    "sheet: save": post(
        lambda w: "/api/v1/evaluation-sheets/save/",
        lambda w: {"subject": w.subject.pk, "scores": [{"indicator": w.leaves[0].pk, "points": "8"}]},
    ),
    "sheet: reopen": post(lambda w: f"/api/v1/evaluation-sheets/{w.sheet.pk}/reopen/", {"reason": "x"}),
    "result": get(lambda w: f"/api/v1/evaluation-results/{w.result.pk}/"),
    "finding": get(lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/"),
    "finding: progress": post(lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/progress/", {"note": "x"}),
    "finding: verify": post(lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/verify/"),
    "finding: return": post(lambda w: f"/api/v1/evaluation-findings/{w.finding.pk}/return/", {"reason": "x"}),
    "case: proposed": get(lambda w: f"/api/v1/typical-cases/{w.proposed_case.pk}/"),
    "case: decide": post(
        lambda w: f"/api/v1/typical-cases/{w.proposed_case.pk}/decide/", {"decision": "dismiss", "reason": "x"}
    ),
    "replication": get(lambda w: f"/api/v1/replications/{w.replication.pk}/"),
    "replication: of a proposed case": post(
        lambda w: "/api/v1/replications/", lambda w: {"case": w.proposed_case.pk, "kind": "adoption"}
    ),
    "replication: verify": post(lambda w: f"/api/v1/replications/{w.replication.pk}/verify/", {"approve": True}),
    "tolerance period": get(lambda w: f"/api/v1/tolerance-periods/{w.period.pk}/"),
    "tolerance period: open one": post(
        lambda w: "/api/v1/tolerance-periods/", lambda w: {"scenario": w.spare_forward_scenario.pk}
    ),
    "tolerance period: incident": post(
        lambda w: f"/api/v1/tolerance-periods/{w.period.pk}/incidents/",
        {"occurred_on": "2026-07-01", "description": "x"},
    ),
    "tolerance period: decide an incident": post(
        lambda w: f"/api/v1/tolerance-periods/{w.period.pk}/incidents/decide/",
        lambda w: {"incident": w.incident.pk, "decision": "exempt", "basis": "x"},
    ),
    "tolerance period: end": post(lambda w: f"/api/v1/tolerance-periods/{w.period.pk}/end/", {"early": False}),
}

# Pages anyone may open (they show approved cases only): a visitor is not sent to sign in.
PUBLIC_PAGES = {"proposed case"}

# Lists: an outsider sees none of the world's records in them (the judge pool sees the published
# frameworks, the public the approved cases).
API_LISTS = {
    "/api/v1/evaluation-rounds/": (),
    "/api/v1/evaluation-sheets/": (),
    "/api/v1/evaluation-results/": (),
    "/api/v1/evaluation-findings/": (),
    "/api/v1/replications/": (),
    "/api/v1/tolerance-periods/": (),
}

# What the conflicted expert on the team may not see of the subject.
CONFLICTED = {
    "subject's material": PAGES["subject's material"],
    "evidence": PAGES["evidence"],
    "sheet": PAGES["sheet"],
    "save a sheet": PAGES["save a sheet"],
    "result": PAGES["result"],
    "API sheet: save": APIS["sheet: save"],
    "API result": APIS["result"],
}


def _person(world, who):
    return None if who == "anonymous" else getattr(world, who)


def _send(world, who, endpoint: Endpoint):
    client = APIClient()
    person = _person(world, who)
    if person is not None:
        client.force_login(person)
    url = endpoint.path(world)
    data = endpoint.data(world) if callable(endpoint.data) else endpoint.data
    before = state()
    if endpoint.method == "GET":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, json.dumps(data or {}), content_type="application/json")
    else:
        response = client.post(url, data or {})
    return response, before, url


def _cases(table):
    return [
        pytest.param(name, who, id=f"{name} · {who}")
        for name, endpoint in table.items()
        for who in OUTSIDERS
        if who not in endpoint.allowed
    ]


@pytest.mark.parametrize(("name", "who"), _cases(PAGES))
def test_an_outsider_gets_no_evaluation_page(world, name, who):
    response, before, url = _send(world, who, PAGES[name])
    if who == "anonymous" and name not in PUBLIC_PAGES:
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), response.status_code
    else:
        assert response.status_code == 404, (url, response.status_code)
        assert "页面不存在" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(("name", "who"), _cases(APIS))
def test_an_outsider_gets_no_evaluation_api_record_or_action(world, name, who):
    response, before, url = _send(world, who, APIS[name])
    # A visitor is told to sign in (401/403), or gets the 404 of a public endpoint or of an
    # operator's action (answered as if it did not exist whoever asks).
    expected = (401, 403, 404) if who == "anonymous" else (404,)
    assert response.status_code in expected, (url, response.status_code, response.content[:300])
    assert response.json()["detail"] in ("未找到。", "身份认证信息未提供。")
    assert state() == before


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("url", API_LISTS)
def test_an_outsider_finds_none_of_the_world_in_the_api_lists(world, url, who):
    client = APIClient()
    if who != "anonymous":
        client.force_login(_person(world, who))
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 200 and response.json()["count"] == 0, response.json()


def test_the_judge_pool_sees_published_frameworks_and_no_draft_in_the_api_list(world):
    client = APIClient()
    client.force_login(world.outside_expert)
    ids = {row["id"] for row in client.get("/api/v1/evaluation-frameworks/?page_size=100").json()["results"]}
    assert world.framework.pk in ids and world.draft_framework.pk not in ids
    client.force_login(world.stranger)
    assert client.get("/api/v1/evaluation-frameworks/").json()["count"] == 0


def test_the_public_api_lists_approved_cases_only(world):
    ids = {row["id"] for row in APIClient().get("/api/v1/typical-cases/").json()["results"]}
    assert world.case.pk in ids and world.proposed_case.pk not in ids


@pytest.mark.parametrize("name", CONFLICTED)
def test_an_expert_conflicted_with_the_subject_gets_none_of_it(world, name):
    response, before, url = _send(world, "conflicted", CONFLICTED[name])
    assert response.status_code == 404, (url, response.status_code)
    assert state() == before


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("lead", lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/"),
        ("lead", lambda w: f"/evaluation/mine/subjects/{w.subject.pk}/sheet/"),
        ("lead", lambda w: f"/evaluation/results/{w.subject.pk}/"),
        ("company_user", lambda w: f"/evaluation/self-assessment/{w.subject.pk}/"),
        ("publisher_user", lambda w: f"/tolerance/{w.period.pk}/"),
        ("operator", lambda w: f"/evaluation/rounds/{w.round.pk}/"),
    ],
    ids=["lead material", "lead sheet", "lead result", "company self-assessment", "publisher period", "operator round"],
)
def test_the_people_the_pages_are_for_do_get_them(world, who, url):
    """The sweep's refusals are not a page that refuses everyone."""
    client = APIClient()
    client.force_login(getattr(world, who))
    assert client.get(url(world)).status_code == 200
