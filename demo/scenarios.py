"""Demo scenarios (demo/data/scenarios.json) across every domain, district and state, with
demonstration zones and lab instruments.

Each scenario is written by a publisher of its own organisation and taken through the workflow by
whoever's step it is (the publisher submits and withdraws, the operator reviews, publishes and
closes), all through scenarios.services: every check, status change record, audit record and
notification happens as it would in the browser. A scenario the data leaves "in_contest" is only
published here; the contests loader puts it into its contest (challenge_create does that step).
"""

import zlib
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import District, Organisation
from demo.accounts import login, member_with_role
from demo.clock import at, programme_start
from demo.files import load
from scenarios import services
from scenarios.choices import ScenarioStatus as S
from scenarios.models import DemonstrationZone, Domain, LabInstrument, Scenario
from scenarios.reference_data import seed_domains
from scenarios.workflow import OPERATOR, PUBLISHER, TRANSITIONS

DATA = load("scenarios.json")
PUBLISHED = ["submit", "approve", "publish"]
IMPLEMENTED = [*PUBLISHED, "mark_matched", "start_implementation"]
# The workflow path to each state the data names, so every demo scenario has a true history.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.APPROVED: ["submit", "approve"],
    S.PUBLISHED: PUBLISHED,
    S.IN_CONTEST: PUBLISHED,  # and then into a contest, by demo.contests
    S.MATCHED: [*PUBLISHED, "mark_matched"],
    S.IN_IMPLEMENTATION: IMPLEMENTED,
    S.DEMONSTRATED: [*IMPLEMENTED, "mark_demonstrated"],
    S.CLOSED: [*IMPLEMENTED, "mark_demonstrated", "close"],
    S.REJECTED: ["submit", "reject"],
    S.WITHDRAWN: ["submit", "withdraw"],
}


def _scenario_fields(row: dict, *, domains, districts, zones) -> dict:
    start = timezone.localdate() + timedelta(days=row["start_in_days"])
    tolerance = row["tolerance_days"]
    return {
        "title": row["title"],
        "summary": row["summary"],
        "domain": domains[row["domain"]],
        "need_description": row["need_description"],
        "track": row["track"],
        "stage": row["stage"],
        "funding_level": row["funding_level"],
        "funding_share": row["funding_share"],
        "funding_amount": row["funding_amount"],
        "district": districts[row["district"]],
        "location": row["location"],
        "start_date": start,
        "end_date": start + timedelta(days=row["duration_days"]),
        "tolerance_start": start if tolerance else None,
        "tolerance_end": start + timedelta(days=tolerance) if tolerance else None,
        "contact_name": row["contact_name"],
        "contact_phone": row["contact_phone"],
        "is_flagship": row["is_flagship"],
        "zone": zones[row["zone"]] if row["zone"] else None,
    }


def _referenced_early() -> set[str]:
    """The scenarios the contests and the evaluations name: published before the first contest, so
    that every challenge, evaluation subject and 包容期 finds its scenario already published."""
    contests, evaluation = load("contests.json"), load("evaluation.json")
    titles = {row["challenge"]["scenario"] for row in contests["contests"]}
    titles |= {
        subject["scenario"]
        for round_ in evaluation["rounds"]
        for subject in round_["subjects"]
        if "scenario" in subject
    }
    titles |= {row["scenario"] for row in evaluation["tolerance"] if "scenario" in row}
    return titles


def _published_at(row: dict, *, start: datetime, early: set[str], now: datetime) -> datetime | None:
    """When the scenario was published (None: it never was, and what happened to it is recent).
    The ones the contests and evaluations name (`early`) in the programme's first weeks (it began
    at `start`, the first contest opens two months in); the others spread over the time since, up
    to six weeks ago — before any enquiry or event about them."""
    if "publish" not in PATHS[row["status"]]:
        return None
    if row["title"] in early:
        return start + timedelta(days=20 + DATA["scenarios"].index(row) % 20)  # written after registering
    first, last = start + timedelta(days=30), now - timedelta(days=45)
    span = max((last - first).days, 1)
    return first + timedelta(days=zlib.crc32(row["title"].encode()) % span)


def _step_at(published: datetime | None, step: int, path: list[str], now: datetime) -> datetime:
    """The moment of a workflow step: submitted a week and approved a day before publication, each
    step after it (matched, implemented, demonstrated, closed) a month after the one before, never
    later than yesterday. A scenario never published went through its steps now."""
    if published is None:
        return now
    publication = path.index("publish")
    if step < publication:
        return published - timedelta(days=7 if step == 0 else 1)
    return min(published + timedelta(days=30 * (step - publication)), now - timedelta(days=1))


def seed(stdout=None) -> None:
    seed_domains(Domain)
    operator = login("operator")
    districts = {district.code: district for district in District.objects.all()}
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    domains = {domain.code: domain for domain in Domain.objects.all()}
    zones = {}
    for row in DATA["zones"]:
        zones[row["name"]] = DemonstrationZone.objects.filter(name=row["name"]).first() or services.zone_save(
            actor=operator,
            data={
                "name": row["name"],
                "kind": row["kind"],
                "district": districts[row["district"]],
                "focus": row["focus"],
            },
        )
    for row in DATA["instruments"]:
        institute = organisations[row["institute"]]
        if not LabInstrument.objects.filter(name=row["name"], institute=institute).exists():
            services.instrument_save(
                actor=operator,
                data={
                    "name": row["name"],
                    "model_number": row["model_number"],
                    "institute": institute,
                    "category": row["category"],
                    "capabilities": row["capabilities"],
                },
            )

    authors = {}
    created = 0
    now = timezone.now()
    start, early = programme_start(now), _referenced_early()
    for row in DATA["scenarios"]:
        publisher = organisations[row["publisher"]]
        if Scenario.objects.filter(publisher=publisher, title=row["title"]).exists():
            continue
        author = authors.get(publisher.pk) or authors.setdefault(publisher.pk, member_with_role(publisher, "publisher"))
        published = _published_at(row, start=start, early=early, now=now)
        with at(published - timedelta(days=12) if published else now):  # written 12 days before publication
            scenario = services.scenario_create(
                actor=author,
                data=_scenario_fields(row, domains=domains, districts=districts, zones=zones),
                need_items=row["needs"],
            )
        for step, action in enumerate(PATHS[row["status"]]):
            if action == "publish" and scenario.status == S.PUBLISHED:
                continue  # approving a mature-technology scenario has published it already
            actors = TRANSITIONS[action].actors
            actor = author if PUBLISHER in actors and OPERATOR not in actors else operator
            with at(_step_at(published, step, PATHS[row["status"]], now)):
                scenario = services.scenario_transition(
                    actor=actor, scenario=scenario, action=action, reason=DATA["reasons"].get(action, "")
                )
        created += 1
    if stdout:
        stdout.write(
            f"应用场景：新增 {created} 个，共 {Scenario.objects.count()} 个；示范区 {len(DATA['zones'])} 个，科研仪器 {len(DATA['instruments'])} 台。"
        )
