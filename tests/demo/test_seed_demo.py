from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation, User
from capability_list.models import (
    AgendaItem,
    CapabilityEntry,
    CapabilityEntryRevision,
    Credential,
    Enquiry,
    MatchmakingEvent,
)
from contests.choices import Round
from contests.conflicts import conflicted_pairs, conflicts
from contests.models import (
    Award,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    JudgeProfile,
    JudgeRelationship,
    PanelMembership,
    RankingSnapshot,
    Score,
    ScoreSheet,
)
from contests.selectors import latest_snapshot, published_ranking, snapshot_verify
from demo.accounts import DEMO_PASSWORD, DEMO_USERS
from demo.files import load
from scenarios.models import DemonstrationZone, LabInstrument, NeedItem, Scenario
from tests.accounts.test_pages import ROLE_HEADINGS

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_twice_duplicates_nothing_and_goes_through_the_rules(client):
    """One test, as loading the demo is the slow part: run twice, then check what a user would."""
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert_counts_are_what_the_data_files_say()
    assert_rankings_reproduce_and_count_no_conflicted_judge()
    assert_every_demo_login_reaches_its_own_home_page(client)
    assert_the_evaluation_demo_shows_every_state_and_reproduces()
    assert_the_steering_demo_went_through_the_rules()
    assert_every_open_demo_scenario_shows_ten_suppliers_or_more(client)
    assert_the_demo_publisher_follows_its_challenge_to_the_agreement(client)
    assert_every_page_each_login_reaches_reads_in_english()
    assert_the_demo_history_happens_in_order()
    assert_each_company_lists_its_own_products()


def assert_counts_are_what_the_data_files_say():
    people, scenarios = load("accounts.json"), load("scenarios.json")
    capability, contests = load("capability_list.json"), load("contests.json")
    assert Organisation.objects.count() == len(people["organisations"]) + len(capability["companies"])
    logins = {row["username"] for row in people["logins"]}  # the demo judge's login also has a profile
    assert User.objects.count() == (
        len(logins)
        + len(people["colleagues"])
        + len([judge for judge in contests["judges"] if judge["username"] not in logins])
        + len(load("evaluation.json")["people"])
    )
    assert DemonstrationZone.objects.count() == len(scenarios["zones"])
    assert LabInstrument.objects.count() == len(scenarios["instruments"])
    assert Counter(Scenario.objects.values_list("status", flat=True)) == Counter(
        row["status"] for row in scenarios["scenarios"]
    )
    assert NeedItem.objects.count() == sum(len(row["needs"]) for row in scenarios["scenarios"])
    assert Counter(CapabilityEntry.objects.values_list("status", flat=True)) == Counter(
        entry["status"] for entry in capability["entries"]
    )
    assert Credential.objects.count() == sum(len(entry["credentials"]) for entry in capability["entries"])
    assert Enquiry.objects.count() == len(capability["enquiries"])
    assert MatchmakingEvent.objects.count() == len(capability["events"])
    assert AgendaItem.objects.count() == sum(len(event["agenda"]) for event in capability["events"])
    assert Counter(CapabilityEntryRevision.objects.values_list("status", flat=True)) == Counter(
        "submitted" if row["submit"] else "draft" for row in capability["changes"]
    )
    challenges = [row["challenge"] for row in contests["contests"]]
    assert Contest.objects.count() == Challenge.objects.count() == len(contests["contests"])
    assert sorted(contest.current_round() for contest in Contest.objects.all()) == sorted(
        row["round"] for row in contests["contests"]
    )
    assert ContestEntry.objects.count() == sum(len(challenge["entries"]) for challenge in challenges)
    assert ConsortiumMember.objects.filter(status="confirmed").count() == sum(
        len(entry["members"]) for challenge in challenges for entry in challenge["entries"]
    )
    assert PanelMembership.objects.count() == sum(len(challenge.get("panel", [])) for challenge in challenges)
    assert (
        ScoreSheet.objects.filter(status="submitted").count()
        == ScoreSheet.objects.count()
        == sum(len(challenge.get("sheets", [])) for challenge in challenges)
    )
    assert Score.objects.count() == sum(
        len(sheet["points"]) for challenge in challenges for sheet in challenge.get("sheets", [])
    )
    assert Award.objects.count() == sum(1 for challenge in challenges if "award" in challenge)
    assert JudgeProfile.objects.count() == len(contests["judges"])
    assert JudgeRelationship.objects.count() == len(contests["relationships"])


