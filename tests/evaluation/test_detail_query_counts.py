"""The evaluation detail pages take a fixed number of queries, whatever the number of subjects,
experts, indicators, findings, replications or register entries they show: each page is built at
two sizes and must take the same, named count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contests.choices import SheetStatus
from contests.models import JudgeProfile, JudgeRelationship
from evaluation import services
from evaluation.choices import ReplicationKind, ReplicationStatus, RoundStatus, SubjectRole
from evaluation.models import EvaluationCommitment, EvaluationSheet, IndicatorScore, Replication, RoundExpert
from tests.evaluation.conftest_cases import approved_case, forward_scenario, open_period
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

SIZES = {"small": 1, "large": 4}


def _tree(size: int):
    """Four first-tier dimensions of 25 each, `size` leaves under each (weights summing to 100)."""
    tree = []
    for number, name in enumerate(["决策", "过程", "产出", "效益"], start=1):
        weights = [100 // size] * size
        weights[0] += 100 - sum(weights)
        leaves = [
            (f"{number}.{index}", f"{name}指标{index}", str(weight), "expert", number == 2 and index == 1)
            for index, weight in enumerate(weights, start=1)
        ]
        tree.append((str(number), name, "25", leaves))
    return tree


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


class Evaluated:
    """A 企业级 round in scoring with `size` subjects, `size + 2` experts (the first leads; each with
    a judge profile and a declared relationship, so the conflict rules have something to read), a
    framework with `size` leaves per dimension, every expert's submitted sheet on every subject,
    the results computed and `size` findings on the first subject."""

    def __init__(self, size: int):
        self.operator = operator_user()
        framework = factories.framework(tree=_tree(size))
        self.round = factories.evaluation_round(
            status=RoundStatus.SCORING, experts=size + 2, framework=framework, opened_by=self.operator
        )
        self.experts = [member.expert for member in self.round.experts.order_by("assigned_at", "id")]
        self.lead = self.experts[0]
        for expert in self.experts:
            EvaluationCommitment.objects.create(round=self.round, expert=expert, text_sha256="x" * 64)
            JudgeProfile.objects.create(user=expert, title="教授", affiliation_credit_code="91330200MA2XXXXX0X")
            JudgeRelationship.objects.create(judge=expert, organisation=OrganisationFactory(), kind="collaboration")
        self.leaves = list(framework.indicators.filter(tier=2).order_by("code"))
        self.subjects = []
        for _ in range(size):
            scenario = ScenarioFactory(status="published")
            supplier = OrganisationFactory()
            self.subjects.append(
                factories.subject(self.round, scenario=scenario, organisations=[(supplier, SubjectRole.SUPPLIER)])
            )
            UserFactory(organisation=supplier, roles=["company"])
        self.subject = self.subjects[0]
        for subject in self.subjects:
            for expert in self.experts:
                # Scores first, then signed: on PostgreSQL a signed sheet takes no new score.
                sheet = EvaluationSheet.objects.create(subject=subject, expert=expert)
                IndicatorScore.objects.bulk_create(
                    IndicatorScore(sheet=sheet, indicator=leaf, points=Decimal("8"), comment="良好")
                    for leaf in self.leaves
                )
                EvaluationSheet.objects.filter(pk=sheet.pk).update(
                    status=SheetStatus.SUBMITTED, submitted_at=timezone.now(), content_sha256="x" * 64
                )
            services.subject_result_compute(subject=subject, trigger="sheet_submitted")
        supplier = self.subject.subject_organisations.get(role=SubjectRole.SUPPLIER).organisation
        self.findings = [
            services.finding_create(
                actor=self.operator,
                subject=self.subject,
                severity="general",
                indicator=self.leaves[index % len(self.leaves)],
                description=f"问题{index}",
                recommendation="整改",
                organisation=supplier,
                due_date=timezone.localdate() + datetime.timedelta(days=30),
            )
            for index in range(size)
        ]
        self.rectifier = UserFactory(organisation=supplier, roles=["company"])
        for index in range(size):  # the finding's history grows
            services.finding_progress(actor=self.rectifier, finding=self.findings[0], note=f"进展{index}")


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def evaluated(request):
    return Evaluated(SIZES[request.param])


# Every page: session, user (with roles and unread messages, for the base template).
BASE = 2


@pytest.mark.parametrize("size", list(SIZES))
def test_the_framework_page_takes_fixed_queries_whatever_the_indicators(client, size):
    framework = factories.framework(tree=_tree(SIZES[size]))
    client.force_login(operator_user())
    # base; the framework with its indicator count; its indicators; its grade bands.
    assert _queries(client, f"/evaluation/frameworks/{framework.pk}/") == BASE + 3


def test_the_round_page_takes_fixed_queries_whatever_the_subjects_and_experts(client, evaluated):
    client.force_login(evaluated.operator)
    # base; the round with its counts; its subjects with their evidence counts; their
    # organisations; the team with profiles and the 回避承诺; the sheets' states; the conflicts in
    # bulk (the subjects' organisations, their credit codes, the experts' declared affiliations,
    # their declared relationships). (While scoring, the add-subject and add-expert forms are not
    # on the page.)
    assert _queries(client, f"/evaluation/rounds/{evaluated.round.pk}/") == BASE + 9


def test_the_lead_round_page_takes_fixed_queries_whatever_the_subjects_and_experts(client, evaluated):
    client.force_login(evaluated.lead)
    # base; the round with the lead's flags; the subjects the lead may see (the team check, the
    # 回避承诺, the subjects, their organisations, the lead's own sheets, then the lead's conflicts in
    # bulk: organisations, credit codes, affiliation, relationships); the lead's matrix (the team,
    # the sheets' states, the whole team's conflicts in bulk).
    assert _queries(client, f"/evaluation/mine/rounds/{evaluated.round.pk}/") == BASE + 16


def test_the_sheet_page_takes_fixed_queries_whatever_the_indicators(client, evaluated):
    client.force_login(evaluated.experts[1])
    # base; the subject with its round and framework; its organisations; the expert's clearance
    # (on the team, the 回避承诺, the conflict: declared profile, the organisations' credit codes,
    # declared relationships); the expert's own sheet; its scores; the framework's indicators; the
    # figures.
    assert _queries(client, f"/evaluation/mine/subjects/{evaluated.subject.pk}/sheet/") == BASE + 11


def test_the_result_page_takes_fixed_queries_whatever_the_subjects_experts_and_indicators(client, evaluated):
    client.force_login(evaluated.operator)
    # base; the subject; the latest result; the round's results for the average; the findings with
    # organisation and indicator; which of them the reader may open; the finding form's organisations
    # and indicators.
    assert _queries(client, f"/evaluation/results/{evaluated.subject.pk}/") == BASE + 7


def test_the_finding_page_takes_fixed_queries_whatever_its_history(client, evaluated):
    client.force_login(evaluated.rectifier)
    # base; the finding with subject, round, organisation and indicator; the menu's evaluation flags
    # of the rectifier's organisation; the finding's audit history.
    assert _queries(client, f"/evaluation/findings/{evaluated.findings[0].pk}/") == BASE + 3


@pytest.mark.parametrize("size", list(SIZES))
def test_the_case_page_takes_fixed_queries_whatever_the_replications(client, size):
    case = approved_case()
    for index in range(SIZES[size]):
        adopter = OrganisationFactory()
        Replication.objects.create(
            case=case,
            adopter=adopter,
            kind=ReplicationKind.ADOPTION,
            description=f"推广{index}",
            status=ReplicationStatus.VERIFIED,
            recorded_by=UserFactory(organisation=adopter, roles=["company"]),
            verified_at=timezone.now(),
        )
    # Anonymous: no session queries. The case with round, scenario, publisher, domain, supplier and
    # decider; the subject's organisations with the organisation; the published result; the
    # verified replications with adopter and scenario.
    assert _queries(client, f"/cases/{case.pk}/") == 4


@pytest.mark.parametrize("size", list(SIZES))
def test_the_tolerance_page_takes_fixed_queries_whatever_the_register_holds(client, size):
    operator = operator_user()
    period = open_period(operator, forward_scenario(publisher=OrganisationFactory(kind="soe")))
    publisher = publisher_user(organisation=period.scenario.publisher)
    for index in range(SIZES[size]):
        services.checkpoint_add(
            actor=operator, period=period, title=f"节点{index}", due_on=period.starts_on + datetime.timedelta(days=30)
        )
        incident = services.incident_record(
            actor=publisher, period=period, occurred_on=period.starts_on, description=f"事件{index}"
        )
        services.incident_decide(actor=operator, incident=incident, decision="exempt", basis="不可抗力")
    services.extension_request(
        actor=publisher, period=period, requested_until=period.ends_on + datetime.timedelta(days=60), reason="延期"
    )
    client.force_login(operator)
    # base; the period with scenario, publisher and its counts; its checkpoints; its incidents with
    # their recorder and decider; its extensions with their requester.
    assert _queries(client, f"/tolerance/{period.pk}/") == BASE + 4
    assert RoundExpert.objects.count() == 0  # nothing of a round is read here
