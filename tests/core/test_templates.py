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
    offenders = [
        str(path.relative_to(ROOT))
        for path in (TEMPLATES / "accounts").rglob("*.html")
        if "contests:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']""")
PARTIAL = re.compile(r"^(includes|[a-z_]+)/_[a-z0-9_]+\.html$")


def _templates():
    return {str(path.relative_to(TEMPLATES)): path.read_text(encoding="utf-8") for path in TEMPLATES.rglob("*.html")}


def test_partials_are_named_with_an_underscore_and_pages_are_not():
    """A template that extends nothing is a partial (except the layout base.html, and 500.html,
    which Django renders without a request and so stands alone): its name starts with an
    underscore and it sits in templates/includes/ or directly in its app's folder; a page or
    layout never starts with one."""
    misnamed = []
    for name, text in _templates().items():
        is_partial = not EXTENDS.search(text) and name not in ("base.html", "500.html")
        if is_partial != bool(PARTIAL.match(name)) or (not is_partial and Path(name).name.startswith("_")):
            misnamed.append(name)
    assert misnamed == []


def test_every_include_and_home_panel_names_a_partial():
    from core.home_panels import _PANELS

    templates = _templates()
    included = {match for text in templates.values() for match in INCLUDE.findall(text)}
    panels = {panel.template for role_panels in _PANELS.values() for panel in role_panels}
    assert included and panels
    assert sorted(name for name in included | panels if name not in templates or not PARTIAL.match(name)) == []


def test_layouts_are_called_base():
    extended = {match for text in _templates().values() for match in EXTENDS.findall(text)}
    assert sorted(extended) == ["accounts/home/base.html", "base.html"]


def test_a_page_title_is_text_only():
    """{% block title %} becomes the browser's <title>: markup in it shows as text in the tab."""
    title = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)
    offenders = [name for name, text in _templates().items() if any("<" in m for m in title.findall(text))]
    assert offenders == []