def assert_rankings_reproduce_and_count_no_conflicted_judge():
    snapshots = list(RankingSnapshot.objects.select_related("challenge"))
    assert snapshots and all(snapshot_verify(snapshot) for snapshot in snapshots)
    published = [
        challenge
        for challenge in Challenge.objects.select_related("contest")
        if challenge.contest.is_at_or_after(Round.NOTICE)
    ]
    assert published
    for challenge in published:
        snapshot = latest_snapshot(challenge)
        assert snapshot_verify(snapshot) and published_ranking(snapshot), challenge.title

    # Every sheet a ranking counted comes from a judge with no conflict with that entry …
    for snapshot in snapshots:
        for sheet in snapshot.inputs["sheets"]:
            judge, entry = User.objects.get(pk=sheet["judge"]), ContestEntry.objects.get(pk=sheet["entry"])
            assert conflicts(judge, entry) == [], (judge.username, entry.title)
    # … no conflicted judge sits on a panel or handed in a sheet at all …
    for membership in PanelMembership.objects.select_related("judge", "challenge"):
        entries = list(membership.challenge.entries.exclude(status="withdrawn"))
        assert not conflicted_pairs(membership.challenge, [membership.judge], entries), (
            membership.judge.username,
            membership.challenge.title,
        )
    for challenge in Challenge.objects.all():
        sheets = ScoreSheet.objects.filter(entry__challenge=challenge).select_related("judge", "entry")
        assert not conflicted_pairs(challenge, [sheet.judge for sheet in sheets], [sheet.entry for sheet in sheets])
    # … and the declared collaboration the data holds is one the rules act on.
    relationship = JudgeRelationship.objects.select_related("judge", "organisation").get()
    entered = ContestEntry.objects.filter(lead=relationship.organisation).select_related("challenge__scenario")
    assert entered and all(conflicts(relationship.judge, entry) for entry in entered)


def assert_every_demo_login_reaches_its_own_home_page(client):
    for username, _name, role, _organisation, _admin in DEMO_USERS:
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("accounts:role-home", args=[role]), username
        assert ROLE_HEADINGS[role] in response.content.decode(), username
        client.logout()


def assert_the_evaluation_demo_shows_every_state_and_reproduces():
    from evaluation.choices import FindingStatus, Level, ToleranceDecision, ToleranceStatus
    from evaluation.experts import subject_conflicts
    from evaluation.models import (
        ConsensusDecision,
        EvaluationRound,
        EvaluationSheet,
        Finding,
        Subject,
        SubjectResult,
        ToleranceIncident,
        TolerancePeriod,
        TypicalCase,
    )
    from evaluation.scoring import compute_result
    from evaluation.selectors import replications_counted

    rounds = EvaluationRound.objects.all()
    assert sorted(rounds.values_list("level", flat=True)) == sorted(Level.values)
    assert set(rounds.values_list("status", flat=True)) == {"closed"}
    # Every subject has one published result, and its stored inputs give exactly its results.
    for subject in Subject.objects.all():
        result = SubjectResult.objects.get(subject=subject, is_published=True)
        reproduced = {**compute_result(result.inputs), "trigger": result.results.get("trigger")}
        assert reproduced == result.results, subject.title
    # No sheet comes from a conflicted expert; the rules kept 宁波大学's experts off its own scenario.
    for sheet in EvaluationSheet.objects.select_related("expert", "subject"):
        assert sheet.is_submitted and subject_conflicts(sheet.expert, sheet.subject) == []
    own = Subject.objects.get(scenario__publisher__name="宁波大学")
    assert not EvaluationSheet.objects.filter(subject=own, expert__organisation__name="宁波大学").exists()
    red = SubjectResult.objects.get(is_published=True, red_line_hit=True)
    assert red.grade == "差"
    assert ConsensusDecision.objects.exists()
    assert set(Finding.objects.values_list("status", flat=True)) == set(FindingStatus.values)
    assert TypicalCase.objects.filter(status="approved").count() == 3
    # Four replications recorded, one still pending; one adopter per case counts once.
    assert replications_counted().count() == 3
    assert set(TolerancePeriod.objects.values_list("status", flat=True)) == set(ToleranceStatus.values)
    decisions = set(ToleranceIncident.objects.values_list("decision", flat=True))
    assert decisions == {*ToleranceDecision.values, ""}


