"""A digest of every stored match, every column but the row's id, its model version and its time:
two runs that store the same matches print the same digest (the speed work's correctness gate).

    .venv/bin/python bench/match_digest.py                  # bench/bench_matching.sqlite3
    BENCH_SCALE=0.1 .venv/bin/python bench/match_digest.py  # bench/bench_matching-0.1.sqlite3

Reads the same database bench_matching.py uses (BENCH_SCALE, BENCH_DATABASE_URL), in pair order.
"""

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = (
    "scenario_id, entry_id, score, text, coverage, fields, district, credential, fit, "
    "covered, gaps, shares, explanation, signature"
)


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    suffix = "" if scale == 1 else f"-{scale:g}"
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        import psycopg2

        connection = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    else:
        path = ROOT / "bench" / f"bench_matching{suffix}.sqlite3"
        if not path.exists():
            sys.exit(f"no bench database at {path}")
        connection = sqlite3.connect(path)
    cursor = connection.cursor()
    # The statement is this module's constant (bandit's B608 cannot tell).
    cursor.execute(f"SELECT {COLUMNS} FROM matching_match ORDER BY scenario_id, entry_id")  # nosec B608
    digest, rows = hashlib.blake2b(digest_size=16), 0
    while batch := cursor.fetchmany(50_000):
        for row in batch:
            digest.update(repr(row).encode())
        rows += len(batch)
    print(f"{rows} rows, digest {digest.hexdigest()}")


if __name__ == "__main__":
    main()
