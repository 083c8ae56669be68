"""The demo's data files (demo/data/*.json): UTF-8 JSON written for people to read and edit.

Numbers with a fraction are read as Decimal, so points and amounts stay exact.
"""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    """The parsed file (shared between callers: read it, do not change it)."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)