def assert_the_steering_demo_went_through_the_rules():
    """Three reporting cycles with every report state the officials meet; every figure of the
    十百千 equal to its drill-down list; snapshots with their rule versions; only shortlisted
    products in use records."""
    from django.db.models import Count

    from steering.choices import ReportStatus
    from steering.models import ProductUse, ReportingCycle, SupervisionNotice, TargetSnapshot, UnitReport
    from steering.selectors import counted_records, shortlisted_entries, target_cards
    from steering.target_rules import RULES

    cycles = list(ReportingCycle.objects.order_by("opens_on"))
    assert [cycle.status for cycle in cycles] == ["closed", "closed", "open"]
    states = set(UnitReport.objects.values_list("status", flat=True))
    assert {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.NOT_STARTED} <= states
    # Last month: the units that never filed are red, one of them answered a 督办单.
    last = cycles[1]
    unfiled = UnitReport.objects.filter(cycle=last, status=ReportStatus.NOT_STARTED)
    assert unfiled.exists() and set(unfiled.values_list("lamp", flat=True)) == {"red"}
    notice = SupervisionNotice.objects.select_related("report").get()
    assert notice.report.cycle_id == last.pk and notice.response
    # A returned report was filed again: two versions, the last accepted.
    twice = UnitReport.objects.annotate(n=Count("versions")).filter(n=2).get()
    assert twice.status == ReportStatus.ACCEPTED
    # Every version was filed on or before the day it was decided, in its own month.
    for report in UnitReport.objects.filter(cycle__in=cycles[:2]).prefetch_related("versions"):
        for version in report.versions.all():
            assert version.submitted_at.date() >= report.cycle.opens_on
    for card in target_cards():
        assert card["value"] == counted_records(card["code"], card["as_of_day"]).count(), card["code"]
    assert next(card for card in target_cards() if card["code"] == "flagship")["value"] >= 2
    assert set(TargetSnapshot.objects.values_list("metric", "rule_version").distinct()) == {
        (code, rule.version) for code, rule in RULES.items()
    }
    shortlisted = set(shortlisted_entries().values_list("pk", flat=True))
    assert ProductUse.objects.count() == 3 and set(ProductUse.objects.values_list("entry_id", flat=True)) <= shortlisted


def assert_every_open_demo_scenario_shows_ten_suppliers_or_more(client):
    """推荐供应商 of every open demo scenario lists at least 10 suppliers (no score floor), the weak
    ones labelled 弱匹配 (issue #16)."""
    from matching.engine.documents import OPEN_SCENARIO_STATUSES
    from matching.models import Match

    client.force_login(User.objects.get(username="operator"))
    weak_seen = False
    for scenario in Scenario.objects.filter(status__in=OPEN_SCENARIO_STATUSES):
        assert Match.objects.filter(scenario=scenario).count() >= 10, scenario.title
        page = client.get(reverse("matching:scenario-suppliers", args=[scenario.pk])).content.decode()
        assert page.count('data-testid="supplier-row"') >= 10, scenario.title
        weak_seen |= 'data-testid="weak-match"' in page
    assert weak_seen


