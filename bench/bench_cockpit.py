"""The 驾驶舱 at city scale: every chart endpoint and the page, cold and warm cache, against one
hand-written SQL query per chart.

    .venv/bin/python bench/bench_cockpit.py            # SQLite file bench/bench_cockpit.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_cockpit .venv/bin/python bench/bench_cockpit.py

The data (built once, deterministically, reused while the file exists): 10,000 scenarios over every
domain, district and status (with their status changes), 100,000 capability entries of 5,000
companies (bench/synthetic.py) with 三首 credentials, 50 contests with 400 challenges, their
entries (submitted, qualified, scored, winners), awards and cooperation agreements, 20,000
enquiries, recommended matches, matchmaking events, evaluation rounds with published results and
findings, tolerance periods, and a year of daily 十百千 target snapshots (every metric, city-wide and
in every district; no chart reads them yet).

For each chart code, unfiltered and with a year and a district: GET /api/v1/cockpit/<code>/ through
Django's test Client as an operator with the cache cleared before each run (cold) and with the
cached payload (warm), and the same figures by one raw SQL query (cursor.execute) in this process.
Then the page /steering/ cold and warm, against all the raw queries run one after another. Prints
median and p95 (ms), the ratios to the SQL, the queries per request (cold/warm, counted by a
database execute wrapper) and the time one cold request spent in the database, and whether the
endpoint's figures equal the SQL's (exits 1 if any does not). The machine is shared and noisy:
read the ratios, not the absolute times.
"""

import datetime
import os
import random
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench_cockpit.sqlite3'}"
)
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Organisation, RoleAssignment, User  # noqa: E402
from bench.synthetic import entry_rows, scenario_rows  # noqa: E402
from bench.timing import measure, summary  # noqa: E402
from capability_list.models import (  # noqa: E402
    AgendaItem,
    CapabilityEntry,
    Credential,
    Enquiry,
    Industry,
    Match,
    MatchingModel,
    MatchmakingEvent,
    StrategicArea,
)
from contests.models import Award, Challenge, Contest, ContestEntry, CooperationAgreement, ScoreSheet  # noqa: E402
from demo.accounts import demo_credit_code  # noqa: E402
from evaluation.models import EvaluationRound, Finding, Framework, Subject, SubjectResult, TolerancePeriod  # noqa: E402
from scenarios.models import Domain, Scenario, ScenarioStatusChange  # noqa: E402
from steering import cockpit  # noqa: E402
from steering.models import TargetSnapshot  # noqa: E402

SCENARIOS, ENTRIES, COMPANIES, CONTESTS, CHALLENGES_PER_CONTEST, ENQUIRIES = 10_000, 100_000, 5_000, 50, 8, 20_000
MATCHES_PER_SCENARIO, EVENTS, AGENDA_PER_EVENT, TOLERANCE_PERIODS, FINDINGS = 8, 40, 30, 300, 200
RUNS = 20
FILTERED = {"year": 2025, "district": "yinzhou"}  # the second set of runs: one year, one district
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
SPAN_START = datetime.datetime(2024, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime.datetime(2026, 11, 30, tzinfo=UTC) - SPAN_START).total_seconds())

# Each status's share of the scenarios, and the path of status changes that leads to it.
FLOW = ["draft", "submitted", "approved", "published", "in_contest", "matched", "in_implementation", "demonstrated"]
STATUS_WEIGHTS = {
    "draft": 4,
    "submitted": 3,
    "approved": 2,
    "rejected": 2,
    "withdrawn": 2,
    "published": 38,
    "in_contest": 15,
    "matched": 10,
    "in_implementation": 13,
    "demonstrated": 6,
    "closed": 5,
}
LEVELS = {"enterprise": "企业级", "industry": "产业级", "city": "城市级"}
PUBLIC = {"published", "in_contest", "matched", "in_implementation", "demonstrated", "closed"}


def status_path(status: str) -> list[str]:
    if status == "rejected":
        return ["draft", "submitted", "rejected"]
    if status == "withdrawn":
        return [*FLOW[:4], "withdrawn"]
    if status == "closed":
        return [*FLOW, "closed"]
    return FLOW[: FLOW.index(status) + 1]


def moment(rng: random.Random) -> datetime.datetime:
    return SPAN_START + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))


