"""A judge's score sheet at a roadshow: the conflict rules are asked once per page (twice made it
28 queries on the load benchmark's data), and a post that is saved does not read the judge's queue
(sheet_save asks the rules itself; only a refusal shows the page again)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import ConsortiumMember, RoadshowSlot, ScoreSheet
from tests.contests.conftest import full_sheet
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sheet_queries(client, judge, entry) -> list[str]:
    client.force_login(judge)
    url = reverse("contests:score-sheet", args=[entry.pk])
    client.get(url)  # the first visit fills what a session keeps (not this page's cost)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and "第 2 / 3 个" in response.content.decode()
    return [query["sql"] for query in captured.captured_queries]


def _post(client, entry, action: str, points: dict | None = None):
    points = points or full_sheet(entry.challenge.contest)
    data = {f"points_{criterion_id}": value for criterion_id, value in points.items()}
    return client.post(reverse("contests:score-sheet", args=[entry.pk]), {**data, "action": action})


def _post_queries(client, entry, action: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, entry, action)
    return response.status_code, [query["sql"] for query in captured.captured_queries]


def test_the_sheet_checks_the_judges_conflicts_once(client, roadshow):
    challenge, entries, judges = roadshow
    queries = _sheet_queries(client, judges[1], entries[1])
    # Each check of the conflict rules reads the judge's declared relationships once.
    assert sum('FROM "contests_judgerelationship"' in sql for sql in queries) == 1
    # The entry is one query that also asks the panel, the 回避承诺, the drafters and the scoring lock;
    # the judge's queue is its ids and leads, then the consortia's organisations (with the names the
    # sheet shows), not whole entries: building those was two thirds of the page's time on the load
    # benchmark's data. 12 when the queue was read as entries with their challenge and attachments
    # and the lock asked apart (issue #20). The parties' credit codes are not read: no judge here
    # declared an affiliation.
    assert len(queries) == 10
    queue = [sql for sql in queries if sql.startswith('SELECT "contests_contestentry"."id" AS "pk"')]
    assert len(queue) == 1 and queue[0].count(" JOIN ") == 1  # the running order
    assert sum('"contests_challenge"."requirements"' in sql for sql in queries) == 1  # with the entry
    attachments = [sql for sql in queries if 'FROM "contests_entryattachment"' in sql]
    assert len(attachments) == 1 and f"IN ({entries[1].pk})" in attachments[0]  # the entry's own only


def test_a_saved_draft_and_a_submitted_sheet_ask_the_conflict_rules_once(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    client.get(reverse("contests:score-sheet", args=[entries[1].pk]))
    for action, status in (("save", "draft"), ("submit", "submitted")):
        answer, queries = _post_queries(client, entries[1], action)
        assert answer == 302
        assert ScoreSheet.objects.get(entry=entries[1], judge=judges[1]).status == status
        # sheet_save's own check (the rule of can_score): the page's queue is not read for a post
        # that is saved
        assert sum('FROM "contests_judgerelationship"' in sql for sql in queries) == 1
        assert sum('"contests_recusalcommitment"' in sql for sql in queries) == 1
        # The entry is read whole once (sheet_save's check); the view reads its id, challenge and
        # status, then the criteria. The check reads neither the scenario nor the challenge: the
        # publisher is asked with the entry, and the challenge read once, under its lock.
        assert sum('"contests_contestentry"."summary"' in sql for sql in queries) == 1
        assert not any('FROM "scenarios_scenario"' in sql for sql in queries)
        assert sum('"contests_challenge"."requirements"' in sql for sql in queries) == 1
        # The session, the user (with their roles), the entry and its criteria, then sheet_save's own:
        # its check (the entry with the panel, 回避承诺, drafters and recusal in one query; the
        # consortium; the judge's declared relationships and affiliation), the lock, the challenge
        # with its scoring lock, the sheet (made if new, then locked), the criteria, the scores; the
        # audit record on submit. 23 and 21 when the check also read the challenge, contest and
        # scenario, asked the drafters and the panel apart, the scoring lock was a query of its own
        # and a new sheet took a savepoint (issue #20). On SQLite the audit record is chained in
        # Python (it reads the chain's head first); PostgreSQL's trigger chains it at commit.
        # PostgreSQL's shared lock on the challenge (results.lock_challenge_for_sheet) is a statement
        # of its own: the ORM has no FOR SHARE.
        chained_in_python = 1 if connection.vendor != "postgresql" else 0
        shared_lock = 1 if connection.vendor == "postgresql" else 0
        assert len(queries) == {"save": 18 + shared_lock, "submit": 19 + chained_in_python + shared_lock}[action]


def test_a_refused_post_shows_the_sheet_again_with_the_refusal(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(judges[1])
    assert _post(client, entries[1], "submit").status_code == 302
    again = _post(client, entries[1], "submit")
    assert (
        again.status_code == 400 and "已签名提交" in again.content.decode() and "第 2 / 3 个" in again.content.decode()
    )


def test_a_post_by_a_judge_who_may_not_score_the_entry_is_not_found(client, roadshow):
    challenge, entries, judges = roadshow
    client.force_login(UserFactory(roles=["judge"]))
    assert _post(client, entries[0], "save").status_code == 404
    incomplete = {criterion.pk: "" for criterion in challenge.contest.criteria.all()}
    assert _post(client, entries[0], "submit", incomplete).status_code == 404  # refused, yet not shown
    assert client.post(reverse("contests:score-sheet", args=[987654]), {"action": "save"}).status_code == 404
    assert not ScoreSheet.objects.exists()


def test_an_entry_the_judge_recused_from_leaves_the_queue_with_its_consortium(client, roadshow):
    """An entry the judge recused from is neither counted in their queue nor a neighbour, and its
    consortium is no one's party on this sheet."""
    challenge, entries, judges = roadshow
    ConsortiumMember.objects.create(entry=entries[0], organisation=OrganisationFactory(), status="confirmed")
    services.recusal_declare(actor=judges[1], entry=entries[0], reason="曾为该企业提供咨询")
    client.force_login(judges[1])
    page = client.get(reverse("contests:score-sheet", args=[entries[1].pk])).content.decode()
    assert "第 1 / 2 个" in page and 'data-testid="previous-entry"' not in page
    assert client.get(reverse("contests:score-sheet", args=[entries[0].pk])).status_code == 404


def test_the_sheet_shows_the_running_order_and_the_queue_follows_it(client, roadshow):
    """The sheet names the entry's place in the running order, and previous / next follow that
    order, not the ids."""
    challenge, entries, judges = roadshow
    starts = timezone.now()
    for entry, position in zip(entries, (3, 1, 2), strict=True):
        RoadshowSlot.objects.create(entry=entry, position=position, starts_at=starts, room="一号会场")
    client.force_login(judges[1])
    page = client.get(reverse("contests:score-sheet", args=[entries[2].pk])).content.decode()
    heading = page.split("<h1>")[1].split("</p>")[0]
    assert f"{entries[2].lead.name} · {challenge.title} · 出场顺序 2" in heading
    assert "第 2 / 3 个" in page
    assert reverse("contests:score-sheet", args=[entries[1].pk]) in page.split('data-testid="previous-entry"')[0]
    assert reverse("contests:score-sheet", args=[entries[0].pk]) in page.split('data-testid="next-entry"')[0]
    first = client.get(reverse("contests:score-sheet", args=[entries[1].pk])).content.decode()
    assert "出场顺序 1" in first and 'data-testid="previous-entry"' not in first