def assert_the_demo_publisher_follows_its_challenge_to_the_agreement(client):
    """The demo publisher's home lists a challenge whose contest has reached 结果发布; its follow
    page shows the qualified entries, the ranking, the award and the 联合攻关任务书 with milestones,
    some already completed (issue #19)."""
    publisher = User.objects.get(username="publisher")
    client.force_login(publisher)
    home = client.get(reverse("accounts:role-home", args=["publisher"])).content.decode()
    finished = Challenge.objects.get(scenario__publisher=publisher.organisation, contest__awards__isnull=False)
    assert finished.contest.current_round() == Round.RESULTS
    follow = reverse("contests:challenge-follow", args=[finished.pk])
    assert f'href="{follow}"' in home
    page = client.get(follow).content.decode()
    for testid in ("follow-entry", "follow-slot", "follow-rank", "follow-award", "follow-agreement"):
        assert f'data-testid="{testid}"' in page, testid
    assert page.count('data-testid="follow-milestone"') == 3 and "已完成" in page
    client.logout()


def assert_every_page_each_login_reaches_reads_in_english():
    """Signed in as each demo login (and anonymously) with the interface in English, every page
    reached by following links answers and has no Chinese in its headings, labels, buttons, links,
    options or hints, other than what people wrote and proper names (issue #19, English mode)."""
    from django.conf import settings
    from django.test import Client

    from tests.english_crawl import crawl, stored_texts

    data = stored_texts()
    for username in [None, *(login[0] for login in DEMO_USERS)]:
        reader = Client()
        reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if username:
            assert reader.login(username=username, password=DEMO_PASSWORD)
        findings, failures, read = crawl(reader, "/", data=data)
        assert read >= (20 if username else 10), (username, read)  # the crawl went past the home page
        assert failures == [], (username, failures)
        assert findings == {}, (username, findings)


ROUND_FIELDS = [
    "challenges_open_at",
    "registration_open_at",
    "eligibility_open_at",
    "roadshow_open_at",
    "review_open_at",
    "notice_open_at",
    "results_open_at",
]


