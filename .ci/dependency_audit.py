"""The dependency audit of CI and `make audit`: every installed distribution against known advisories.

No package on PyPI ships a current vulnerability list that a tool reads offline (README.md, "CI
audits"): pip-audit asks pypi.org's JSON API or OSV, safety 3 calls its server before it reads a
local database, venvy downloads the OSV dump on first use. The one list shipped in a package is
safety-db 2021.7.17, PyUp's free database as it was in July 2021. So this runs two checks:

1. offline, always: each installed distribution against safety-db's list — a floor: it fails on a
   version with an advisory published up to July 2021, and knows nothing later;
2. pip-audit, when its vulnerability service answers (pypi.org's JSON API); otherwise it says that
   it was skipped and why, rather than pass having checked nothing.

Exit status 1 on any finding, 0 otherwise. `--offline` runs the first check only.
"""

import json
import subprocess  # nosec B404
import sys
import urllib.error
import urllib.request
from importlib import metadata

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

# The request pip-audit makes for each distribution: the JSON of one release (some proxies answer
# a project's page but not a release's).
PIP_AUDIT_PROBE = "https://pypi.org/pypi/Django/{version}/json"


def shipped_advisories() -> tuple[dict[str, list[dict]], str]:
    """safety-db's insecure_full.json, read from the installed files (importing the package fails:
    its __init__ opens a path relative to the working directory)."""
    distribution = metadata.distribution("safety-db")
    path = distribution.locate_file("safety_db/insecure_full.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data.pop("$meta", {})
    advisories = {canonicalize_name(name): entries for name, entries in data.items()}
    return advisories, f"safety-db {distribution.version} (timestamp {meta.get('timestamp', '?')})"


def installed() -> dict[str, str]:
    return {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


def findings(packages: dict[str, str], advisories: dict[str, list[dict]]) -> list[str]:
    found = []
    for name, version_text in sorted(packages.items()):
        try:
            version = Version(version_text)
        except InvalidVersion:
            continue
        for advisory in advisories.get(name, []):
            if any(version in SpecifierSet(spec) for spec in advisory.get("specs", [])):
                found.append(
                    f"{name} {version_text}: {advisory.get('cve') or advisory['id']} ({advisory['v']}) "
                    f"{advisory.get('advisory', '')[:160]}"
                )
    return found


def pip_audit_reachable() -> tuple[bool, str]:
    url = PIP_AUDIT_PROBE.format(version=metadata.version("Django"))
    try:  # a fixed https URL (B310 is about file:// and custom schemes)
        with urllib.request.urlopen(url, timeout=15) as response:  # nosec B310
            return response.status == 200, f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}"
    except OSError as error:
        return False, str(error)


def main(argv: list[str]) -> int:
    advisories, source = shipped_advisories()
    found = findings(installed(), advisories)
    print(f"dependency audit (offline, {source}): {len(found)} finding(s) in {len(installed())} distributions")
    for line in found:
        print(f"  {line}")
    failed = bool(found)
    if "--offline" in argv:
        return int(failed)
    reachable, why = pip_audit_reachable()
    if not reachable:
        url = PIP_AUDIT_PROBE.format(version=metadata.version("Django"))
        print(f"pip-audit skipped: its vulnerability service does not answer here ({url}: {why})")
        return int(failed)
    # --strict: a distribution it could not look up is a failure, not a silent pass.
    command = [sys.executable, "-m", "pip_audit", "--strict", "--skip-editable", "--progress-spinner", "off"]
    # Fixed arguments, no shell.
    completed = subprocess.run(command, check=False)  # nosec B603
    return int(failed or completed.returncode != 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
