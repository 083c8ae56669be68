"""Moving the matching's models from capability_list to matching loses no row (issue #16).

The database is taken back to just before the move (capability_list at 0010, matching unapplied),
filled through the historical models as the old code would have — a fitted model, a match, both
sides' answers, a rebuild job under its old kind, a content type with a permission — and migrated
forward again: every row is then read through matching's models on matching's tables, with the
same ids, the content type renamed (not duplicated, its permission still on it) and the job under
its new kind. Runs on PostgreSQL in CI too (there the tables are renamed with their sequences,
indexes and constraints).
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.accounts import UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

# core is named so that the historical models read its renamed tables (core_job) as the database has them.
BEFORE_THE_MOVE = [
    ("capability_list", "0010_verbose_names"),
    ("core", "0002_tables_named_for_core"),
    ("matching", None),
]
MOVED = ["matchingmodel", "match", "matchfeedback"]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_matches_answers_and_models_survive_the_move_to_matching():
    # Made with today's models, before going back: their tables (scenarios, capability_list,
    # accounts) are untouched by the move.
    person = UserFactory(username="mover")
    scenario = ScenarioFactory(status="published", title="搬迁前的场景")
    entry = EntryFactory(status="listed", name="搬迁前的条目")

    old = _migrate(BEFORE_THE_MOVE)
    assert {"capability_list_match", "capability_list_matchingmodel", "capability_list_matchfeedback"} <= _tables()
    assert not {"matching_match", "matching_matchingmodel", "matching_matchfeedback"} & _tables()
    MatchingModel, Match, MatchFeedback = (
        old.get_model("capability_list", name) for name in ("MatchingModel", "Match", "MatchFeedback")
    )
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    Job = old.get_model("core", "Job")

    model = MatchingModel.objects.create(state="active", path="model-1.npz", scenarios=1, entries=1, pairs=1)
    match = Match.objects.create(
        generation=model,
        scenario_id=scenario.pk,
        entry_id=entry.pk,
        score=87.5,
        text=0.6,
        coverage=0.5,
        fields=0.2,
        district=1.0,
        credential=0.0,
        fit=0.5,
        covered=["车位检测"],
        gaps=["移动支付"],
        explanation="覆盖需求：车位检测",
        signature=42,
    )
    accepted = MatchFeedback.objects.create(
        scenario_id=scenario.pk, entry_id=entry.pk, side="publisher", decision="accepted", decided_by_id=person.pk
    )
    declined = MatchFeedback.objects.create(
        scenario_id=scenario.pk,
        entry_id=entry.pk,
        side="company",
        decision="declined",
        reason="budget",
        score=87.5,
        decided_by_id=person.pk,
    )
    # The content types as the old code's post_migrate made them (test databases have matching's).
    content_types = {
        name: OldContentType.objects.get_or_create(app_label="capability_list", model=name)[0].pk for name in MOVED
    }
    permission = OldPermission.objects.get_or_create(
        content_type_id=content_types["match"], codename="view_match", defaults={"name": "Can view 推荐"}
    )[0]
    job = Job.objects.create(
        kind="capability_list.matching_rebuild", title="重建匹配", requested_by_id=person.pk, state="succeeded"
    )

    _migrate()

    from core.models import Job as CurrentJob
    from matching.models import Match as CurrentMatch
    from matching.models import MatchFeedback as CurrentMatchFeedback
    from matching.models import MatchingModel as CurrentMatchingModel

    assert (CurrentMatch._meta.db_table, CurrentMatchingModel._meta.db_table) == (
        "matching_match",
        "matching_matchingmodel",
    )
    assert not {"capability_list_match", "capability_list_matchingmodel", "capability_list_matchfeedback"} & _tables()
    moved = CurrentMatch.objects.select_related("generation", "scenario", "entry").get()
    assert (moved.pk, moved.generation.pk, moved.generation.state, moved.scenario.title, moved.entry.name) == (
        match.pk,
        model.pk,
        "active",
        "搬迁前的场景",
        "搬迁前的条目",
    )
    assert (moved.score, moved.covered, moved.gaps, moved.signature) == (87.5, ["车位检测"], ["移动支付"], 42)
    assert sorted(CurrentMatchFeedback.objects.values_list("pk", "side", "decision", "reason")) == sorted(
        [(accepted.pk, "publisher", "accepted", ""), (declined.pk, "company", "declined", "budget")]
    )
    # The constraints came along with their names: a second answer of the same side is refused.
    with pytest.raises(Exception, match="match_feedback_once_per_side|UNIQUE|unique"):
        CurrentMatchFeedback.objects.create(
            scenario_id=scenario.pk, entry_id=entry.pk, side="company", decision="accepted", decided_by_id=person.pk
        )
    for name, pk in content_types.items():
        assert ContentType.objects.get(pk=pk).app_label == "matching", name
        assert not ContentType.objects.filter(app_label="capability_list", model=name).exists()
        assert ContentType.objects.filter(app_label="matching", model=name).count() == 1
    assert Permission.objects.get(pk=permission.pk).content_type == ContentType.objects.get_for_model(CurrentMatch)
    assert CurrentJob.objects.get(pk=job.pk).kind == "matching.rebuild"
    # New rows go on numbering after the old ones (the sequences moved with the tables).
    assert CurrentMatchingModel.objects.create(state="failed").pk > model.pk
