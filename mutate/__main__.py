"""`python -m mutate [target …] [--jobs N] [--json FILE]`: mutation testing of the rule modules.

Targets are the names in mutate/targets.py (all when none is given); a prefix is enough
("contests/ranking"). Runs on SQLite, whatever DATABASE_URL says, with the browser, worker and
PostgreSQL tests left out.
"""

import argparse
import os
import sys
from pathlib import Path

import pytest

from mutate.targets import TARGETS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "targets", nargs="*", help="target names or their prefixes: " + ", ".join(t.name for t in TARGETS)
    )
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--json", default="", help="write every mutant's result to this file")
    parser.add_argument(
        "--compare",
        default="",
        help="comma-separated test files: run them last and print the score without them too (before/after)",
    )
    parser.add_argument("--fail-under", type=float, default=90.0, help="exit 1 when a target scores less (default 90)")
    arguments = parser.parse_args(argv)

    chosen = [t for p in arguments.targets for t in TARGETS if t.name.startswith(p)] if arguments.targets else TARGETS
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        parser.error("no target matches " + ", ".join(arguments.targets))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    root = Path(__file__).resolve().parent.parent
    tests = sorted({path for target in chosen for path in target.tests if (root / path).exists()})
    return pytest.main(
        [
            *tests,
            "-p",
            "mutate.plugin",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            "-m",
            "not browser and not worker and not postgres",
            "--mutate-targets=" + ",".join(t.name for t in chosen),
            f"--mutate-jobs={arguments.jobs}",
            f"--mutate-fail-under={arguments.fail_under}",
            *([f"--mutate-json={arguments.json}"] if arguments.json else []),
            *([f"--mutate-compare={arguments.compare}"] if arguments.compare else []),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
