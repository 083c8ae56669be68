"""The house plan, held: one-way imports up the ladder, and every app in the same shape.

The ladder (README, "The map"): steering → evaluation → contests → matching → capability_list →
scenarios → accounts → core. An app imports only apps below it; core imports no other app; nothing
imports demo or config's loader except the command that runs it. Read from the source with ast, so
a function-level import counts as much as a module-level one.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LADDER = ["core", "accounts", "scenarios", "capability_list", "matching", "contests", "evaluation", "steering"]
DOMAIN_APPS = ["accounts", "scenarios", "capability_list", "matching", "contests", "evaluation", "steering"]
# Every domain app has these (STYLE.md, "One app, one shape"); models, selectors and views may be a module or a
# package (split by topic once they grow past ~500 lines).
APP_SHAPE = [
    "models",
    "choices.py",
    "services/__init__.py",
    "selectors",
    "permissions.py",
    "filters.py",
    "api/serializers.py",
    "api/views.py",
    "forms.py",
    "views",
    "urls.py",
    "tasks.py",
    "admin.py",
    "apps.py",
]


def _source_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & {*LADDER, "demo", "config"}


@pytest.mark.parametrize("app", LADDER)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LADDER[: LADDER.index(app) + 1])
    upward = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in _source_files(app)
        for other in _imported_apps(path) - allowed
        # Settings and the environment are everyone's; the celery app only starts workers.
        if other != "config"
    }
    assert not upward, sorted(upward)


@pytest.mark.parametrize("app", LADDER)
def test_apps_never_import_the_demo_loader(app):
    offenders = [str(path.relative_to(ROOT)) for path in _source_files(app) if "demo" in _imported_apps(path)]
    assert not offenders


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_domain_app_has_the_same_shape(app):
    missing = [name for name in APP_SHAPE if not ((ROOT / app / name).exists() or (ROOT / app / f"{name}.py").exists())]
    assert not missing, f"{app} lacks {missing}"
    assert not (ROOT / app / "services.py").exists(), f"{app}/services.py should be the services/ package"


def test_core_is_the_ground_floor():
    for name in [
        "errors.py",
        "actions.py",
        "jobs.py",
        "excel.py",
        "uploads.py",
        "paging.py",
        "request_context.py",
        "home_panels.py",
        "services/__init__.py",
        "selectors.py",
        "models/__init__.py",
        "tasks.py",
        "admin.py",
    ]:
        assert (ROOT / "core" / name).exists(), name


def test_the_readme_map_matches_the_tree():
    """Every folder the README's map names exists, every package at the top is on the map, and
    every path in backquotes the map section names is there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    the_map = readme[readme.index("## The map") : readme.index("## What each app does")]
    mapped = set(re.findall(r"^\| `([a-z_]+)/` \|", the_map, flags=re.M))
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} | {"templates", "static"}
    assert packages - mapped == set(), "not on the README's map"
    assert mapped - packages == set(), "on the map but not in the tree"
    named = {path for path in re.findall(r"`([a-z_]+/[A-Za-z_./]+\.(?:py|md|html|json))`", the_map) if "{" not in path}
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []


def test_a_fresh_process_connects_every_cross_cutting_hook():
    """Hooks registered for their side effects (signal receivers, job kinds, menu items) are
    connected by the apps' ready() alone, not by whatever a test happened to import first — a
    lint pass once dropped the matching signals' import and only a test run in a fresh process
    showed it."""
    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth.signals import user_logged_in\n"
        "from django.db.models.signals import post_save\n"
        "from core.jobs import job_kinds\n"
        "uids = {receiver[0][0] for receiver in post_save.receivers}\n"
        "assert 'matching-rematch-scenario' in uids and 'matching-rematch-entry' in uids, uids\n"
        "assert user_logged_in.receivers, 'login audit not connected'\n"
        "kinds = set(job_kinds())\n"
        "assert {'accounts.organisation_directory', 'scenarios.catalogue_export', 'matching.rebuild',"
        " 'capability_list.import_apply', 'contests.score_summary'} <= kinds, kinds\n"
        "print('ok', len(kinds))\n"
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


def test_every_model_names_its_objects_by_what_they_are():
    """The audit log, the admin and messages show str(object): never "Award object (2)"."""
    from django.apps import apps
    from django.db import models

    unnamed = [
        f"{model._meta.app_label}.{model.__name__}"
        for app in ["core", *DOMAIN_APPS]
        for model in apps.get_app_config(app).get_models()
        if model.__str__ is models.Model.__str__
    ]
    assert unnamed == []


def test_no_module_of_the_matching_app_is_over_400_lines():
    """Issue #16: the engine stays small enough to read; its package docstring says where each step lives."""
    long = {
        str(path.relative_to(ROOT)): length
        for path in _source_files("matching")
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
    import matching.engine

    for path in (ROOT / "matching" / "engine").glob("*.py"):
        if path.name != "__init__.py":
            assert path.name in matching.engine.__doc__, path.name
