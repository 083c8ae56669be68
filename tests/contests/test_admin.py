"""场景大赛 in the system administrator's admin: read-only, no points shown, changelists of fixed cost."""

from decimal import Decimal

import pytest

from contests.models import Award, Challenge, ContestEntry
from tests.admin_checks import assert_read_only, changelist_queries, system_administrator
from tests.contests.conftest import make_eligible_entries, make_panel
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.django_db


def test_the_system_administrator_reads_a_contest_entry_and_cannot_add_change_or_delete_one(
    client, challenge, contest_operator
):
    entry = make_eligible_entries(challenge, contest_operator, 1)[0]
    client.force_login(system_administrator())
    assert_read_only(client, entry)
    assert_read_only(client, challenge)
    assert_read_only(client, challenge.contest)


def test_the_entry_page_shows_the_score_sheets_without_points(client, scored):
    challenge, entries, judges = scored
    client.force_login(system_administrator())
    page = client.get(f"/admin/contests/contestentry/{entries[0].pk}/change/").content.decode()
    assert judges[0].display_name in page and "已提交" in page
    assert "得分" not in page and "评语" not in page  # Score.points and Score.comment


def test_the_contest_changelists_take_the_same_queries_for_one_row_as_for_many(client, challenge, contest_operator):
    client.force_login(system_administrator())
    entries = make_eligible_entries(challenge, contest_operator, 5)
    # Awards are stored directly here (the database still checks the credit check, cap and budget):
    # the changelist is what is tested, not award_decide.
    ContestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(credit_check="passed")
    Award.objects.create(
        entry=entries[0],
        challenge=challenge,
        contest=challenge.contest,
        amount=Decimal("100000"),
        decided_by=contest_operator,
    )
    counts = {model: changelist_queries(client, model) for model in (ContestEntry, Award, Challenge)}
    make_panel(challenge, contest_operator, 1)
    for number in range(3):
        Challenge.objects.create(
            contest=challenge.contest,
            scenario=ScenarioFactory(status="published"),
            title=f"榜单{number}",
            requirements="……",
            award_cap=Decimal("500000"),
            created_by=contest_operator,
        )
    for entry in entries[1:]:
        Award.objects.create(
            entry=entry,
            challenge=challenge,
            contest=challenge.contest,
            amount=Decimal("100000"),
            decided_by=contest_operator,
        )
    assert {model: changelist_queries(client, model) for model in (ContestEntry, Award, Challenge)} == counts
