"""Submitted sheets queue one ranking recomputation at a time per challenge: while one is queued and
not yet started, further sheets add nothing to the queue (it will read them); once it has started,
the next sheet queues another, so no sheet is ever left out of a snapshot. (With the cache in Redis,
as in production; here the test process is the worker too, so its memory cache stands in for it.
With a cache in process memory every sheet queues one: tests/contests/test_scoring.py.)"""

import pytest

from contests import services, tasks
from contests.models import RankingSnapshot
from contests.services import results
from tests.contests.conftest import full_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The tasks sent to the broker (a worker has not picked them up yet)."""
    sent = []
    monkeypatch.setattr(tasks.ranking_recompute_task, "delay", lambda *args: sent.append(args))
    monkeypatch.setattr(results, "cache_shared_with_workers", lambda: True)
    return sent


def _submit(judge, entry):
    services.sheet_save(actor=judge, entry=entry, points=full_sheet(entry.challenge.contest), submit=True)


def test_sheets_submitted_while_a_recomputation_waits_queue_no_other(
    roadshow, queued, django_capture_on_commit_callbacks
):
    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[0], entries[0])
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[1], entries[0])
        _submit(judges[2], entries[1])
    assert queued == [(challenge.pk, "sheet_submitted")]

    # The worker runs the one queued task: its snapshot holds all three sheets.
    tasks.ranking_recompute_task(*queued[0])
    snapshot = RankingSnapshot.objects.get(challenge=challenge)
    assert len(snapshot.inputs["sheets"]) == 3


def test_a_sheet_submitted_after_the_recomputation_started_queues_another(
    roadshow, queued, django_capture_on_commit_callbacks
):
    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[0], entries[0])
    tasks.ranking_recompute_task(*queued[0])  # started (and finished): the mark is cleared
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[1], entries[0])
    assert len(queued) == 2
    tasks.ranking_recompute_task(*queued[1])
    latest = RankingSnapshot.objects.filter(challenge=challenge).latest("id")
    assert len(latest.inputs["sheets"]) == 2


def test_a_sheet_of_another_challenge_queues_its_own(roadshow, queued, django_capture_on_commit_callbacks):
    challenge, entries, judges = roadshow
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[0], entries[0])
    from contests.services.results import _queue_recompute

    with django_capture_on_commit_callbacks(execute=True):
        _queue_recompute(challenge.pk + 1000, "sheet_submitted")
    assert [args[0] for args in queued] == [challenge.pk, challenge.pk + 1000]


def test_a_failure_to_queue_leaves_no_mark(roadshow, monkeypatch, django_capture_on_commit_callbacks):
    """A broker that refused the task must not stop the next sheet from queueing one."""
    from kombu.exceptions import OperationalError

    challenge, entries, judges = roadshow
    sent = []
    monkeypatch.setattr(results, "cache_shared_with_workers", lambda: True)

    def refuse(*args):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.ranking_recompute_task, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[0], entries[0])
    monkeypatch.setattr(tasks.ranking_recompute_task, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        _submit(judges[1], entries[0])
    assert sent == [(challenge.pk, "sheet_submitted")]
