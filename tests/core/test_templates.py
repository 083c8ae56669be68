"""How templates are organised (see templates/README.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def test_the_base_layout_holds_no_role_rules():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert "has_role" not in base and "roles" not in base
    roles = ("publisher", "company", "association", "judge", "operator", "official", "auditor", "admin")
    assert [role for role in roles if re.search(rf"""["']{role}["']""", base)] == []


def test_accounts_pages_link_to_no_contests_page():
    """Contests adds its links to accounts pages through the home panel and menu registries."""
    offenders = [str(path.relative_to(ROOT)) for path in (TEMPLATES / "accounts").rglob("*.html") if "contests:" in path.read_text(encoding="utf-8")]
    assert offenders == []
