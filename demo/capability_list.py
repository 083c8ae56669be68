"""Demo capability list (demo/data/capability_list.json): companies with their own products (each
entry belongs to one company and fits what that company makes) and 三首 credentials, enquiries in
every state, a matchmaking event held a fortnight ago and a product review meeting still to come.

Each entry is filed by the company's own login where it has one and otherwise by the software
association on its behalf, submitted, and listed or returned by the operator — all through
capability_list.services, like the entry editor and the review queue. Enquiries are asked, answered
and rated by the people concerned, and the events are set up by the operator, through the
enquiry and event services.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation
from capability_list import services
from capability_list.models import (
    CapabilityEntry,
    CapabilityEntryRevision,
    Enquiry,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from capability_list.reference_data import seed_industries, seed_strategic_areas
from capability_list.services import agenda_add, agenda_record, enquiry_answer, enquiry_ask, enquiry_rate, event_create
from demo.accounts import login, member_with_role, organisations_ensure, organisations_verify
from demo.clock import at
from demo.files import load
from scenarios.models import Scenario

DATA = load("capability_list.json")
ENTRY_FIELDS = [
    "kind",
    "description",
    "application_cases",
    "technology_fields",
    "maturity",
    "price_band",
    "is_strategic_emerging",
    "is_independent_innovation",
]


def _file_entries(organisations: dict) -> int:
    """File, submit and review every entry not there yet."""
    industries = {industry.code: industry for industry in Industry.objects.all()}
    areas = {area.code: area for area in StrategicArea.objects.all()}
    association, operator = login("association"), login("operator")
    own_login = {}
    existing = set(CapabilityEntry.objects.values_list("company_id", "name"))
    created = 0
    for row in DATA["entries"]:
        company = organisations[row["company"]]
        if (company.pk, row["name"]) in existing:
            continue
        if company.pk not in own_login:
            own_login[company.pk] = member_with_role(company, "company")
        filer = own_login[company.pk] or association
        data = {field: row[field] for field in ENTRY_FIELDS}
        data.update(name=row["name"], industry=industries[row["industry"]], strategic_area=areas[row["strategic_area"]])
        filed = services.entry_create(actor=filer, company=company, data=data, credentials=row["credentials"])
        if row["status"] != "draft":
            services.entry_submit(actor=filer, entry=filed)
        if row["status"] in ("listed", "returned"):
            listed = row["status"] == "listed"
            services.entry_review(
                actor=operator, entry=filed, approve=listed, note="" if listed else DATA["return_note"]
            )
        created += 1
    return created


def _ask_enquiries() -> None:
    """Each enquiry asked on its day and answered (and rated) on a later one, by the people concerned."""
    scenarios = {
        scenario.title: scenario
        for scenario in Scenario.objects.filter(title__in=[row["scenario"] for row in DATA["enquiries"]])
    }
    now = timezone.now()
    for row in DATA["enquiries"]:
        asker = login(row["asked_by"])
        # The service dates the question (and its 5-working-day deadline) by the clock, so the
        # question is asked on its own day, which gives enquiries of different ages, one overdue.
        with at(now - timedelta(days=row["asked_days_ago"])):
            enquiry = enquiry_ask(
                actor=asker, subject=row["subject"], question=row["question"], scenario=scenarios[row["scenario"]]
            )
        if row["answer"]:
            with at(now - timedelta(days=row["answered_days_ago"], hours=-3)):
                enquiry = enquiry_answer(actor=login(row["answered_by"]), enquiry=enquiry, answer=row["answer"])
        if row["rating"]:
            with at(now - timedelta(days=row["answered_days_ago"], hours=-5)):
                enquiry_rate(actor=asker, enquiry=enquiry, rating=row["rating"])


def _hold_events() -> None:
    """An event announced weeks ago and held a fortnight ago (who came and what came of each pair
    recorded the day after), and one announced a few days ago that is still to come."""
    operator = login("operator")
    now = timezone.now()
    for row in DATA["events"]:
        starts_at = (now + timedelta(days=row["starts_in_days"])).replace(hour=14, minute=0, second=0, microsecond=0)
        with at(now - timedelta(days=row["announced_days_ago"])):
            event = event_create(
                actor=operator, title=row["title"], kind=row["kind"], starts_at=starts_at, venue=row["venue"]
            )
            added = []
            for item in row["agenda"]:
                scenario = Scenario.objects.get(title=item["scenario"])
                entry = CapabilityEntry.objects.get(company__name=item["company"], name=item["entry"])
                added.append((agenda_add(actor=operator, event=event, scenario=scenario, entry=entry), item))
        recorded = [
            (item, row_)
            for item, row_ in added
            if row_["outcome"] != "pending" or row_["publisher_attended"] is not None
        ]
        if recorded:
            with at(starts_at + timedelta(days=1)):
                for item, item_row in recorded:
                    agenda_record(
                        actor=operator,
                        item=item,
                        publisher_attended=item_row["publisher_attended"],
                        company_attended=item_row["company_attended"],
                        outcome=item_row["outcome"],
                        note=item_row["note"],
                    )


def _propose_changes() -> None:
    """Companies change listed entries the way they do in the editor: the change saved beside the
    listed version, then sent for review (the operator finds it in 清单审核)."""
    for row in DATA["changes"]:
        entry = CapabilityEntry.objects.get(company__name=row["company"], name=row["entry"])
        data = {field: getattr(entry, field) for field in services.ENTRY_FIELDS}
        data.update({field: row[field] for field in ("description", "application_cases", "technology_fields")})
        author = login(row["by"])
        change = services.entry_change_save(
            actor=author, entry=entry, data=data, credentials=services.listed_credentials(entry)
        )
        if row["submit"]:
            services.entry_change_submit(actor=author, change=change)


def seed(stdout=None) -> None:
    seed_industries(Industry)
    seed_strategic_areas(StrategicArea)
    organisations_verify(organisations_ensure(DATA["companies"], kind="company"))
    organisations = {organisation.name: organisation for organisation in Organisation.objects.filter(kind="company")}
    created = _file_entries(organisations)
    if not Enquiry.objects.exists():
        _ask_enquiries()
    if not MatchmakingEvent.objects.exists():
        _hold_events()
    if not CapabilityEntryRevision.objects.exists():
        _propose_changes()
    if stdout:
        stdout.write(
            f"能力清单：新增 {created} 条，共 {CapabilityEntry.objects.count()} 条；咨询 {Enquiry.objects.count()} 条；对接活动 {MatchmakingEvent.objects.count()} 场。"
        )
