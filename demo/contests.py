"""Demo contests (demo/data/contests.json): one in each round, with challenges that fit their
专场, entries from companies that make what the scenario needs, a consortium, judges with a declared
conflict, signed score sheets, a ranking, an objection and, for the finished contest, an award with
its task book, milestones and policy benefits.

Everything goes through the contest services, as the person whose step it is: the operator opens
the contest, reviews eligibility, assigns judges (the conflict rules refuse a conflicted judge),
draws the running order, records credit checks, answers objections and decides the award; the
publisher puts its scenario up as a challenge; companies enter, confirm consortium places and
sign the credit commitment; judges declare their relationships, sign the 回避承诺 and submit
their sheets (signed and hashed by sheet_save).

The services check the round in force against the clock, so each step is taken on a day of its own
round (demo.clock.at): the contest is created with its whole schedule and nothing is rescheduled.
The finished contest has the fixed dates of its year in the data (`rounds`); the others run this
year, relative to today: the round named in the data began `current_round_began_days_ago` days
ago and each round lasts `round_days` days, shortened where needed so that every round stays in
the year in the contest's name (in late December or early January the rounds are short).
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

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
from demo.clock import SHANGHAI, at
from demo.files import load
from scenarios.models import Scenario

DATA = load("contests.json")


def _at_or_after(current: str, round_name: str) -> bool:
    return ROUND_ORDER.index(current) >= ROUND_ORDER.index(round_name)


def contest_year(row: dict, now: datetime) -> int:
    return row.get("year") or timezone.localtime(now).year


def contest_name(row: dict, now: datetime) -> str:
    return row["name"].format(year=contest_year(row, now))


def schedule(row: dict, now: datetime) -> dict:
    """Each round's start: the data's fixed dates (9:00 on each day), or — for a contest running
    this year — the data's round in force since `current_round_began_days_ago` days, every round
    `round_days` long, all shortened as needed to keep the whole contest inside this year."""
    if "rounds" in row:
        return {
            name: datetime.combine(date.fromisoformat(day), time(9), SHANGHAI) for name, day in row["rounds"].items()
        }
    local_now = timezone.localtime(now)
    year_start = datetime(local_now.year, 1, 1, tzinfo=SHANGHAI)
    year_end = datetime(local_now.year, 12, 31, 18, tzinfo=SHANGHAI)
    step = timedelta(days=DATA["schedule"]["round_days"])
    began = timedelta(days=DATA["schedule"]["current_round_began_days_ago"])
    position = ROUND_ORDER.index(row["round"])
    remaining = len(ROUND_ORDER) - 1 - position
    began = now - (datetime.combine(local_now.date(), time(9), SHANGHAI) - began)  # rounds open at 9:00
    past_step = step
    room = (now - year_start) * 0.9
    if began + past_step * position > room:  # early January: squeeze the past rounds
        factor = room / (began + past_step * position)
        began, past_step = began * factor, past_step * factor
    future_step = step
    if remaining:
        future_step = min(step, (year_end - now + began) / remaining)
        if future_step <= began:  # late December: the current round began more recently
            began = future_step / 2
    current = now - began
    return {
        name: current + (past_step if index < position else future_step) * (index - position)
        for index, name in enumerate(ROUND_ORDER)
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


@contextmanager
def _no_later_recompute():
    """Sheets also queue a ranking recompute for after the seeding transaction commits, which would
    stamp a fresh snapshot with the seeding day (after the award of a contest finished last year).
    The loader recomputes on the day instead, as the ranking page's recompute button does."""
    with mock.patch("contests.services.scoring.ranking_recompute_later"):
        yield


