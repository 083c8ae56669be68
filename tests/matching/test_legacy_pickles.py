"""A fitted model written before matching left capability_list still serves rematches until the
next rebuild writes it again: its pickle names capability_list.matching.* modules, which lead to
matching.engine.* (matching/legacy_pickles.py, registered by MatchingConfig.ready())."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

from matching.engine import documents, engine, vectors
from matching.models import Match, MatchingModel

ROOT = Path(__file__).resolve().parents[2]
OLD_NAMES = {documents: "capability_list.matching.documents", vectors: "capability_list.matching.vectors"}
OLD_NAMES[engine] = "capability_list.matching.engine"


def _write_as_before_the_move(monkeypatch, path: Path) -> None:
    """Pickle the file again the way the old code did: every engine class under its old module."""
    with path.open("rb") as handle:
        fitted = pickle.load(handle)
    with monkeypatch.context() as patch:
        for module, old_name in OLD_NAMES.items():
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    patch.setattr(value, "__module__", old_name)
        data = pickle.dumps(fitted, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"capability_list.matching.engine" in data and b"matching.engine.engine" not in data
    path.write_bytes(data)


def test_a_model_pickled_before_the_move_still_serves_rematches(corpus, monkeypatch):
    parking, _entries = corpus
    model = engine.rebuild()
    before = sorted(Match.objects.values_list("scenario_id", "entry_id", "score"))
    _write_as_before_the_move(monkeypatch, engine.matching_dir() / model.path)
    engine._loaded["model"] = None  # as a worker started after the deploy

    loaded = engine.active_model()
    assert type(loaded) is engine.FittedModel and type(loaded.text) is vectors.TextModel
    assert engine.rematch_scenario(parking.pk) > 0
    assert sorted(Match.objects.values_list("scenario_id", "entry_id", "score")) == before
    assert MatchingModel.objects.get(state="active") == model


def test_a_fresh_process_reads_the_old_module_names():
    """The finder is registered by the app's ready(), not by whatever a test imported first; the
    old names lead to the very classes of matching.engine, not to second copies."""
    script = (
        "import django, pickle, sys; django.setup()\n"
        "assert 'matching.engine.engine' not in sys.modules, 'the engine loads only when needed'\n"
        "from matching.engine.engine import FittedModel\n"
        "assert pickle.loads(b'ccapability_list.matching.engine\\nFittedModel\\n.') is FittedModel\n"
        "from matching.engine.vectors import TextModel\n"
        "assert pickle.loads(b'ccapability_list.matching.vectors\\nTextModel\\n.') is TextModel\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
