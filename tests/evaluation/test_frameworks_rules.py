"""Computed indicator rules count exactly the right records; figures and their points."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from capability_list.models import Credential
from contests.models import Award, Challenge, Contest, ContestEntry, CooperationAgreement
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from evaluation import services
from evaluation.choices import Level, RoundStatus, ScoringMethod
from evaluation.indicator_rules import RULES, rule_choices, rule_for
from evaluation.models import Framework, IndicatorFigure, ToleranceIncident, TolerancePeriod
from evaluation.services.frameworks import figure_points
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory, district, domain

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _reference(reference_data):
    pass


@pytest.fixture
def operator():
    return operator_user()


def at(year=YEAR, month=5, day=1):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def published_scenario(**kwargs):
    when = kwargs.pop("published_at", at())
    scenario = ScenarioFactory(status=kwargs.pop("status", "published"), **kwargs)
    scenario.published_at = when
    scenario.save(update_fields=["published_at"])
    return scenario


def contest(operator):
    start = at(YEAR, 3, 1)
    return Contest.objects.create(
        name="2026 宁波场景大赛",
        year=YEAR,
        award_budget=Decimal("5000000"),
        challenges_open_at=start,
        registration_open_at=start + timedelta(days=1),
        eligibility_open_at=start + timedelta(days=2),
        roadshow_open_at=start + timedelta(days=3),
        review_open_at=start + timedelta(days=4),
        notice_open_at=start + timedelta(days=5),
        results_open_at=start + timedelta(days=6),
        created_by=operator,
    )


def entry(challenge, lead=None, status="eligible", submitted_at=None):
    lead = lead or OrganisationFactory()
    return ContestEntry.objects.create(
        credit_check="passed",
        challenge=challenge,
        lead=lead,
        created_by=UserFactory(organisation=lead, roles=["company"]),
        title=f"{lead.name}的方案",
        summary="方案摘要",
        status=status,
        submitted_at=submitted_at or at(),
    )


def challenge_for(contest_, scenario):
    return Challenge.objects.create(
        contest=contest_,
        scenario=scenario,
        title=scenario.title,
        requirements="要求",
        award_cap=Decimal("800000"),
        created_by=scenario.created_by,
    )


def agreement(item, signed_on, operator):
    return CooperationAgreement.objects.create(
        entry=item, mode="procurement", signed_on=signed_on, recorded_by=operator
    )


def award(item, operator):
    challenge = item.challenge
    return Award.objects.create(
        entry=item, challenge=challenge, contest=challenge.contest, amount=Decimal("500000"), decided_by=operator
    )


def subject_of(level, *, domain=None, **kwargs):
    round_ = factories.evaluation_round(level=level, framework=Framework.objects.get(level=level, version=1))
    item = factories.subject(round_, **kwargs)
    if domain is not None:
        item.domain = domain
        item.save()
    return item


def ids(result):
    return [row["id"] for row in result.counted]


def test_every_rule_has_a_label_levels_and_a_written_definition():
    assert set(RULES) >= {
        "enterprise.contest_products_contracted",
        "enterprise.tolerance_incidents_held",
        "industry.scenarios_published",
        "industry.companies_engaged",
        "industry.first_products_applied",
        "city.domains_covered",
        "city.districts_covered",
        "city.scenarios_published",
        "city.agreements_signed",
        "city.replications_verified",
    }
    for rule in RULES.values():
        assert rule.label and rule.levels and len(rule.description) > 20
    assert [code for code, _label in rule_choices(Level.CITY)] == [
        "city.domains_covered",
        "city.districts_covered",
        "city.scenarios_published",
        "city.agreements_signed",
        "city.replications_verified",
    ]


def test_contest_products_contracted_counts_signed_agreements_of_the_scenarios_challenges(operator):
    scenario = published_scenario(status="in_contest")
    other = published_scenario(status="in_contest")
    edition = contest(operator)
    board = challenge_for(edition, scenario)
    signed = agreement(entry(board), date(YEAR, 6, 1), operator)
    agreement(entry(board), None, operator)  # a cooperation not yet signed
    agreement(entry(board), date(YEAR + 1, 1, 5), operator)  # signed after the evaluated year
    agreement(entry(challenge_for(edition, other)), date(YEAR, 6, 1), operator)  # another scenario
    result = rule_for("enterprise.contest_products_contracted").compute(
        subject_of(Level.ENTERPRISE, scenario=scenario), YEAR
    )
    assert (result.value, ids(result)) == (Decimal(1), [signed.pk])
    assert result.counted[0]["model"] == "contests.CooperationAgreement"


def test_tolerance_incidents_exempted_inside_the_period_are_not_held(operator):
    scenario = published_scenario(track="forward_looking")
    period = TolerancePeriod.objects.create(
        scenario=scenario,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
        original_ends_on=date(YEAR, 12, 31),
        created_by=operator,
    )

    def incident(day, decision=""):
        return ToleranceIncident.objects.create(
            period=period, occurred_on=day, description="试验失败", recorded_by=operator, decision=decision
        )

    incident(date(YEAR, 3, 1), "exempt")  # 免责 inside an active period: not held
    reduced = incident(date(YEAR, 4, 1), "reduced")
    refused = incident(date(YEAR, 5, 1), "not_tolerated")
    undecided = incident(date(YEAR, 6, 1))
    incident(date(YEAR - 1, 6, 1), "not_tolerated")  # another year
    result = rule_for("enterprise.tolerance_incidents_held").compute(
        subject_of(Level.ENTERPRISE, scenario=scenario), YEAR
    )
    assert ids(result) == [reduced.pk, refused.pk, undecided.pk]
    assert "免责不计 1 件" in result.note and "尚未认定 1 件" in result.note
    # a period ended early: a 免责 after its actual end no longer shelters the incident
    period.status, period.ended_on = "ended_early", date(YEAR, 6, 30)
    period.save()
    late = incident(date(YEAR, 8, 1), "exempt")
    result = rule_for("enterprise.tolerance_incidents_held").compute(
        subject_of(Level.ENTERPRISE, scenario=scenario), YEAR
    )
    assert ids(result) == [reduced.pk, refused.pk, undecided.pk, late.pk]


def test_industry_scenarios_published_counts_the_domain_and_its_fields_in_the_year():
    governance = domain("governance")
    transport = domain("transport")  # a field under 城市治理
    inside = published_scenario(domain=transport)
    category = published_scenario(domain=governance)
    published_scenario(domain=transport, published_at=at(YEAR - 1))  # last year
    published_scenario(domain=domain("health"))  # another domain
    withdrawn = published_scenario(domain=transport)
    withdrawn.status = "withdrawn"
    withdrawn.save()
    result = rule_for("industry.scenarios_published").compute(subject_of(Level.INDUSTRY, domain=governance), YEAR)
    assert sorted(ids(result)) == sorted([inside.pk, category.pk])
    narrow = rule_for("industry.scenarios_published").compute(subject_of(Level.INDUSTRY, domain=transport), YEAR)
    assert ids(narrow) == [inside.pk]
    assert rule_for("industry.scenarios_published").compute(subject_of(Level.INDUSTRY), YEAR).value == 0


def test_industry_companies_engaged_counts_each_entrant_or_enquirer_once(operator):
    from capability_list.models import Enquiry

    transport = domain("transport")
    scenario = published_scenario(domain=transport, status="in_contest")
    elsewhere = published_scenario(domain=domain("health"), status="in_contest")
    edition = contest(operator)
    board = challenge_for(edition, scenario)
    both = OrganisationFactory(name="甲公司")
    entrant = OrganisationFactory(name="乙公司")
    asker = OrganisationFactory(name="丙公司")
    entry(board, both)
    entry(challenge_for(edition, elsewhere), OrganisationFactory(name="丁公司"))  # another domain
    entry(board, entrant, status="submitted")
    entry(board, OrganisationFactory(name="戊公司"), status="draft")  # never submitted
    for company in (both, asker):
        Enquiry.objects.create(
            company=company,
            asked_by=UserFactory(organisation=company, roles=["company"]),
            scenario=scenario,
            addressee=scenario.publisher,
            subject="咨询",
            question="接口？",
            due_date=date(YEAR, 6, 1),
        )
    result = rule_for("industry.companies_engaged").compute(subject_of(Level.INDUSTRY, domain=transport), YEAR)
    assert sorted(ids(result)) == sorted([both.pk, entrant.pk, asker.pk])


def test_industry_first_products_applied_counts_credentialed_products_of_winners_and_contractors(operator):
    transport = domain("transport")
    scenario = published_scenario(domain=transport, status="in_contest")
    edition = contest(operator)
    board = challenge_for(edition, scenario)
    winner, contractor, loser = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    award(entry(board, winner), operator)
    agreement(entry(board, contractor), date(YEAR, 7, 1), operator)
    entry(board, loser)

    def product(company, credential=True, status="listed"):
        item = EntryFactory(company=company, status=status)
        if credential:
            Credential.objects.create(
                entry=item, kind="first_set", certificate_number=f"NB-{item.pk}", level="municipal", year=2025
            )
            Credential.objects.create(
                entry=item, kind="first_version", certificate_number=f"NV-{item.pk}", level="municipal", year=2025
            )
        return item

    counted = [product(winner), product(contractor)]
    product(winner, credential=False)  # no 三首 credential
    product(winner, status="draft")  # not listed
    product(loser)  # neither won nor contracted
    result = rule_for("industry.first_products_applied").compute(subject_of(Level.INDUSTRY, domain=transport), YEAR)
    assert ids(result) == sorted(item.pk for item in counted)


def test_city_rules_count_domains_districts_scenarios_and_agreements_of_the_year(operator):
    yinzhou, haishu = district("yinzhou"), district("haishu")
    first = published_scenario(domain=domain("transport"), district=yinzhou, status="in_contest")
    second = published_scenario(domain=domain("health"), district=haishu)
    third = published_scenario(domain=domain("transport"), district=haishu)
    published_scenario(domain=domain("education"), district=district("beilun"), published_at=at(YEAR - 1))
    signed = agreement(entry(challenge_for(contest(operator), first)), date(YEAR, 9, 1), operator)
    city = subject_of(Level.CITY)
    compute = {code: rule_for(code).compute for code in RULES if code.startswith("city.")}
    assert sorted(ids(compute["city.domains_covered"](city, YEAR))) == sorted(
        [domain("transport").pk, domain("health").pk]
    )
    assert sorted(ids(compute["city.districts_covered"](city, YEAR))) == sorted([yinzhou.pk, haishu.pk])
    assert sorted(ids(compute["city.scenarios_published"](city, YEAR))) == sorted([first.pk, second.pk, third.pk])
    assert ids(compute["city.agreements_signed"](city, YEAR)) == [signed.pk]
    haishu_subject = factories.subject(city.round, title="海曙区")
    haishu_subject.district = haishu
    haishu_subject.save()
    assert sorted(ids(compute["city.scenarios_published"](haishu_subject, YEAR))) == sorted([second.pk, third.pk])
    assert ids(compute["city.agreements_signed"](haishu_subject, YEAR)) == []
    assert compute["city.districts_covered"](haishu_subject, YEAR).value == 1


def test_points_are_proportional_to_the_target_capped_and_rounded_half_up():
    indicator = Framework.objects.get(level=Level.CITY, version=1).indicators.get(code="3.1")  # target 100, out of 10
    assert figure_points(indicator, Decimal("45")) == Decimal("4.5")
    assert figure_points(indicator, Decimal("33.5")) == Decimal("3.4")  # 3.35 half-up
    assert figure_points(indicator, Decimal("250")) == Decimal("10.0")
    held = Framework.objects.get(level=Level.ENTERPRISE, version=1).indicators.get(code="2.2.2")  # lower is better
    assert figure_points(held, Decimal("1"), better="lower") == Decimal("6.7")
    assert figure_points(held, Decimal("5"), better="lower") == Decimal("0.0")


def test_figures_compute_writes_each_computed_leaf_with_what_it_counted(operator):
    scenario = published_scenario(status="in_contest")
    signed = agreement(entry(challenge_for(contest(operator), scenario)), date(YEAR, 6, 1), operator)
    subject = subject_of(Level.ENTERPRISE, scenario=scenario)
    services.figures_compute(actor=operator, subject=subject)
    figures = {figure.indicator.code: figure for figure in IndicatorFigure.objects.filter(subject=subject)}
    assert set(figures) == {"2.1.2", "2.2.2"}
    contracted = figures["2.1.2"]
    assert (contracted.value, contracted.points, contracted.source) == (Decimal("1.00"), Decimal("10.0"), "computed")
    assert contracted.detail["rule"] == "enterprise.contest_products_contracted"
    assert contracted.detail["counted"] == [
        {"model": "contests.CooperationAgreement", "id": signed.pk, "label": signed.entry.title}
    ]
    assert (figures["2.2.2"].value, figures["2.2.2"].points) == (Decimal("0.00"), Decimal("10.0"))  # no incidents
    services.figures_compute(actor=operator, subject=subject)  # again: replaced, not duplicated
    assert IndicatorFigure.objects.filter(subject=subject).count() == 2
    assert AuditRecord.objects.filter(action="evaluation.figure.compute").count() == 2


def test_figure_import_for_an_imported_leaf_only_by_operators_in_an_open_round(operator):
    subject = subject_of(Level.ENTERPRISE, scenario=published_scenario())
    leaves = subject.round.framework.indicators
    imported = leaves.get(code="4.1")  # 降本增效, target 15 %
    assert imported.method == ScoringMethod.IMPORTED
    figure = services.figure_import(actor=operator, subject=subject, indicator=imported, value="12", note="测算报告")
    assert (figure.value, figure.points, figure.detail["note"]) == (Decimal("12"), Decimal("8.0"), "测算报告")
    with pytest.raises(DomainError):  # an expert-scored indicator takes no figure
        services.figure_import(actor=operator, subject=subject, indicator=leaves.get(code="1.1"), value="1")
    with pytest.raises(DomainError):  # an indicator of another framework
        other = Framework.objects.get(level=Level.CITY, version=1).indicators.get(code="3.3")
        services.figure_import(actor=operator, subject=subject, indicator=other, value="1")
    with pytest.raises(DomainError):
        services.figure_import(actor=operator, subject=subject, indicator=imported, value="-1")
    with pytest.raises(PermissionDenied):
        services.figure_import(actor=UserFactory(roles=["judge"]), subject=subject, indicator=imported, value="3")
    subject.round.status = RoundStatus.CLOSED
    subject.round.save()
    for attempt in (
        lambda: services.figure_import(actor=operator, subject=subject, indicator=imported, value="15"),
        lambda: services.figures_compute(actor=operator, subject=subject),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "round_closed"
    assert IndicatorFigure.objects.get(subject=subject, indicator=imported).value == Decimal("12")


def test_the_city_replication_rule_counts_what_the_target_counts(django_assert_num_queries):
    """city.replications_verified reads replications_counted: verified replications of approved
    cases in the year, one per adopter and case, in the subject's district when it has one."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from evaluation.models import Replication, TypicalCase
    from evaluation.selectors import replications_counted
    from tests.factories.accounts import OrganisationFactory
    from tests.factories.evaluation import evaluation_round, subject
    from tests.factories.scenarios import ScenarioFactory, district

    closed = evaluation_round(status="closed", experts=0)
    scenario = ScenarioFactory(status="in_implementation")
    case = TypicalCase.objects.create(subject=subject(closed, scenario=scenario), status="approved", title="案例")
    haishu, yinzhou = district("haishu"), district("yinzhou")
    adopters = [OrganisationFactory(district=haishu), OrganisationFactory(district=yinzhou)]
    verified_at = datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for adopter in [adopters[0], adopters[0], adopters[1]]:  # the same adopter twice counts once
        Replication.objects.create(
            case=case,
            adopter=adopter,
            kind="adoption",
            description="推广应用",
            status="verified",
            recorded_by=closed.opened_by,
            verified_at=verified_at,
        )
    Replication.objects.create(
        case=case, adopter=OrganisationFactory(), kind="adoption", description="待核实", recorded_by=closed.opened_by
    )
    city = evaluation_round(level="city", year=2026, experts=0)
    whole, one_district = subject(city, title="全市"), subject(city, title="海曙区")
    one_district.district = haishu
    one_district.save()
    assert RULES["city.replications_verified"].function(whole, 2026).value == 2
    assert RULES["city.replications_verified"].function(one_district, 2026).value == 1
    assert RULES["city.replications_verified"].function(whole, 2025).value == 0
    assert replications_counted(year=2026).count() == 2
