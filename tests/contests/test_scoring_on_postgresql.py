"""Concurrent scoring on PostgreSQL: 30 judges submitting at once lose nothing and duplicate nothing,
and a sheet submitted while the chair closes scoring is either fully in or fully out."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from contests import selectors, services
from contests.models import Score, ScoreSheet, ScoringLock
from core.errors import DomainError
from tests.conftest import require
from tests.contests.conftest import make_eligible_entries, make_panel, move_to, rounds_starting, sheet_totalling
from tests.factories.accounts import operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _roadshow(entries: int, judges: int):
    operator = operator_user()
    contest = services.contest_create(
        actor=operator, name="并发评分", year=2026, award_budget="5000000", rounds=rounds_starting("challenges")
    )
    scenario = ScenarioFactory(status="published")
    challenge = services.challenge_create(
        actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="要求"
    )
    eligible = make_eligible_entries(challenge, operator, entries)
    panel = make_panel(challenge, operator, judges)
    move_to(contest, "roadshow")
    return challenge, eligible, panel


def _run_together(calls):
    """Run the callables in threads released at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 — every outcome is inspected by the test
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_thirty_judges_submitting_at_once_lose_no_score_and_duplicate_nothing():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    challenge, (entry,), judges = _roadshow(1, 30)
    criteria = challenge.contest.criteria.count()
    totals = {judge.pk: 60 + index for index, judge in enumerate(judges)}

    def submit(judge):
        return lambda: (
            services.sheet_save(
                actor=judge, entry=entry, points=sheet_totalling(challenge.contest, totals[judge.pk]), submit=True
            ).pk
        )

    # Each judge's submission fires twice at the same moment: one lands, the other is refused cleanly.
    outcomes = _run_together([submit(judge) for judge in judges] + [submit(judge) for judge in judges])
    refused = [value for kind, value in outcomes if kind == "error"]
    assert all(isinstance(error, DomainError) and error.code == "sheet_signed" for error in refused), refused
    assert len(refused) == 30
    assert ScoreSheet.objects.filter(entry=entry, status="submitted").count() == 30
    assert Score.objects.filter(sheet__entry=entry).count() == 30 * criteria
    for sheet in ScoreSheet.objects.filter(entry=entry).prefetch_related("scores"):
        assert sum(score.points for score in sheet.scores.all()) == totals[sheet.judge_id]
    snapshot = selectors.latest_snapshot(challenge)
    assert selectors.panel_complete(snapshot) and snapshot.results["entries"][0]["judges"] == 30


def test_a_sheet_submitted_while_the_chair_locks_is_fully_in_or_fully_out():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    challenge, entries, judges = _roadshow(12, 2)
    chair, judge = judges
    criteria = challenge.contest.criteria.count()
    seen = set()
    for entry in entries:
        outcomes = _run_together(
            [
                lambda: services.scoring_lock(actor=chair, challenge=challenge),
                lambda entry=entry: services.sheet_save(
                    actor=judge, entry=entry, points=sheet_totalling(challenge.contest, 80), submit=True
                ),
            ]
        )
        (lock_kind, lock_value), (sheet_kind, sheet_value) = outcomes
        assert lock_kind == "ok", lock_value
        sheet = ScoreSheet.objects.filter(entry=entry, judge=judge).first()
        if sheet_kind == "ok":
            assert sheet.is_submitted and sheet.scores.count() == criteria
            seen.add("in")
        else:
            assert isinstance(sheet_value, DomainError) and sheet_value.code == "scoring_locked", sheet_value
            assert sheet is None and not Score.objects.filter(sheet__entry=entry).exists()
            seen.add("out")
        ScoringLock.objects.all().delete()
    assert seen  # each round ended in one of the two clean states (which one depends on timing)


def test_judges_of_a_panel_save_at_the_same_time_and_the_chairs_lock_waits_for_each_sheet():
    """A judge's sheet holds the challenge against the chair's lock (and a ranking being computed),
    not against the other judges' sheets: with an exclusive lock the judges of a panel saved one
    after another (issue #20)."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    challenge, (entry,), (chair, first, second) = _roadshow(1, 3)
    saved, release = threading.Event(), threading.Event()

    def first_judge_keeps_the_transaction_open():
        with transaction.atomic():
            services.sheet_save(actor=first, entry=entry, points=sheet_totalling(challenge.contest, 70))
            saved.set()
            release.wait(timeout=30)

    def with_lock_timeout(call):
        def run():
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                return call()

        return run

    holder = threading.Thread(target=lambda: (first_judge_keeps_the_transaction_open(), connections.close_all()))
    holder.start()
    try:
        assert saved.wait(timeout=30)
        second_saves = with_lock_timeout(
            lambda: services.sheet_save(actor=second, entry=entry, points=sheet_totalling(challenge.contest, 75)).pk
        )
        chair_locks = with_lock_timeout(lambda: services.scoring_lock(actor=chair, challenge=challenge))
        ((second_kind, second_value),) = _run_together([second_saves])
        ((lock_kind, lock_value),) = _run_together([chair_locks])
    finally:
        release.set()
        holder.join(timeout=30)
    assert second_kind == "ok", second_value  # not kept waiting by the first judge's open sheet
    assert lock_kind == "error" and isinstance(lock_value, OperationalError), lock_value  # waited, timed out
    assert not ScoringLock.objects.exists()
    assert ScoreSheet.objects.filter(entry=entry).count() == 2
