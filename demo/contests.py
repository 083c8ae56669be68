"""Demo contests (demo/data/contests.json): one in each round, with challenges, entries, a
consortium, judges with a declared conflict, signed score sheets, a ranking, an objection and,
for the finished contest, an award with its task book and policy benefits.

Everything goes through the contest services, as the person whose step it is: the operator opens
the contest, reviews eligibility, assigns judges (the conflict rules refuse a conflicted judge),
draws the running order, records credit checks, answers objections and decides the award; the
publisher puts its scenario up as a challenge; companies enter, confirm consortium places and
sign the credit commitment; judges declare their relationships, sign the 回避承诺 and submit
their sheets (signed and hashed by sheet_save).

The services check the round in force against the clock. So a contest is opened with the first
round in force, each round's steps are taken while that round is in force, and the operator then
moves the contest on with contest_reschedule (audited, with a reason) — every round's dates keep
their length, and once the contest has reached its round it has exactly the schedule the data
describes: that round began `current_round_began_days_ago` days ago, each lasts `round_days`.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Organisation
from contests import services
from contests.choices import ROUND_ORDER, Round
from contests.models import Contest, JudgeProfile, JudgeRelationship
from contests.services import (
    agreement_save,
    award_decide,
    benefit_record,
    milestone_complete,
    objection_answer,
    objection_raise,
    progress_report_add,
    ranking_recompute,
    sheet_save,
)
from demo.accounts import login, member_with_role, person_ensure, role_ensure
from demo.files import load
from scenarios.models import Scenario

DATA = load("contests.json")


def _at_or_after(current: str, round_name: str) -> bool:
    return ROUND_ORDER.index(current) >= ROUND_ORDER.index(round_name)


def schedule(stage: str, now) -> dict:
    """Round start times with `stage` in force: it began a day ago; each round lasts its days."""
    days, began = DATA["schedule"]["round_days"], DATA["schedule"]["current_round_began_days_ago"]
    position = ROUND_ORDER.index(stage)
    return {
        round_name: now + timedelta(days=days * (index - position) - began)
        for index, round_name in enumerate(ROUND_ORDER)
    }


def _judges_ensure() -> None:
    """The expert pool: accounts, the operator keeps their profiles, each judge declares their own
    relationships (before any panel is formed, so panel_assign sees them)."""
    operator = login("operator")
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    for row in DATA["judges"]:
        judge = person_ensure(
            username=row["username"],
            display_name=row["display_name"],
            organisation=organisations.get(row["organisation"]),
        )
        role_ensure(judge, "judge")
        if not JudgeProfile.objects.filter(user=judge).exists():
            services.judge_profile_save(
                actor=operator, judge=login(row["username"]), title=row["title"], fields=row["fields"]
            )
    this_year = timezone.localdate().year
    for row in DATA["relationships"]:
        judge, organisation = login(row["judge"]), organisations[row["organisation"]]
        if not JudgeRelationship.objects.filter(judge=judge, organisation=organisation, kind=row["kind"]).exists():
            services.relationship_declare(
                actor=judge,
                judge=judge,
                organisation=organisation,
                kind=row["kind"],
                ended_year=this_year - row["ended_years_ago"],
                note=row["note"],
            )


def _run_contest(row: dict, now) -> None:
    """Take one contest from its opening to the round the data names, step by step."""
    operator = login("operator")
    current = row["round"]
    data = row["challenge"]
    reason = DATA["schedule"]["reason"]

    def advance(round_name):
        services.contest_reschedule(actor=operator, contest=contest, rounds=schedule(round_name, now), reason=reason)
        contest.refresh_from_db()  # the challenge and its entries hold this instance

    contest = services.contest_create(
        actor=operator,
        name=row["name"],
        year=row["year"],
        award_budget=row["award_budget"],
        rounds=schedule(Round.CHALLENGES, now),
    )
    scenario = Scenario.objects.select_related("publisher").get(title=data["scenario"])
    challenge = services.challenge_create(
        actor=member_with_role(scenario.publisher, "publisher"),
        contest=contest,
        scenario=scenario,
        award_cap=data["award_cap"],
        requirements=data["requirements"],
    )
    if not _at_or_after(current, Round.REGISTRATION):
        return

    advance(Round.REGISTRATION)
    entries = {}
    for entry_row in data["entries"]:
        lead = member_with_role(Organisation.objects.get(name=entry_row["lead"]), "company")
        members = list(Organisation.objects.filter(name__in=entry_row["members"]))
        entry = services.entry_create(
            actor=lead, challenge=challenge, title=entry_row["title"], summary=entry_row["summary"], members=members
        )
        for membership in entry.members.select_related("organisation"):
            services.consortium_respond(
                actor=member_with_role(membership.organisation, "company"), membership=membership, accept=True
            )
        if _at_or_after(current, Round.ELIGIBILITY):
            entry = services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
        entries[entry.title] = entry
    if not _at_or_after(current, Round.ELIGIBILITY):
        return

    advance(Round.ELIGIBILITY)
    if not _at_or_after(current, Round.ROADSHOW):
        return
    for title, entry in entries.items():
        entries[title] = services.entry_review_eligibility(actor=operator, entry=entry, eligible=True)
    for position, username in enumerate(data["panel"]):  # the first one chairs the panel
        services.panel_assign(actor=operator, challenge=challenge, judge=login(username), is_chair=position == 0)
    roadshow = DATA["roadshow"]
    services.running_order_draw(
        actor=operator,
        challenge=challenge,
        first_slot_at=schedule(current, now)[Round.ROADSHOW]
        + timedelta(hours=roadshow["first_slot_hours_after_opening"]),
        minutes_per_slot=roadshow["minutes_per_slot"],
        room=roadshow["room"],
    )

    advance(Round.ROADSHOW)
    for username in data["recusal_commitments"]:
        services.recusal_commitment_sign(actor=login(username), contest=contest)
    criteria = {criterion.name: criterion.pk for criterion in contest.criteria.all()}
    for sheet in data["sheets"]:
        points = {criteria[name]: value for name, value in sheet["points"].items()}
        sheet_save(actor=login(sheet["judge"]), entry=entries[sheet["entry"]], points=points, submit=True)
    # Sheets queue a recompute for after the commit; the awards below need the ranking now, so the
    # loader asks for it as the ranking page's "recompute" button does.
    ranking_recompute(challenge, trigger="manual")
    if not _at_or_after(current, Round.REVIEW):
        return

    advance(Round.REVIEW)
    if not _at_or_after(current, Round.NOTICE):
        return

    advance(Round.NOTICE)
    for entry in entries.values():
        services.entry_record_credit_check(actor=operator, entry=entry, passed=True)
    objection_row = data["objection"]
    objection = objection_raise(
        actor=login(objection_row["raised_by"]),
        challenge=challenge,
        entry=entries[objection_row["entry"]],
        text=objection_row["text"],
    )
    if not _at_or_after(current, Round.RESULTS):
        return

    advance(Round.RESULTS)
    objection_answer(actor=operator, objection=objection, answer=objection_row["answer"])
    award_row = data["award"]
    award = award_decide(
        actor=operator, entry=entries[award_row["entry"]], amount=award_row["amount"], note=award_row["note"]
    )
    terms = award_row["agreement"]
    agreement = agreement_save(
        actor=operator,
        entry=award.entry,
        mode=terms["mode"],
        title=terms["title"],
        objectives=terms["objectives"],
        contract_amount=terms["contract_amount"],
        starts_on=date.fromisoformat(terms["starts_on"]),
        ends_on=date.fromisoformat(terms["ends_on"]),
        signed_on=date.fromisoformat(terms["signed_on"]),
        milestones={kind: date.fromisoformat(due) for kind, due in terms["milestones"].items()},
    )
    # The operator records each milestone reached (only those whose day has come: the demo's
    # history never happens in the future).
    for kind, done in terms.get("completed", {}).items():
        day = date.fromisoformat(done["on"])
        if day <= timezone.localdate():
            milestone_complete(
                actor=operator, milestone=agreement.milestones.get(kind=kind), completed_on=day, note=done["note"]
            )
    for report in terms["progress_reports"]:
        milestone = agreement.milestones.get(kind=report["milestone"]) if report["milestone"] else None
        progress_report_add(actor=login(report["by"]), agreement=agreement, text=report["text"], milestone=milestone)
    for benefit in award_row["benefits"]:
        benefit_record(actor=operator, entry=award.entry, **benefit)


def seed(stdout=None) -> None:
    _judges_ensure()
    if Contest.objects.exists():
        if stdout:
            stdout.write(f"场景大赛：已有 {Contest.objects.count()} 届。")
        return
    now = timezone.now()
    for row in DATA["contests"]:
        _run_contest(row, now)
    if stdout:
        stdout.write(
            f"场景大赛：{len(DATA['contests'])} 届（各阶段各一），榜单 {len(DATA['contests'])} 个，"
            f"揭榜方案 {sum(len(row['challenge']['entries']) for row in DATA['contests'])} 个，评审专家 {len(DATA['judges']) + 1} 位。"
        )
