"""A worker killed during a matching rebuild: the previous matches keep being served, and the next
rebuild clears what the dead one left."""

import os
import signal
import time
from contextlib import contextmanager

import pytest
from django.db.models.signals import post_save

from capability_list.models import CapabilityEntry
from matching import signals
from matching.engine import store
from matching.engine.rebuild import rebuild
from matching.models import Match, MatchingModel
from matching.tasks import rebuild_matches_task
from scenarios.models import Scenario
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.worker
TOPICS = [
    ("车位检测", "路侧泊位"),
    ("车牌识别", "出入口"),
    ("水质监测", "再生水厂"),
    ("跌倒检测", "养老机构"),
    ("电子签章", "政务审批"),
    ("光伏储能", "零碳园区"),
]


@contextmanager
def _no_rematches():
    """Saving the corpus would queue a rematch per scenario: the worker would run them while the
    test compares stored rows (a rematch rewrites its rows), which is not what this test is about."""
    receivers = [
        (signals._scenario_saved, Scenario, "matching-rematch-scenario"),
        (signals._entry_saved, CapabilityEntry, "matching-rematch-entry"),
    ]
    for receiver, sender, uid in receivers:
        post_save.disconnect(receiver, sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        for receiver, sender, uid in receivers:
            post_save.connect(receiver, sender=sender, dispatch_uid=uid)


def _corpus():
    with _no_rematches():
        return _build_corpus()


def _build_corpus():
    company = OrganisationFactory(kind="company", name="宁波基准科技有限公司")
    author = UserFactory(organisation=company, roles=["company"])
    CapabilityEntry.objects.bulk_create(
        [
            CapabilityEntry(
                company=company,
                submitted_by=author,
                name=f"{topic}设备{number:04d}",
                kind="product",
                status="listed",
                technology_fields=[topic],
                description=(
                    f"面向{place}的{topic}产品，第 {number} 号型号，精度 {90 + number % 10}%，"
                    f"已在宁波{number % 7 + 1}个项目应用，支持{TOPICS[(number + 1) % 6][0]}扩展。"
                ),
            )
            for number in range(2500)
            for topic, place in [TOPICS[number % len(TOPICS)]]
        ],
        batch_size=500,
    )
    return [
        ScenarioFactory(
            title=f"{place}{topic}改造{number}", status="published", needs=[topic, TOPICS[(number + 2) % 6][0]]
        )
        for number, (topic, place) in enumerate(TOPICS * 3)
    ]


def test_a_worker_killed_during_a_rebuild_leaves_the_previous_matches_serving(celery_worker):
    scenarios = _corpus()
    previous = rebuild()
    served = sorted(Match.objects.values_list("pk", "scenario_id", "entry_id", "score"))
    assert served
    (store.matching_dir() / "tokens.npz").unlink()  # the worker has to tokenise again: it takes a while

    rebuild_matches_task.delay()
    deadline = time.monotonic() + 60
    while not MatchingModel.objects.filter(state="building").exists():
        assert time.monotonic() < deadline, "the worker never started the rebuild"
        assert MatchingModel.objects.filter(state="active").get() == previous, (
            "the rebuild finished before it could be interrupted"
        )
        time.sleep(0.01)
    os.kill(celery_worker.pid, signal.SIGKILL)
    celery_worker.wait(timeout=30)

    assert MatchingModel.objects.get(state="active") == previous
    assert sorted(Match.objects.values_list("pk", "scenario_id", "entry_id", "score")) == served
    assert Match.objects.filter(scenario=scenarios[0]).exists()

    # The dead worker's session is gone, and with it the rebuild lock: the next rebuild runs and
    # marks the abandoned model failed; the corpus did not change, so no match is rewritten.
    current = rebuild()
    assert current.state == "active" and current != previous
    assert MatchingModel.objects.get(state="failed").path == ""
    assert set(MatchingModel.objects.exclude(pk=current.pk).values_list("state", flat=True)) == {"failed", "superseded"}
    assert current.stats["written"] == 0
    assert sorted(Match.objects.values_list("pk", "scenario_id", "entry_id", "score")) == served
