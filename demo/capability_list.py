"""Demo capability list (demo/data/capability_list.json): companies with their entries (400+) and
三首 credentials, enquiries in every state, and two matchmaking events.

Each entry is filed by the company's own login where it has one and otherwise by the software
association on its behalf, submitted, and listed or returned by the operator — all through
capability_list.services, like the entry editor and the review queue. Enquiries are asked, answered
and rated by the people concerned, and the events are set up by the operator, through the
enquiry and event services.
"""

from datetime import timedelta

from django.conf import settings
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
from capability_list.working_days import add_working_days
from demo.accounts import login, member_with_role, organisations_ensure, organisations_verify
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


def entry_count() -> int:
    return sum(len(entry["variants"]) for entry in DATA["entries"])


def _file_entries(organisations: dict) -> int:
    """File, submit and review every entry not there yet. Variants are filed one round at a time
    (all first versions, then all second ones …), the order the entries had before."""
    industries = {industry.code: industry for industry in Industry.objects.all()}
    areas = {area.code: area for area in StrategicArea.objects.all()}
    association, operator = login("association"), login("operator")
    own_login = {}
    existing = set(CapabilityEntry.objects.values_list("company_id", "name"))
    created = 0
    for variant in range(max(len(entry["variants"]) for entry in DATA["entries"])):
        for entry in DATA["entries"]:
            if variant >= len(entry["variants"]):
                continue
            row = entry["variants"][variant]
            company = organisations[row["company"]]
            if (company.pk, row["name"]) in existing:
                continue
            if company.pk not in own_login:
                own_login[company.pk] = member_with_role(company, "company")
            filer = own_login[company.pk] or association
            data = {field: entry[field] for field in ENTRY_FIELDS}
            data.update(
                name=row["name"], industry=industries[entry["industry"]], strategic_area=areas[entry["strategic_area"]]
            )
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
    scenarios = {
        scenario.title: scenario
        for scenario in Scenario.objects.filter(title__in=[row["scenario"] for row in DATA["enquiries"]])
    }
    today = timezone.localdate()
    for row in DATA["enquiries"]:
        asker = login(row["asked_by"])
        enquiry = enquiry_ask(
            actor=asker, subject=row["subject"], question=row["question"], scenario=scenarios[row["scenario"]]
        )
        # Direct, on purpose: an enquiry's deadline runs from the day it is asked, and the service
        # asks today. To show enquiries of different ages (one of them overdue), the loader dates
        # each back by the data's "asked_days_ago" and recomputes the deadline by the same rule.
        asked = today - timedelta(days=row["asked_days_ago"])
        Enquiry.objects.filter(pk=enquiry.pk).update(
            created_at=timezone.now() - timedelta(days=row["asked_days_ago"]),
            due_date=add_working_days(asked, settings.ENQUIRY_RESPONSE_WORKING_DAYS),
        )
        if row["answer"]:
            enquiry_answer(actor=login(row["answered_by"]), enquiry=enquiry, answer=row["answer"])
        if row["rating"]:
            enquiry_rate(actor=asker, enquiry=enquiry, rating=row["rating"])


def _hold_events() -> None:
    operator = login("operator")
    now = timezone.now()
    for row in DATA["events"]:
        event = event_create(
            actor=operator,
            title=row["title"],
            kind=row["kind"],
            starts_at=now + timedelta(days=row["starts_in_days"]),
            venue=row["venue"],
        )
        for item in row["agenda"]:
            scenario = Scenario.objects.get(title=item["scenario"])
            entry = CapabilityEntry.objects.get(company__name=item["company"], name=item["entry"])
            added = agenda_add(actor=operator, event=event, scenario=scenario, entry=entry)
            if item["publisher_attended"] is not None or item["outcome"] != "pending":
                agenda_record(
                    actor=operator,
                    item=added,
                    publisher_attended=item["publisher_attended"],
                    company_attended=item["company_attended"],
                    outcome=item["outcome"],
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