def assert_the_demo_history_happens_in_order():
    """A contest runs in the year in its name; each step happens in its own round; the award
    follows the ranking and the agreement the results; answers follow questions; evaluation rounds
    come after the year they evaluate; and nothing that has happened is dated in the future (#19)."""
    from django.utils import timezone

    from capability_list.choices import AgendaOutcome
    from contests.models import CooperationAgreement, Objection, PolicyBenefit, ProgressReport
    from core.models import AuditRecord
    from evaluation.models import EvaluationRound

    now, today = timezone.now(), timezone.localdate()
    local = timezone.localtime
    for contest in Contest.objects.all():
        starts = [getattr(contest, field) for field in ROUND_FIELDS]
        assert starts == sorted(starts), contest.name
        assert {local(start).year for start in starts} == {contest.year}, contest.name
        assert str(contest.year) in contest.name
        for entry in ContestEntry.objects.filter(challenge__contest=contest):
            assert contest.registration_open_at <= entry.created_at < contest.eligibility_open_at, entry.title
            if entry.submitted_at:
                assert entry.created_at <= entry.submitted_at < contest.eligibility_open_at, entry.title
        for sheet in ScoreSheet.objects.filter(entry__challenge__contest=contest):
            assert contest.roadshow_open_at <= sheet.submitted_at < contest.review_open_at, sheet.pk
        for objection in Objection.objects.filter(challenge__contest=contest):
            assert contest.notice_open_at <= objection.created_at < contest.results_open_at
            assert objection.answered_at is None or objection.created_at < objection.answered_at
    for award in Award.objects.select_related("entry__challenge__contest"):
        contest = award.entry.challenge.contest
        snapshots = RankingSnapshot.objects.filter(challenge=award.entry.challenge)
        assert snapshots.exists() and max(snapshot.computed_at for snapshot in snapshots) < award.decided_at
        assert contest.results_open_at <= award.decided_at
    agreements = CooperationAgreement.objects.select_related("entry")
    assert agreements.exists()
    for agreement in agreements:
        decided = local(agreement.entry.award.decided_at).date()
        assert decided <= agreement.signed_on <= agreement.starts_on < agreement.ends_on
        for milestone in agreement.milestones.all():
            assert milestone.completed_on is None or agreement.signed_on <= milestone.completed_on <= today
        for report in ProgressReport.objects.filter(agreement=agreement):
            assert agreement.signed_on <= local(report.submitted_at).date()
    for benefit in PolicyBenefit.objects.select_related("entry__award"):
        assert benefit.entry.award.decided_at < benefit.recorded_at
    for enquiry in Enquiry.objects.all():
        assert enquiry.created_at.date() <= enquiry.due_date
        assert enquiry.answered_at is None or enquiry.created_at < enquiry.answered_at, enquiry.subject
    # A scenario is written after its organisation registered, and published before anyone asks
    # about it, enters a challenge of it or puts it on an event's agenda.
    for scenario in Scenario.objects.select_related("publisher"):
        assert scenario.publisher.created_at <= scenario.created_at, scenario.title
        assert scenario.published_at is None or scenario.created_at < scenario.published_at, scenario.title
    for enquiry in Enquiry.objects.filter(scenario__isnull=False).select_related("scenario"):
        assert enquiry.scenario.published_at < enquiry.created_at, enquiry.subject
    for challenge in Challenge.objects.select_related("scenario"):
        assert challenge.scenario.published_at < challenge.created_at, challenge.title
    for item in AgendaItem.objects.select_related("event", "scenario"):
        assert item.scenario.published_at < item.event.created_at, item.event.title
    # The year filters have a history to show: scenarios published in more than one year.
    assert (
        len(
            {
                timezone.localtime(moment).year
                for moment in Scenario.objects.values_list("published_at", flat=True)
                if moment
            }
        )
        > 1
    )
    for evaluation_round in EvaluationRound.objects.all():
        assert local(evaluation_round.opened_at).year > evaluation_round.year, evaluation_round.title
        assert str(evaluation_round.year) in evaluation_round.title
    for item in AgendaItem.objects.select_related("event"):
        if item.outcome != AgendaOutcome.PENDING or item.publisher_attended is not None:
            assert item.event.starts_at < now, item.event.title  # an outcome is recorded after the event
    assert MatchmakingEvent.objects.filter(starts_at__gt=now).exists()  # and one is still to come
    # Nothing that has happened is dated after now (a second's grace for the seeding's own clock).
    for model, field in [
        (AuditRecord, "created_at"),
        (ContestEntry, "submitted_at"),
        (ScoreSheet, "submitted_at"),
        (RankingSnapshot, "computed_at"),
        (Award, "decided_at"),
        (Objection, "answered_at"),
        (ProgressReport, "submitted_at"),
        (PolicyBenefit, "recorded_at"),
        (Enquiry, "answered_at"),
        (EvaluationRound, "closed_at"),
    ]:
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model.__name__, field)
    assert not CooperationAgreement.objects.filter(signed_on__gt=today).exists()
    assert not CooperationAgreement.objects.filter(milestones__completed_on__gt=today).exists()


def assert_each_company_lists_its_own_products():
    """No two companies list an entry of the same name: each product is one company's (#19)."""
    from django.db.models import Count

    shared = (
        CapabilityEntry.objects.values("name")
        .annotate(companies=Count("company", distinct=True))
        .filter(companies__gt=1)
    )
    assert list(shared) == []
    assert CapabilityEntry.objects.values("company").distinct().count() >= 50
