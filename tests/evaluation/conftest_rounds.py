"""Fixtures of the rounds and expert-sheet tests (imported by tests/evaluation/test_rounds_*.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.choices import Level, RoundStatus, SubjectRole
from evaluation.models import EvaluationCommitment, Indicator
from scenarios.choices import ScenarioStatus
from tests.factories import evaluation as ev
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "自评佐证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


@pytest.fixture
def op():
    return operator_user()


@pytest.fixture
def supplier():
    return OrganisationFactory(name="宁波智造科技有限公司")


@pytest.fixture
def scenario():
    return ScenarioFactory(status=ScenarioStatus.PUBLISHED)


class Scene:
    """A 企业级 round in scoring with three experts (the first leads), all signed; one subject (a
    scenario: its publisher SOE and a supplier) and the users who act for it."""

    def __init__(self, status=RoundStatus.SCORING, sign=True):
        self.operator = operator_user()
        self.round = ev.evaluation_round(status=status, experts=3, opened_by=self.operator)
        self.experts = [member.expert for member in self.round.experts.order_by("assigned_at", "id")]
        self.lead = self.experts[0]
        self.scenario = ScenarioFactory(status=ScenarioStatus.PUBLISHED)
        self.supplier = OrganisationFactory(name="宁波承接科技有限公司")
        self.subject = ev.subject(
            self.round, scenario=self.scenario, organisations=[(self.supplier, SubjectRole.SUPPLIER)]
        )
        self.publisher_user = UserFactory(organisation=self.scenario.publisher, roles=["publisher"])
        self.company_user = UserFactory(organisation=self.supplier, roles=["company"])
        if sign:
            for expert in self.experts:
                EvaluationCommitment.objects.create(round=self.round, expert=expert, text_sha256="x" * 64)

    def leaves(self):
        return list(Indicator.objects.filter(framework=self.round.framework, tier=2).order_by("code"))

    def full_points(self, value="8.5") -> dict:
        return {leaf.pk: value for leaf in self.leaves()}


@pytest.fixture
def scene():
    return Scene()


__all__ = ["Level", "RoundStatus", "Scene", "pdf"]
