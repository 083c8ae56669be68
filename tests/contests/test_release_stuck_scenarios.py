"""The data migration that frees scenarios the old 进入场景大赛 button left 'in contest' without a
challenge: they go back to 已发布 with an audit record; a real challenge's scenario stays."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contests.models import Challenge
from core.models import AuditRecord
from scenarios.models import Scenario
from tests.factories.scenarios import ScenarioFactory

BEFORE = [("contests", "0004_verbose_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_stuck_scenarios_are_released_and_real_challenges_kept(challenge):
    stuck = ScenarioFactory(status="in_contest", title="未发榜却显示大赛中的场景")
    Scenario.objects.filter(pk=challenge.scenario_id).update(status="in_contest")
    executor = MigrationExecutor(connection)
    _migrate(BEFORE)
    _migrate(executor.loader.graph.leaf_nodes())

    assert Scenario.objects.get(pk=stuck.pk).status == "published"
    assert Scenario.objects.get(pk=challenge.scenario_id).status == "in_contest"
    assert Challenge.objects.filter(pk=challenge.pk).exists()
    record = AuditRecord.objects.get(action="scenario.release_from_no_contest")
    assert record.object_id == str(stuck.pk) and record.actor is None and "未在任何大赛中发榜" in record.reason
