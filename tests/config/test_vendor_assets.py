"""static/vendor/README.md names every vendored file with its version and checksum, and they hold."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<package>[^|]+?) \| (?P<version>[^|]+?) \| (?P<licence>[^|]+?) \| "
    r"(?P<source>[^|]+?) \| `(?P<sha256>[0-9a-f]{64})` \|$"
)


def _rows() -> dict[str, dict[str, str]]:
    rows = [ROW.match(line) for line in (VENDOR / "README.md").read_text().splitlines()]
    return {row["file"]: row.groupdict() for row in rows if row}


def test_every_vendored_file_has_a_row_and_every_row_a_file():
    files = {path.name for path in VENDOR.iterdir() if path.is_file() and path.name != "README.md"}
    assert files and set(_rows()) == files


def test_the_checksums_in_the_readme_are_the_files_checksums():
    for name, row in _rows().items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == row["sha256"], (
            f"{name}: the file is not the one the README describes"
        )


def test_the_version_in_the_readme_is_the_one_the_file_reports():
    for name, row in _rows().items():
        assert re.search(rf"""version\s*[:=]\s*["']{re.escape(row["version"])}["']""", (VENDOR / name).read_text()), (
            name
        )


def test_every_row_names_a_licence_and_a_source_and_the_licence_texts_are_here():
    for row in _rows().values():
        assert row["licence"] and row["source"].startswith("https://")
    assert {"htmx-LICENSE.txt", "echarts-LICENSE.txt", "echarts-NOTICE.txt"} <= {
        path.name for path in (VENDOR / "licenses").iterdir()
    }
