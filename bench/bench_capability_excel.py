r"""Importing and exporting 100,000 capability entries, next to plain openpyxl write-only.

    .venv/bin/python bench/bench_capability_excel.py [rows]      # default 100000, SQLite file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_excel \
        .venv/bin/python bench/bench_capability_excel.py

Each phase runs in its own process so that its peak memory (max RSS) is its own:
  baseline  plain openpyxl write-only: the same rows, no checks (the floor for writing a file)
  import    the portal's import of a workbook of those rows: whole-file checks, dry run, one-transaction write
  export    the portal's edition workbook of the imported entries (one sheet per industry section)
Prints seconds and peak MB per phase and each phase's time as a ratio to the baseline.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".excel"
ROWS = int(
    sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--phase" else (sys.argv[1] if len(sys.argv) > 1 else 100_000)
)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(WORK / "media")
    import django

    django.setup()


def phase_baseline(rows: int) -> None:
    setup_django()  # the same start-up cost as the other phases, so the ratio compares the work
    from openpyxl import Workbook

    from bench.synthetic import entry_rows
    from capability_list.import_checker import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("能力清单")
    sheet.append(HEADERS)
    for row in entry_rows(rows):
        sheet.append(row)
    workbook.save(WORK / "input.xlsx")


def phase_import(rows: int) -> None:
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from accounts.models import User
    from capability_list import services

    call_command("migrate", verbosity=0)
    operator, _ = User.objects.get_or_create(username="bench-operator", defaults={"display_name": "基准"})
    from accounts.models import RoleAssignment

    RoleAssignment.objects.get_or_create(user=operator, role="operator")
    operator = User.objects.get(pk=operator.pk)
    services.imports.SYNC_CHECK_BYTES = services.imports.SYNC_IMPORT_ROWS = 10**9  # run both steps here, not in a job
    batch = services.import_upload(
        actor=operator, uploaded=SimpleUploadedFile("input.xlsx", (WORK / "input.xlsx").read_bytes())
    )
    assert batch.state == "checked" and batch.error_rows == 0, (batch.state, batch.errors[:3])
    batch = services.import_confirm(actor=operator, batch=batch)
    assert batch.imported_count == rows, batch.imported_count


def phase_export(rows: int) -> None:
    setup_django()
    from accounts.models import User
    from capability_list.exports import edition_workbook
    from capability_list.models import CapabilityEntry, Edition

    edition = Edition.objects.create(
        year=2026,
        batch=Edition.objects.count() + 1,
        title="基准",
        created_by=User.objects.get(username="bench-operator"),
    )
    edition.entries.set(CapabilityEntry.objects.values_list("pk", flat=True))
    content = edition_workbook(edition, lambda percent, message="": None)
    (WORK / "edition.xlsx").write_bytes(content)


def run_phase(name: str) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--phase", str(ROWS), name], cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"phase {name} failed")
    return elapsed, usage.ru_maxrss / 1024  # kB on Linux


def main() -> None:
    WORK.mkdir(exist_ok=True)
    (WORK / "bench.sqlite3").unlink(missing_ok=True)
    if "BENCH_DATABASE_URL" in os.environ:
        from urllib.parse import urlparse

        name = urlparse(os.environ["BENCH_DATABASE_URL"]).path.lstrip("/")
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {name}",
                "-c",
                f"CREATE DATABASE {name}",
            ],
            check=True,
        )
    results = {name: run_phase(name) for name in ("baseline", "import", "export")}
    print(f"capability list Excel — {ROWS} rows, {os.environ.get('BENCH_DATABASE_URL', 'sqlite')}")
    print(f"{'phase':10} {'seconds':>9} {'peak MB':>9} {'time / baseline':>16}")
    for name, (seconds, peak) in results.items():
        print(f"{name:10} {seconds:9.1f} {peak:9.0f} {seconds / results['baseline'][0]:16.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--phase":
        {"baseline": phase_baseline, "import": phase_import, "export": phase_export}[sys.argv[3]](int(sys.argv[2]))
    else:
        main()