def _run_contest(row: dict, now) -> None:
    """Take one contest from its opening to the round the data names, each step in its own round."""
    operator = login("operator")
    current = row["round"]
    data = row["challenge"]
    rounds = schedule(row, now)

    def during(round_name: str, share: float) -> datetime:
        """A moment `share` of the way through the round (up to now, for the round in force)."""
        start = rounds[round_name]
        index = ROUND_ORDER.index(round_name)
        end = rounds[ROUND_ORDER[index + 1]] if index + 1 < len(ROUND_ORDER) else now
        return start + (min(end, now) - start) * share

    def on(day: str, hour: int = 10) -> datetime:
        return datetime.combine(date.fromisoformat(day), time(hour), SHANGHAI)

    with at(during(Round.CHALLENGES, 0.02)):
        contest = services.contest_create(
            actor=operator,
            name=contest_name(row, now),
            year=contest_year(row, now),
            award_budget=row["award_budget"],
            rounds=rounds,
        )
    scenario = Scenario.objects.select_related("publisher").get(title=data["scenario"])
    with at(during(Round.CHALLENGES, 0.2)):
        challenge = services.challenge_create(
            actor=member_with_role(scenario.publisher, "publisher"),
            contest=contest,
            scenario=scenario,
            award_cap=data["award_cap"],
            requirements=data["requirements"],
        )
    if not _at_or_after(current, Round.REGISTRATION):
        return

    entries = {}
    for position, entry_row in enumerate(data["entries"]):
        lead = member_with_role(Organisation.objects.get(name=entry_row["lead"]), "company")
        members = list(Organisation.objects.filter(name__in=entry_row["members"]))
        with at(during(Round.REGISTRATION, 0.2 + 0.1 * position)):
            entry = services.entry_create(
                actor=lead, challenge=challenge, title=entry_row["title"], summary=entry_row["summary"], members=members
            )
        with at(during(Round.REGISTRATION, 0.25 + 0.1 * position)):
            for membership in entry.members.select_related("organisation"):
                services.consortium_respond(
                    actor=member_with_role(membership.organisation, "company"), membership=membership, accept=True
                )
        if _at_or_after(current, Round.ELIGIBILITY):
            with at(during(Round.REGISTRATION, 0.6 + 0.1 * position)):
                entry = services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)
        entries[entry.title] = entry
    if not _at_or_after(current, Round.ROADSHOW):
        return

    with at(during(Round.ELIGIBILITY, 0.3)):
        for title, entry in entries.items():
            entries[title] = services.entry_review_eligibility(actor=operator, entry=entry, eligible=True)
    with at(during(Round.ELIGIBILITY, 0.5)):
        for position, username in enumerate(data["panel"]):  # the first one chairs the panel
            services.panel_assign(actor=operator, challenge=challenge, judge=login(username), is_chair=position == 0)
    roadshow = DATA["roadshow"]
    roadshow_days = (rounds[Round.REVIEW] - rounds[Round.ROADSHOW]).total_seconds() / 86400
    with at(during(Round.ELIGIBILITY, 0.7)):
        services.running_order_draw(
            actor=operator,
            challenge=challenge,
            first_slot_at=rounds[Round.ROADSHOW]
            + timedelta(hours=min(roadshow["first_slot_hours_after_opening"], roadshow_days * 24 * 0.3)),
            minutes_per_slot=roadshow["minutes_per_slot"],
            room=roadshow["room"],
        )

    with at(during(Round.ROADSHOW, 0.05)):
        for username in data["recusal_commitments"]:
            services.recusal_commitment_sign(actor=login(username), contest=contest)
    criteria = {criterion.name: criterion.pk for criterion in contest.criteria.all()}
    with at(during(Round.ROADSHOW, 0.4)), _no_later_recompute():
        for sheet in data["sheets"]:
            points = {criteria[name]: value for name, value in sheet["points"].items()}
            sheet_save(actor=login(sheet["judge"]), entry=entries[sheet["entry"]], points=points, submit=True)
    with at(during(Round.ROADSHOW, 0.6)):
        ranking_recompute(challenge, trigger="manual")
    if not _at_or_after(current, Round.NOTICE):
        return

    with at(during(Round.NOTICE, 0.02)):  # 公示 opens: the entrants are told their rank
        ranking_recompute(challenge, trigger="manual")
    with at(during(Round.NOTICE, 0.2)):
        for entry in entries.values():
            services.entry_record_credit_check(actor=operator, entry=entry, passed=True)
    objection_row = data["objection"]
    with at(during(Round.NOTICE, 0.5)):
        objection = objection_raise(
            actor=login(objection_row["raised_by"]),
            challenge=challenge,
            entry=entries[objection_row["entry"]],
            text=objection_row["text"],
        )
    if not _at_or_after(current, Round.RESULTS):
        return

    with at(during(Round.NOTICE, 0.8)):  # answered before the results are published
        objection_answer(actor=operator, objection=objection, answer=objection_row["answer"])
    award_row = data["award"]
    with at(rounds[Round.RESULTS] + timedelta(hours=1)):
        award = award_decide(
            actor=operator, entry=entries[award_row["entry"]], amount=award_row["amount"], note=award_row["note"]
        )
    terms = award_row["agreement"]
    with at(on(terms["on"])):
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
    # What happened after the agreement, each on its day — only the days that have come: the
    # demo's history never happens in the future.
    steps = [(on(done["on"], 16), "milestone", kind, done) for kind, done in terms.get("completed", {}).items()]
    steps += [(on(report["on"], 11), "report", None, report) for report in terms["progress_reports"]]
    steps += [(on(benefit["on"]), "benefit", None, benefit) for benefit in award_row["benefits"]]
    for moment, kind, milestone_kind, step in sorted(steps, key=lambda item: item[0]):
        if moment > now:
            continue
        with at(moment):
            if kind == "milestone":
                milestone_complete(
                    actor=operator,
                    milestone=agreement.milestones.get(kind=milestone_kind),
                    completed_on=moment.date(),
                    note=step["note"],
                )
            elif kind == "report":
                milestone = agreement.milestones.get(kind=step["milestone"]) if step["milestone"] else None
                progress_report_add(
                    actor=login(step["by"]), agreement=agreement, text=step["text"], milestone=milestone
                )
            else:
                benefit_record(
                    actor=operator, entry=award.entry, **{key: value for key, value in step.items() if key != "on"}
                )


def seed(stdout=None) -> None:
    now = timezone.now()
    # The expert pool is in place a fortnight before the first contest opens.
    with at(min(schedule(row, now)[Round.CHALLENGES] for row in DATA["contests"]) - timedelta(days=14)):
        _judges_ensure()
    if Contest.objects.exists():
        if stdout:
            stdout.write(f"场景大赛：已有 {Contest.objects.count()} 届。")
        return
    for row in DATA["contests"]:
        _run_contest(row, now)
    if stdout:
        stdout.write(
            f"场景大赛：{len(DATA['contests'])} 届（各阶段各一），榜单 {len(DATA['contests'])} 个，"
            f"揭榜方案 {sum(len(row['challenge']['entries']) for row in DATA['contests'])} 个，评审专家 {len(DATA['judges']) + 1} 位。"
        )
