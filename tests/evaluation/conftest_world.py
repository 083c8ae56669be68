"""One evaluation world with a record of every kind and a person of every standing, for the sweeps
that walk every evaluation page and API endpoint (tests/evaluation/test_hostile_input.py and
test_permission_sweep.py).

The world is built once per test module (`world` fixture) inside a transaction that is rolled back
at the module's end; each test runs in its own savepoint inside it (pytest-django's `db`), so what a
test changes is undone before the next. Uploaded files live in the module's own media directory.
"""

import datetime
import shutil
import tempfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from contests.choices import SheetStatus
from contests.models import JudgeRelationship
from core.models import AuditRecord, Notification
from evaluation import models, services
from evaluation.choices import CaseStatus, ReplicationKind, RoundStatus, SubjectRole
from scenarios.choices import ScenarioStatus
from tests.conftest import ensure_reference_data
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, publisher_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "佐证材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class World:
    """A 企业级 round in scoring (three experts, the first leads, a fourth on the team conflicted
    with the subject; all signed) with one subject — a scenario of an SOE, a supplier company —
    its evidence, a submitted sheet, a draft sheet, a result and a finding; a closed round with an
    approved typical case and a pending replication with evidence; a tolerance period with a
    checkpoint, an incident and an extension request; a draft framework. And the people."""

    def __init__(self):
        ensure_reference_data()
        self.operator = operator_user()
        self.framework = factories.framework()
        self.draft_framework = factories.framework(published=False)
        self.round = factories.evaluation_round(
            status=RoundStatus.SCORING, experts=3, framework=self.framework, opened_by=self.operator
        )
        self.experts = [member.expert for member in self.round.experts.order_by("assigned_at", "id")]
        self.lead = self.experts[0]
        self.scenario = ScenarioFactory(status=ScenarioStatus.PUBLISHED)
        self.publisher = self.scenario.publisher
        self.supplier = OrganisationFactory(name="宁波承接科技有限公司")
        self.subject = factories.subject(
            self.round, scenario=self.scenario, organisations=[(self.supplier, SubjectRole.SUPPLIER)]
        )
        self.conflicted = factories.expert()
        models.RoundExpert.objects.create(round=self.round, expert=self.conflicted, assigned_by=self.operator)
        JudgeRelationship.objects.create(judge=self.conflicted, organisation=self.supplier, kind="shareholding")
        for expert in [*self.experts, self.conflicted]:
            models.EvaluationCommitment.objects.create(round=self.round, expert=expert, text_sha256="x" * 64)

        # People of every standing.
        self.company_user = UserFactory(organisation=self.supplier, roles=["company"])
        self.publisher_user = publisher_user(organisation=self.publisher)
        self.member_without_role = UserFactory(organisation=self.supplier, roles=[])
        self.stranger = UserFactory(organisation=OrganisationFactory(name="宁波无关科技有限公司"), roles=["company"])
        self.outside_expert = factories.expert()

        self.leaves = list(models.Indicator.objects.filter(framework=self.framework, tier=2).order_by("code"))
        self.evidence = services.evidence_upload(
            actor=self.company_user, subject=self.subject, uploaded_file=pdf(), indicator=self.leaves[0]
        )
        self.sheet = services.evaluation_sheet_save(
            actor=self.experts[1],
            subject=self.subject,
            points={leaf.pk: "8" for leaf in self.leaves},
            submit=True,
        )
        self.lead_sheet = services.evaluation_sheet_save(
            actor=self.lead, subject=self.subject, points={leaf.pk: "7.5" for leaf in self.leaves}, submit=True
        )
        self.draft_sheet = services.evaluation_sheet_save(
            actor=self.experts[2], subject=self.subject, points={self.leaves[0].pk: "6"}
        )
        assert self.draft_sheet.status == SheetStatus.DRAFT
        self.result = services.subject_result_compute(subject=self.subject, trigger="sheet_submitted")
        self.finding = services.finding_create(
            actor=self.operator,
            subject=self.subject,
            severity="general",
            indicator=self.leaves[2],
            description="佐证材料不完整",
            recommendation="补充验收报告",
            organisation=self.supplier,
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )

        # A closed round with an approved case and a pending replication.
        self.closed_round = factories.evaluation_round(status=RoundStatus.CLOSED, opened_by=self.operator)
        case_scenario = ScenarioFactory(status=ScenarioStatus.IN_IMPLEMENTATION)
        self.case_supplier = OrganisationFactory(name="宁波智运科技有限公司")
        self.case_subject = factories.subject(
            self.closed_round, scenario=case_scenario, organisations=[(self.case_supplier, SubjectRole.SUPPLIER)]
        )
        models.SubjectResult.objects.create(
            subject=self.case_subject,
            inputs={},
            inputs_sha256="0" * 64,
            results={"total": "90.00", "grade": "优", "red_line_hits": [], "dimensions": [], "leaves": []},
            total=Decimal("90"),
            grade="优",
            is_published=True,
        )
        self.case = models.TypicalCase.objects.create(
            subject=self.case_subject,
            status=CaseStatus.APPROVED,
            title=case_scenario.title,
            problem="港区集卡排队严重",
            solution="集卡智能调度系统",
            supplier=self.case_supplier,
            outcomes="排队时间缩短 40%",
            decided_at=timezone.now(),
        )
        self.proposed_case_subject = factories.subject(
            self.closed_round, title="待审定对象", organisations=[(OrganisationFactory(), SubjectRole.SUPPLIER)]
        )
        self.proposed_case = models.TypicalCase.objects.create(
            subject=self.proposed_case_subject, title="待审定案例", status=CaseStatus.PROPOSED
        )
        self.adopter_user = UserFactory(organisation=OrganisationFactory(name="宁波推广应用单位"), roles=["company"])
        self.replication = services.replication_record(
            actor=self.adopter_user,
            case=self.case,
            kind=ReplicationKind.ADOPTION,
            description="在本单位园区推广应用",
            evidence=pdf("推广佐证.pdf"),
        )

        # A tolerance period with one of everything.
        forward = ScenarioFactory(
            track="forward_looking",
            status=ScenarioStatus.IN_IMPLEMENTATION,
            publisher=self.publisher,
            tolerance_start=timezone.localdate() - datetime.timedelta(days=30),
            tolerance_end=timezone.localdate() + datetime.timedelta(days=300),
        )
        self.period = services.tolerance_period_open(actor=self.operator, scenario=forward)
        self.checkpoint = services.checkpoint_add(
            actor=self.operator, period=self.period, title="中期评估", due_on=timezone.localdate()
        )
        self.incident = services.incident_record(
            actor=self.publisher_user, period=self.period, occurred_on=timezone.localdate(), description="试运行中断"
        )
        self.extension = services.extension_request(
            actor=self.publisher_user,
            period=self.period,
            requested_until=self.period.ends_on + datetime.timedelta(days=90),
            reason="设备到货延迟",
        )
        self.spare_forward_scenario = ScenarioFactory(
            track="forward_looking",
            status=ScenarioStatus.IN_IMPLEMENTATION,
            tolerance_start=timezone.localdate(),
            tolerance_end=timezone.localdate() + datetime.timedelta(days=365),
        )


# Everything a refused request must leave as it was: every evaluation table, the audit log, the
# messages, and the scenarios a replication may link.
STATE_MODELS = [
    *(getattr(models, name) for name in models.__all__),
    AuditRecord,
    Notification,
]


def _rows(model):
    # A refusal for lack of permission is itself recorded (access.denied): evidence, not data.
    return model.objects.exclude(action="access.denied") if model is AuditRecord else model.objects


def state() -> dict:
    from scenarios.models import Scenario

    snapshot = {model.__name__: sorted(_rows(model).values_list(), key=repr) for model in STATE_MODELS}
    snapshot["Scenario"] = sorted(Scenario.objects.values_list("pk", "status", "replication_of_id"))
    return snapshot


@pytest.fixture(scope="module")
def world_media():
    directory = tempfile.mkdtemp(prefix="portal-world-media-")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    from django.conf import settings

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = world_media
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = World()
            yield built
            transaction.set_rollback(True)
    settings.MEDIA_ROOT = previous


@pytest.fixture
def _media_root(settings, world_media):
    """The world's files stay readable in every test (tests/conftest.py gives each test a new
    directory otherwise)."""
    settings.MEDIA_ROOT = world_media
    return world_media
