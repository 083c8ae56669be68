"""The offline dependency audit of CI (.ci/dependency_audit.py, #18) reads the advisories shipped in
safety-db and fails on an installed version they name; today's pins have none."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("dependency_audit", ROOT / ".ci" / "dependency_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_version_with_a_shipped_advisory_is_found(audit):
    advisories, source = audit.shipped_advisories()
    assert source.startswith("safety-db 2021.7.17")
    found = audit.findings({"django": "3.2.3", "pyyaml": "5.3", "celery": "5.7.0"}, advisories)
    assert any(line.startswith("django 3.2.3: CVE-2021-33203") for line in found)
    assert any(line.startswith("pyyaml 5.3: CVE-2020-14343") for line in found)
    assert not any(line.startswith("celery") for line in found)
    # Each of an advisory's ranges counts on its own: 3.1.11 is inside one, 3.1.12 past it.
    assert audit.findings({"django": "3.1.11"}, advisories)
    assert not [line for line in audit.findings({"django": "3.1.12"}, advisories) if "CVE-2021-33203" in line]


def test_the_offline_audit_fails_on_a_finding_and_passes_the_pinned_environment(audit, monkeypatch, capsys):
    assert audit.main(["--offline"]) == 0, capsys.readouterr().out
    monkeypatch.setattr(audit, "installed", lambda: {"django": "3.2.3"})
    assert audit.main(["--offline"]) == 1
    assert "django 3.2.3: CVE-2021-33203" in capsys.readouterr().out
