"""The embedded default holds a workshop: 30 people writing at once under `make run` used to lose
94 % of their writes to "database is locked". Run in a fresh process on a SQLite file with the
portal's own database settings: 30 threads, each doing read-then-write transactions (the pattern
that fails when a reader must upgrade to a writer), and none may fail."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS clicks (id INTEGER PRIMARY KEY, person INTEGER, n INTEGER)")
failures = []

def person(number):
    from django.db import connection as own
    try:
        for _ in range(10):
            with transaction.atomic():
                with own.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM clicks WHERE person = %s", [number])
                    seen = cursor.fetchone()[0]
                    cursor.execute("INSERT INTO clicks (person, n) VALUES (%s, %s)", [number, seen + 1])
    except Exception as error:
        failures.append(repr(error))
    finally:
        own.close()

threads = [threading.Thread(target=person, args=(number,)) for number in range(30)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM clicks")
    print("rows", cursor.fetchone()[0], "failures", len(failures), failures[:1])
"""


def test_thirty_people_writing_at_once_all_succeed(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'workshop.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "rows 300 failures 0" in result.stdout, result.stdout
