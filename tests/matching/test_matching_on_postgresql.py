"""Matching writes on PostgreSQL from two connections: a rematch that arrives while a rebuild
rewrites the matches waits for it (advisory lock, shared by rematches, held alone by the rebuild's
writing phase), then goes through; nothing fails and no pair is stored twice."""

import threading

import pytest
from django.db import connection, connections

from capability_list.models import CapabilityEntry
from matching.engine import store
from matching.engine.rebuild import rebuild
from matching.engine.rematch import rematch_scenario
from matching.models import Match, MatchingModel
from tests.conftest import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_rematch_during_a_rebuilds_write_waits_for_it_and_both_succeed(corpus, monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    parking, entries = corpus
    first = rebuild()
    # Changed behind the signals' back, so the rebuild has rows to rewrite.
    CapabilityEntry.objects.filter(pk=entries["plate"].pk).update(
        description="车辆号牌自动识别，车位检测与移动支付无感缴费一体化。"
    )

    writing, proceed = threading.Event(), threading.Event()
    real = store.insert_values

    def paused(*args, **kwargs):
        writing.set()
        assert proceed.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "insert_values", paused)
    outcomes = {}

    def run(name, call):
        try:
            outcomes[name] = ("ok", call())
        except Exception as error:  # noqa: BLE001 — inspected below
            outcomes[name] = ("error", error)
        finally:
            connections.close_all()

    rebuilding = threading.Thread(target=run, args=("rebuild", rebuild))
    rebuilding.start()
    assert writing.wait(timeout=60), "the rebuild never reached its writing phase"
    rematching = threading.Thread(target=run, args=("rematch", lambda: rematch_scenario(parking.pk)))
    rematching.start()
    rematching.join(timeout=1.5)
    assert rematching.is_alive(), "the rematch did not wait for the rebuild's write"
    proceed.set()
    rebuilding.join(timeout=60)
    rematching.join(timeout=60)

    assert outcomes["rebuild"][0] == "ok", outcomes["rebuild"]
    assert outcomes["rematch"] == ("ok", outcomes["rematch"][1]) and outcomes["rematch"][1] > 0, outcomes["rematch"]
    second = MatchingModel.objects.get(state="active")
    assert second != first and second.stats["written"] > 0
    pairs = list(Match.objects.values_list("scenario_id", "entry_id"))
    assert len(pairs) == len(set(pairs))
    assert Match.objects.filter(scenario=parking, entry=entries["sensor"]).exists()