@contextmanager
def own_timestamps(*fields):
    """bulk_create keeps the given auto_now_add times (the data spreads over three years)."""
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ensure_data() -> User:
    call_command("migrate", verbosity=0)
    operator = User.objects.filter(username="bench_cockpit_operator").first()
    if operator is not None and Contest.objects.count() >= CONTESTS:
        return operator
    started = time.perf_counter()
    rng = random.Random(20261206)
    today = timezone.localdate()
    now = timezone.now()
    districts = list(District.objects.order_by("sort_order", "id"))
    by_name = {district.name: district for district in districts}
    leaves = list(Domain.objects.filter(parent__isnull=False))
    categories = list(Domain.objects.filter(parent__isnull=True))
    author, _ = User.objects.get_or_create(username="bench_cockpit", defaults={"display_name": "驾驶舱基准"})
    city_hall, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code("宁波市驾驶舱基准运营中心", districts[0].code, "government"),
        defaults={"name": "宁波市驾驶舱基准运营中心", "kind": "government", "district": districts[0]},
    )
    operator, _ = User.objects.get_or_create(
        username="bench_cockpit_operator", defaults={"display_name": "驾驶舱基准运营", "organisation": city_hall}
    )
    RoleAssignment.objects.get_or_create(user=operator, role="operator")

    kinds = ["soe", "government", "institute"]
    publishers = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"宁波驾驶舱基准发榜单位{n:03d}",
                kind=kinds[n % 3],
                district=districts[n % len(districts)],
                credit_code=demo_credit_code(f"宁波驾驶舱基准发榜单位{n:03d}", districts[0].code, kinds[n % 3]),
            )
            for n in range(80)
        ]
    )

    # Scenarios over every domain, district and status, with the status changes that led there.
    scenarios, paths = [], []
    for number, row in enumerate(scenario_rows(SCENARIOS)):
        status = pick(rng, STATUS_WEIGHTS)
        path = status_path(status)
        published = "published" in path
        roll = rng.random()
        domain = (
            None
            if roll < 0.03
            else categories[number % len(categories)]
            if roll < 0.08
            else leaves[number % len(leaves)]
        )
        scenarios.append(
            Scenario(
                title=row["title"],
                publisher=publishers[number % len(publishers)],
                created_by=author,
                domain=domain,
                need_description=row["need_description"],
                track=row["track"],
                stage="" if rng.random() < 0.08 else row["stage"],
                funding_level=row["funding_level"],
                funding_share=row["funding_share"],
                funding_amount=row["funding_amount"],
                district=None if rng.random() < 0.03 else districts[number % len(districts)],
                start_date=row["start_date"],
                end_date=row["end_date"],
                is_flagship=row["is_flagship"],
                status=status,
                published_at=moment(rng) if published else None,
            )
        )
        paths.append(path)
    Scenario.objects.bulk_create(scenarios, batch_size=2000)
    changes = []
    for scenario, path in zip(scenarios, paths):
        at = (scenario.published_at or moment(rng)) - datetime.timedelta(days=len(path))
        for before, after in zip(path, path[1:]):
            at += datetime.timedelta(days=1)
            changes.append(
                ScenarioStatusChange(
                    scenario=scenario, action=after, from_status=before, to_status=after, actor=author, created_at=at
                )
            )
    with own_timestamps(ScenarioStatusChange._meta.get_field("created_at")):
        ScenarioStatusChange.objects.bulk_create(changes, batch_size=5000)
    public = [scenario for scenario in scenarios if scenario.status in PUBLIC]
    later = [s for s in public if s.status not in ("published",)]

    # 100,000 capability entries of 5,000 companies, with 三首 credentials.
    industries = {industry.code: industry for industry in Industry.objects.all()}
    sections = [industry for industry in industries.values() if industry.section_id is None]
    areas = {area.name: area for area in StrategicArea.objects.all()}
    companies, entries, credentials = {}, [], []
    statuses = {"listed": 85, "submitted": 6, "draft": 4, "returned": 3, "withdrawn": 2}
    for number, row in enumerate(entry_rows(ENTRIES, companies=COMPANIES)):
        company = number % COMPANIES
        if company not in companies:
            companies[company] = Organisation(
                name=row[0], credit_code=row[1], kind="company", district=by_name.get(row[2], districts[0])
            )
        status = pick(rng, statuses)
        roll = rng.random()
        industry = None if roll < 0.08 else sections[number % len(sections)] if roll < 0.1 else industries.get(row[8])
        entries.append(
            CapabilityEntry(
                company=companies[company],
                submitted_by=author,
                name=row[3],
                kind="product",
                description=row[5],
                application_cases=row[6],
                technology_fields=row[7].split("、"),
                industry=industry,
                strategic_area=areas.get(row[9]),
                maturity="mass",
                price_band="10w_50w",
                status=status,
                listed_at=moment(rng) if status in ("listed", "withdrawn") else None,
            )
        )
        credentials.append(row[14:18])
    Organisation.objects.bulk_create(list(companies.values()), batch_size=2000)
    CapabilityEntry.objects.bulk_create(entries, batch_size=2000)
    credential_kinds = ["first_set", "first_batch", "first_version"]
    rows = []
    for number, (entry, (label, certificate, _level, year)) in enumerate(zip(entries, credentials)):
        if not label:
            continue
        kind = credential_kinds[(number // 10) % 3]
        rows.append(Credential(entry=entry, kind=kind, certificate_number=certificate, level="municipal", year=year))
        if number % 70 == 0:  # some entries hold two kinds: counted in both
            other = credential_kinds[(number // 10 + 1) % 3]
            rows.append(
                Credential(
                    entry=entry, kind=other, certificate_number=f"{certificate}-2", level="provincial", year=year
                )
            )
    Credential.objects.bulk_create(rows, batch_size=5000)
    listed = [entry for entry in entries if entry.status == "listed"]
    entries_of = {}
    for entry in listed:
        entries_of.setdefault(entry.company_id, []).append(entry)

    # 50 contests of 8 challenges each, their entries, score sheets, awards and agreements.
    judges = User.objects.bulk_create(
        [User(username=f"bench_cockpit_judge_{n}", display_name=f"基准专家{n}") for n in range(30)]
    )
    company_list = list(companies.values())
    contest_scenarios = rng.sample(later, CONTESTS * CHALLENGES_PER_CONTEST)
    contests, challenges, contest_entries = [], [], []
    for number in range(CONTESTS):
        year = 2024 + number % 3
        opens = datetime.datetime(year, 3, 1, tzinfo=SHANGHAI) + datetime.timedelta(days=number)
        contests.append(
            Contest(
                name=f"{year}年宁波市应用场景大赛（第{number + 1}场）",
                year=year,
                award_budget=Decimal("20000000"),
                created_by=author,
                **{
                    field: opens + datetime.timedelta(days=20 * step)
                    for step, field in enumerate(
                        [
                            "challenges_open_at",
                            "registration_open_at",
                            "eligibility_open_at",
                            "roadshow_open_at",
                            "review_open_at",
                            "notice_open_at",
                            "results_open_at",
                        ]
                    )
                },
            )
        )
    Contest.objects.bulk_create(contests)
    for number, scenario in enumerate(contest_scenarios):
        challenges.append(
            Challenge(
                contest=contests[number // CHALLENGES_PER_CONTEST],
                scenario=scenario,
                title=f"揭榜：{scenario.title}"[:100],
                requirements="面向场景需求提供可落地的技术方案。",
                award_cap=Decimal(rng.randrange(20, 101) * 10000),
                created_by=author,
            )
        )
    Challenge.objects.bulk_create(challenges)
    entry_statuses = {"draft": 10, "submitted": 15, "eligible": 55, "ineligible": 12, "withdrawn": 8}
    for challenge in challenges:
        for lead in rng.sample(company_list, rng.randrange(0, 21)):
            status = pick(rng, entry_statuses)
            contest_entries.append(
                ContestEntry(
                    challenge=challenge,
                    lead=lead,
                    created_by=author,
                    title=f"{lead.name}揭榜方案"[:100],
                    summary="技术路线、实施计划与预期成效。",
                    status=status,
                    submitted_at=None if status == "draft" else now,
                )
            )
    ContestEntry.objects.bulk_create(contest_entries, batch_size=2000)
    sheets, winners = [], []
    for entry in contest_entries:
        if entry.status != "eligible" or rng.random() < 0.2:
            continue
        submitted = rng.random() < 0.9
        for judge in rng.sample(judges, 3):
            sheets.append(
                ScoreSheet(
                    entry=entry,
                    judge=judge,
                    status="submitted" if submitted else "draft",
                    submitted_at=now if submitted else None,
                    content_sha256="0" * 64 if submitted else "",
                )
            )
        if submitted and len([w for w in winners if w.challenge_id == entry.challenge_id]) < 2 and rng.random() < 0.4:
            winners.append(entry)
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    ContestEntry.objects.filter(pk__in=[entry.pk for entry in winners]).update(credit_check="passed")
    challenge_of = {challenge.pk: challenge for challenge in challenges}
    Award.objects.bulk_create(
        [
            Award(
                entry=entry,
                challenge_id=entry.challenge_id,
                contest_id=challenge_of[entry.challenge_id].contest_id,
                amount=challenge_of[entry.challenge_id].award_cap * Decimal(rng.choice(["0.5", "0.8", "1"])),
                decided_by=author,
            )
            for entry in winners
        ]
    )
    agreed = [entry for entry in winners if rng.random() < 0.6]
    CooperationAgreement.objects.bulk_create(
        [
            CooperationAgreement(
                entry=entry,
                mode=rng.choice(["procurement", "joint"]),
                contract_amount=Decimal(rng.randrange(50, 500) * 10000),
                recorded_by=author,
            )
            for entry in agreed
        ]
    )

    # Enquiries over three years: answered on time, late, open, overdue; rated or not.
    enquiries = []
    for number in range(ENQUIRIES):
        asked = moment(rng) if number % 10 else now - datetime.timedelta(days=rng.randrange(0, 20))
        due = timezone.localdate(asked) + datetime.timedelta(days=10)
        answered = asked + datetime.timedelta(hours=rng.randrange(2, 400)) if rng.random() < 0.78 else None
        if answered is not None and answered > now:
            answered = None
        scenario = public[number % len(public)] if number % 3 else None
        enquiries.append(
            Enquiry(
                company=company_list[number % len(company_list)],
                asked_by=author,
                scenario=scenario,
                addressee=scenario.publisher if scenario else publishers[number % len(publishers)],
                subject=f"关于场景技术需求的咨询（{number:05d}）",
                question="请问该场景对设备的接口与部署方式有何要求？",
                status="open" if answered is None else rng.choice(["answered", "closed"]),
                due_date=due,
                answer="" if answered is None else "已答复。",
                answered_at=answered,
                rating=rng.choice([None, None, 5, 5, 4, 4, 3, 2, 1]) if answered else None,
                created_at=asked,
            )
        )
    with own_timestamps(Enquiry._meta.get_field("created_at")):
        Enquiry.objects.bulk_create(enquiries, batch_size=5000)

    # Recommended matches (every public scenario), the winners' pairs among them, and the events.
    generation = MatchingModel.objects.create(state="active")
    pairs = set()
    for scenario in public:
        for index in rng.sample(range(len(listed)), MATCHES_PER_SCENARIO):
            pairs.add((scenario.pk, listed[index].pk))
    scenario_of = {challenge.pk: challenge.scenario_id for challenge in challenges}
    for entry in agreed:
        for offered in entries_of.get(entry.lead_id, [])[:2]:
            pairs.add((scenario_of[entry.challenge_id], offered.pk))
    pairs = sorted(pairs)
    Match.objects.bulk_create(
        [
            Match(
                generation=generation,
                scenario_id=scenario_id,
                entry_id=entry_id,
                score=round(rng.uniform(0.3, 0.95), 4),
                text=0.5,
                coverage=0.5,
                fields=0.5,
                district=1.0,
                credential=0.0,
                fit=0.5,
                explanation="技术需求与产品能力匹配。",
            )
            for scenario_id, entry_id in pairs
        ],
        batch_size=5000,
    )
    events = MatchmakingEvent.objects.bulk_create(
        [
            MatchmakingEvent(
                title=f"应用场景供需对接会（第{n + 1}期）",
                starts_at=moment(rng),
                venue="宁波国际会议中心",
                host=publishers[n % len(publishers)],
                created_by=author,
            )
            for n in range(EVENTS)
        ]
    )
    outcomes = {"pending": 20, "no_interest": 20, "intent": 25, "follow_up": 20, "contract": 15}
    agenda = []
    for event in events:
        chosen = set(rng.sample(pairs, 20))
        while len(chosen) < AGENDA_PER_EVENT:
            chosen.add((rng.choice(public).pk, rng.choice(listed).pk))
        agenda.extend(
            AgendaItem(event=event, scenario_id=s, entry_id=e, position=p, outcome=pick(rng, outcomes))
            for p, (s, e) in enumerate(sorted(chosen))
        )
    AgendaItem.objects.bulk_create(agenda, batch_size=2000)

    # Evaluation: closed rounds of 2024 and 2025 at every level with published results, an open
    # 2026 round (not counted), findings due around today, tolerance periods ending around today.
    subjects, results = [], []
    bands = [(90, "优"), (80, "良"), (60, "中"), (0, "差")]
    for year, status in ((2024, "closed"), (2025, "closed"), (2026, "scoring")):
        for level in ("enterprise", "industry", "city"):
            framework = Framework.objects.filter(level=level, status="published").order_by("-version").first()
            round_ = EvaluationRound.objects.create(
                title=f"{year}年度{LEVELS[level]}评估",
                level=level,
                year=year,
                framework=framework,
                status=status,
                opened_by=author,
            )
            if level == "enterprise":
                targets = [Subject(round=round_, title=s.title[:100], scenario=s) for s in rng.sample(later, 40)]
            elif level == "industry":
                targets = [Subject(round=round_, title=f"{d.name}产业评估", domain=d) for d in categories]
            else:
                targets = [Subject(round=round_, title="宁波市")] + [
                    Subject(round=round_, title=f"{d.name}评估", district=d) for d in districts
                ]
            subjects.extend(Subject.objects.bulk_create(targets))
            for subject in targets:
                total = Decimal(rng.randrange(4500, 9900)) / 100
                grade = next(name for floor, name in bands if total >= floor)
                for published in (False, True):
                    results.append(
                        SubjectResult(
                            subject=subject,
                            inputs={},
                            inputs_sha256="0" * 64,
                            results={},
                            total=total,
                            grade=grade,
                            is_published=published and (status == "closed" or rng.random() < 0.3),
                        )
                    )
    SubjectResult.objects.bulk_create(results, batch_size=1000)
    finding_statuses = {"open": 40, "in_progress": 25, "submitted": 15, "verified": 20}
    Finding.objects.bulk_create(
        [
            Finding(
                subject=rng.choice(subjects),
                severity=rng.choice(["serious", "general", "minor"]),
                description=f"问题{n:03d}：场景运营数据未按期报送。",
                recommendation="建立月度报送机制。",
                organisation=publishers[n % len(publishers)],
                due_date=today + datetime.timedelta(days=rng.randrange(-150, 90)),
                status=pick(rng, finding_statuses),
                created_by=author,
            )
            for n in range(FINDINGS)
        ]
    )
    tolerance_statuses = {"active": 60, "extended": 15, "ended": 15, "ended_early": 10}
    periods = []
    for scenario in rng.sample(
        [s for s in public if s.status in ("in_implementation", "demonstrated")], TOLERANCE_PERIODS
    ):
        ends = today + datetime.timedelta(days=rng.randrange(-60, 120))
        periods.append(
            TolerancePeriod(
                scenario=scenario,
                starts_on=ends - datetime.timedelta(days=365),
                ends_on=ends,
                original_ends_on=ends,
                status=pick(rng, tolerance_statuses),
                created_by=author,
            )
        )
    TolerancePeriod.objects.bulk_create(periods)
    print(
        f"data: {SCENARIOS} scenarios ({len(changes)} status changes), {ENTRIES} entries, {CONTESTS} contests "
        f"({len(challenges)} challenges, {len(contest_entries)} entries, {len(winners)} awards, {len(agreed)} "
        f"agreements), {ENQUIRIES} enquiries, {len(pairs)} matches, {len(agenda)} agenda items, "
        f"{len(results)} evaluation results built in {time.perf_counter() - started:.0f} s"
    )
    return operator


def ensure_snapshots() -> None:
    """A year of daily 十百千 snapshots: every metric, city-wide and in every district, growing."""
    if TargetSnapshot.objects.exists():
        return
    rng = random.Random(20261207)
    districts = list(District.objects.order_by("sort_order", "id"))
    first = timezone.localdate() - datetime.timedelta(days=365)
    rows = []
    for metric in ("flagship", "replications", "high_growth"):
        values = [rng.randrange(0, 20) for _ in districts]
        for offset in range(365):
            day = first + datetime.timedelta(days=offset)
            values = [value + (rng.random() < 0.05) for value in values]
            rows.append(TargetSnapshot(metric=metric, district=None, day=day, value=sum(values), rule_version=1))
            rows.extend(
                TargetSnapshot(metric=metric, district=district, day=day, value=value, rule_version=1)
                for district, value in zip(districts, values)
            )
    TargetSnapshot.objects.bulk_create(rows, batch_size=5000)
    print(f"data: {len(rows)} daily target snapshots (365 days × 3 metrics × city and {len(districts)} districts)")


# --------------------------------------------------------------------------------------- the raw SQL


class Sql:
    """One hand-written query's parameters, appended in the order the f-string places them."""

    def __init__(self, filters: cockpit.Filters):
        self.filters, self.params = filters, []

    def p(self, value) -> str:
        self.params.append(value)
        return "%s"

    def many(self, values) -> str:
        return "(" + ", ".join(self.p(value) for value in values) + ")"

    def year_at(self, column: str) -> str:
        """A datetime column within the filtered year, in Asia/Shanghai (as Django's __year)."""
        if not self.filters.year:
            return ""
        start = datetime.datetime(self.filters.year, 1, 1, tzinfo=SHANGHAI)
        end = datetime.datetime(self.filters.year + 1, 1, 1, tzinfo=SHANGHAI)
        adapt = connection.ops.adapt_datetimefield_value
        return f" AND {column} >= {self.p(adapt(start))} AND {column} < {self.p(adapt(end))}"

    def year_is(self, column: str) -> str:
        return f" AND {column} = {self.p(self.filters.year)}" if self.filters.year else ""

    def district(self, *columns: str) -> str:
        if not self.filters.district:
            return ""
        return " AND (" + " OR ".join(f"{column} = {self.p(self.filters.district)}" for column in columns) + ")"

    def day(self, value: datetime.date) -> str:
        return self.p(connection.ops.adapt_datefield_value(value))


def answered_by_due(answered: str, due: str) -> str:
    """The answer's date in Asia/Shanghai is on or before the due date (no DST there since 1991)."""
    if connection.vendor == "postgresql":
        return f"{answered} < (({due} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')"
    return f"{answered} < datetime({due}, '+1 day', '-8 hours')"


SUBMITTED_ENTRY = ("submitted", "eligible", "ineligible")


def sql_published_scenarios(q: Sql, alias="s") -> str:
    return (
        f"{alias}.status IN {q.many(sorted(PUBLIC))} AND {alias}.published_at IS NOT NULL"
        f"{q.year_at(f'{alias}.published_at')}{q.district(f'{alias}.district_id')}"
    )


def join_if(condition, join: str) -> str:
    """A join only a filter needs (the floor leaves it out when the filter is not set)."""
    return f" {join}" if condition else ""


def sql_listed(q: Sql, joins: str = "") -> str:
    company = join_if(q.filters.district, "JOIN accounts_organisation o ON o.id = e.company_id")
    return (
        f"FROM capability_list_capabilityentry e{joins}{company} "
        f"WHERE e.status = {q.p('listed')} AND e.listed_at IS NOT NULL{q.year_at('e.listed_at')}"
        f"{q.district('o.district_id')}"
    )


def sql_enquiries(q: Sql) -> str:
    addressee = join_if(q.filters.district, "JOIN accounts_organisation o ON o.id = n.addressee_id")
    conditions = f"{q.year_at('n.created_at')}{q.district('o.district_id')}"
    return f"FROM capability_list_enquiry n{addressee} WHERE 1 = 1{conditions}"


def contest_filter(q: Sql, challenge: str) -> tuple[str, str]:
    """(joins, conditions) of the year (the contest's) and the district (the challenge's scenario)."""
    joins = join_if(q.filters.year, f"JOIN contests_contest k ON k.id = {challenge}.contest_id") + join_if(
        q.filters.district, f"JOIN scenarios_scenario s ON s.id = {challenge}.scenario_id"
    )
    return joins, f"{q.year_is('k.year')}{q.district('s.district_id')}"


def sql_challenges(q: Sql) -> str:
    joins, conditions = contest_filter(q, "c")
    return f"SELECT COUNT(*) FROM contests_challenge c{joins} WHERE 1 = 1{conditions}"


def sql_award_money(q: Sql) -> str:
    joins = join_if(q.filters.year, "JOIN contests_contest k ON k.id = a.contest_id") + join_if(
        q.filters.district,
        "JOIN contests_challenge c ON c.id = a.challenge_id JOIN scenarios_scenario s ON s.id = c.scenario_id",
    )
    return (
        f"SELECT COALESCE(SUM(a.amount), 0) FROM contests_award a{joins} "
        f"WHERE 1 = 1{q.year_is('k.year')}{q.district('s.district_id')}"
    )


def sql_contest_entries(q: Sql, select: str, joins: str = "", status: str = "") -> str:
    status = status or f"e.status IN {q.many(SUBMITTED_ENTRY)}"  # its parameters come before the filters'
    challenge = join_if(q.filters.year or q.filters.district, "JOIN contests_challenge c ON c.id = e.challenge_id")
    contest_joins, conditions = contest_filter(q, "c")
    return f"SELECT {select} FROM contests_contestentry e{joins}{challenge}{contest_joins} WHERE {status}{conditions}"


def raw_key_figures(q: Sql) -> str:
    return f"""
SELECT 'scenarios', (SELECT COUNT(*) FROM scenarios_scenario s WHERE {sql_published_scenarios(q)})
UNION ALL SELECT 'challenges', ({sql_challenges(q)})
UNION ALL SELECT 'entries', ({sql_contest_entries(q, "COUNT(*)")})
UNION ALL SELECT 'award-money', ({sql_award_money(q)})
UNION ALL SELECT 'capability-entries', (SELECT COUNT(*) {sql_listed(q)})
UNION ALL SELECT 'enquiries-on-time', (SELECT COUNT(*) {sql_enquiries(q)}
    AND n.answered_at IS NOT NULL AND {answered_by_due("n.answered_at", "n.due_date")})
"""


def raw_grouped(key: str, source: str, distinct: str = "*") -> str:
    return f"SELECT {key} AS k, COUNT({distinct}) {source} GROUP BY {key}"


def raw_scenarios_by_domain(q: Sql) -> str:
    return raw_grouped(
        "COALESCE(d.parent_id, s.domain_id)",
        "FROM scenarios_scenario s LEFT JOIN scenarios_domain d ON d.id = s.domain_id "
        f"WHERE {sql_published_scenarios(q)}",
    )


def raw_scenarios_by(column: str) -> callable:
    return lambda q: raw_grouped(column, f"FROM scenarios_scenario s WHERE {sql_published_scenarios(q)}")


def raw_contest_funnel(q: Sql) -> str:
    """The entries' figures in one pass over the submitted entries, the challenges and the money beside."""
    scored = "EXISTS (SELECT 1 FROM contests_scoresheet h WHERE h.entry_id = e.id AND h.status = 'submitted')"
    entries = sql_contest_entries(
        q,
        "COUNT(*), SUM(CASE WHEN e.status = 'eligible' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN e.status = 'eligible' AND {scored} THEN 1 ELSE 0 END), COUNT(a.id), COUNT(g.id), "
        f"({sql_challenges(q)}), ({sql_award_money(q)})",
        joins=" LEFT JOIN contests_award a ON a.entry_id = e.id"
        " LEFT JOIN contests_cooperationagreement g ON g.entry_id = e.id",
    )
    return entries


FUNNEL_KEYS = ["entries", "qualified", "scored", "winners", "agreements", "challenges", "award-money"]


def raw_capability_by_industry(q: Sql) -> str:
    return raw_grouped(
        "COALESCE(i.section_id, e.industry_id)",
        sql_listed(q, " LEFT JOIN capability_list_industry i ON i.id = e.industry_id"),
    )


def raw_capability_by_credential(q: Sql) -> str:
    return raw_grouped(
        "r.kind",
        sql_listed(q, " LEFT JOIN capability_list_credential r ON r.entry_id = e.id"),
        distinct="DISTINCT e.id",
    )


def raw_enquiry_timeliness(q: Sql) -> str:
    today = timezone.localdate()
    key = (
        f"CASE WHEN n.answered_at IS NULL AND n.due_date < {q.day(today)} THEN 'overdue' "
        "WHEN n.answered_at IS NULL THEN 'open' "
        f"WHEN {answered_by_due('n.answered_at', 'n.due_date')} THEN 'on_time' ELSE 'late' END"
    )
    return f"SELECT k, COUNT(*) FROM (SELECT {key} AS k {sql_enquiries(q)}) t GROUP BY k"


def raw_enquiry_satisfaction(q: Sql) -> str:
    return raw_grouped("n.rating", sql_enquiries(q) + " AND n.answered_at IS NOT NULL")


def raw_matchmaking(q: Sql) -> str:
    """Five counts as scalar subqueries, each a WHERE EXISTS the planner can turn into a semi-join
    (one pass with SUM(CASE WHEN EXISTS …) is several times slower on PostgreSQL)."""
    met = (
        "EXISTS (SELECT 1 FROM capability_list_agendaitem a "
        "WHERE a.scenario_id = m.scenario_id AND a.entry_id = m.entry_id)"
    )
    contract = met.replace(")", " AND a.outcome = 'contract')")
    agreement = (
        "EXISTS (SELECT 1 FROM contests_challenge ch JOIN contests_contestentry ce ON ce.challenge_id = ch.id "
        "JOIN contests_cooperationagreement g ON g.entry_id = ce.id "
        "WHERE ch.scenario_id = m.scenario_id AND ce.lead_id = ee.company_id)"
    )
    filtered = q.filters.year or q.filters.district

    def matches(condition: str = "", entry: bool = False) -> str:
        joins = join_if(entry, "JOIN capability_list_capabilityentry ee ON ee.id = m.entry_id") + join_if(
            filtered, "JOIN scenarios_scenario s ON s.id = m.scenario_id"
        )
        return (
            f"(SELECT COUNT(*) FROM capability_list_match m{joins} WHERE 1 = 1{condition}"
            f"{q.year_at('s.published_at')}{q.district('s.district_id')})"
        )

    def agenda(condition: str = "") -> str:
        joins = join_if(q.filters.year, "JOIN capability_list_matchmakingevent v ON v.id = a.event_id") + join_if(
            q.filters.district, "JOIN scenarios_scenario s ON s.id = a.scenario_id"
        )
        return (
            f"(SELECT COUNT(*) FROM capability_list_agendaitem a{joins} WHERE 1 = 1{condition}"
            f"{q.year_at('v.starts_at')}{q.district('s.district_id')})"
        )

    return (
        f"SELECT {matches()}, {matches(f' AND {met}')}, {matches(f' AND ({contract} OR {agreement})', entry=True)}, "
        f"{agenda()}, {agenda(' AND a.outcome = ' + q.p('contract'))}"
    )


def raw_evaluation_grades(q: Sql) -> str:
    return raw_grouped(
        "r.level || '|' || sr.grade",
        "FROM evaluation_subjectresult sr JOIN evaluation_subject sb ON sb.id = sr.subject_id "
        "JOIN evaluation_evaluationround r ON r.id = sb.round_id"
        + join_if(q.filters.district, "LEFT JOIN scenarios_scenario sc ON sc.id = sb.scenario_id")
        + f" WHERE sr.is_published = {q.p(True)} AND r.status = 'closed'{q.year_is('r.year')}"
        f"{q.district('sb.district_id', 'sc.district_id')}",
    )


def raw_attention(q: Sql) -> str:
    today = timezone.localdate()
    scenario = join_if(q.filters.district, "JOIN scenarios_scenario s ON s.id = t.scenario_id")
    subject = join_if(
        q.filters.district,
        "JOIN evaluation_subject sb ON sb.id = f.subject_id LEFT JOIN scenarios_scenario sc ON sc.id = sb.scenario_id",
    )
    return f"""
SELECT 'tolerance-ending', (SELECT COUNT(*) FROM evaluation_toleranceperiod t{scenario}
    WHERE t.status IN ('active', 'extended') AND t.ends_on >= {q.day(today)}
    AND t.ends_on <= {q.day(today + datetime.timedelta(days=30))}{q.district("s.district_id")})
UNION ALL SELECT 'findings-overdue', (SELECT COUNT(*) FROM evaluation_finding f{subject}
    WHERE f.due_date < {q.day(today)} AND f.status <> 'verified'{q.district("sb.district_id", "sc.district_id")})
"""


ONE_ROW = {  # the charts whose query answers one row of figures, in this order
    "contest-funnel": FUNNEL_KEYS,
    "matchmaking": ["recommended", "met", "contracted", "agenda", "agenda-contract"],
}
RAW = {
    "key-figures": raw_key_figures,
    "scenarios-by-domain": raw_scenarios_by_domain,
    "scenarios-by-district": raw_scenarios_by("s.district_id"),
    "scenarios-by-stage": raw_scenarios_by("CASE WHEN s.stage = '' THEN NULL ELSE s.stage END"),
    "scenarios-by-status": raw_scenarios_by("s.status"),
    "contest-funnel": raw_contest_funnel,
    "capability-by-industry": raw_capability_by_industry,
    "capability-by-credential": raw_capability_by_credential,
    "enquiry-timeliness": raw_enquiry_timeliness,
    "enquiry-satisfaction": raw_enquiry_satisfaction,
    "matchmaking": raw_matchmaking,
    "evaluation-grades": raw_evaluation_grades,
    "attention": raw_attention,
}


def raw_figures(code: str, filters: cockpit.Filters) -> dict:
    """{key: value} of one chart by its one raw query."""
    q = Sql(filters)
    sql = RAW[code](q)
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        rows = cursor.fetchall()
    if code in ONE_ROW:
        rows = list(zip(ONE_ROW[code], rows[0]))
    return {cockpit.NONE_KEY if key is None else str(key): value for key, value in rows}


def same_figures(payload: dict, raw: dict) -> bool:
    """The endpoint's items equal the SQL's (values compared as Decimal; zero items left out)."""

    def normal(pairs):
        values = {key: Decimal(str(value or 0)).quantize(Decimal("0.01")) for key, value in pairs}
        return {key: value for key, value in values.items() if value}

    return normal((key, value) for key, _name, value in payload["dataset"]["source"]) == normal(raw.items())


# --------------------------------------------------------------------------------------- measuring


def counted(function) -> tuple[int, float]:
    """The queries one call runs and their time in ms (the request's share spent in the database)."""
    count, spent = 0, 0.0

    def wrapper(execute, sql, params, many, context):
        nonlocal count, spent
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            count += 1
            spent += (time.perf_counter() - started) * 1000

    with connection.execute_wrapper(wrapper):
        function()
    return count, spent


def bench(client: Client, query: dict, filters: cockpit.Filters) -> tuple[list, bool]:
    rows, agree = [], True

    def timed(url: str) -> dict:
        def cold():
            cache.clear()
            assert client.get(url, query).status_code == 200

        def warm():
            assert client.get(url, query).status_code == 200

        cold_queries, warm_queries = counted(cold), counted(warm)
        return {
            "cold": summary(measure(cold, RUNS)),
            "warm": summary(measure(warm, RUNS)),
            "queries": f"{cold_queries[0]}/{warm_queries[0]}",
            "in_sql": cold_queries[1],
        }

    codes = [chart.code for chart in cockpit.charts_in_order()]
    for code in codes:
        url = f"/api/v1/cockpit/{code}/"
        cache.clear()
        payload = client.get(url, query).json()
        equal = code in RAW and same_figures(payload, raw_figures(code, filters))
        agree &= equal
        sql = summary(measure(lambda code=code: raw_figures(code, filters), RUNS)) if code in RAW else (0.0, 0.0)
        rows.append({"chart": code, **timed(url), "sql": sql, "equal": "yes" if equal else "NO"})
    page_sql = summary(measure(lambda: [raw_figures(code, filters) for code in codes if code in RAW], RUNS))
    rows.append({"chart": "page /steering/", **timed("/steering/"), "sql": page_sql, "equal": "(each)"})
    return rows, agree


def print_table(title: str, rows: list) -> None:
    print(title)
    print(
        f"{'chart':26} {'cold med':>9} {'cold p95':>9} {'warm med':>9} {'warm p95':>9} {'SQL med':>8} "
        f"{'cold/SQL':>9} {'warm/SQL':>9} {'queries c/w':>12} {'in DB':>7} {'= SQL':>6}"
    )
    for row in rows:
        (cold, cold95), (warm, warm95), (sql, _sql95) = row["cold"], row["warm"], row["sql"]
        print(
            f"{row['chart']:26} {cold:9.1f} {cold95:9.1f} {warm:9.1f} {warm95:9.1f} {sql:8.1f} "
            f"{cold / sql if sql else 0:9.1f} {warm / sql if sql else 0:9.2f} {row['queries']:>12} "
            f"{row['in_sql']:7.1f} {row['equal']:>6}"
        )


def main() -> None:
    operator = ensure_data()
    ensure_snapshots()
    if connection.vendor == "postgresql":  # the statistics autovacuum keeps on a live database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(operator)
    district = District.objects.get(code=FILTERED["district"])
    missing = [chart.code for chart in cockpit.charts_in_order() if chart.code not in RAW]
    counts = (
        f"{Scenario.objects.count()} scenarios, {CapabilityEntry.objects.count()} entries, "
        f"{Contest.objects.count()} contests, {Enquiry.objects.count()} enquiries, {Match.objects.count()} matches, "
        f"{TargetSnapshot.objects.count()} target snapshots"
    )
    agree = True
    for query, filters, label in (
        ({}, cockpit.Filters(), "all years, all districts"),
        (
            {"year": FILTERED["year"], "district": district.pk},
            cockpit.Filters(year=FILTERED["year"], district=district.pk),
            f"year {FILTERED['year']}, {district.name}",
        ),
    ):
        rows, equal = bench(client, query, filters)
        agree &= equal
        print_table(f"驾驶舱 — {counts}; {connection.vendor}; {label}; {RUNS} runs, ms", rows)
        print()
    if missing:
        print(f"charts without a raw SQL baseline (add one to RAW): {', '.join(missing)}")
    print("endpoint figures equal the raw SQL figures for every chart" if agree else "FIGURES DIFFER (see = SQL)")
    if not agree or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
