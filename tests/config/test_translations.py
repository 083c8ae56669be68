"""The English interface: every Chinese message has a translation, and the compiled catalogue
matches the .po file (so nobody forgets `make messages` after editing it)."""

import gettext
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = ROOT / "locale/en/LC_MESSAGES/django.mo"


def _entries():
    """(msgid, msgstr, flags) for each entry of the .po, header excluded."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid, msgstr, flags, target = [], [], "", None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("msgid "):
                target = msgid
                target.append(json.loads(line[6:]))
            elif line.startswith("msgstr "):
                target = msgstr
                target.append(json.loads(line[7:]))
            elif line.startswith('"') and target is not None:
                target.append(json.loads(line))
        if msgid and "".join(msgid):
            yield "".join(msgid), "".join(msgstr), flags


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 500
    assert [msgid for msgid, msgstr, _flags in entries if not msgstr] == []
    assert [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags] == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr, _flags in _entries() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to recompile locale/en/LC_MESSAGES/django.mo"


def test_every_marked_string_in_the_source_is_in_the_catalogue():
    """A new _("…") or {% translate "…" %} without `make messages` would stay Chinese in English."""
    import re

    known = {msgid for msgid, _msgstr, _flags in _entries()}
    python_string = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
    template_string = re.compile(r"""{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""")
    missing = []
    for app in ("accounts", "scenarios", "capability_list", "contests", "evaluation", "config"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in python_string.finditer(path.read_text(encoding="utf-8")):
                text = match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
                if text not in known:
                    missing.append(f"{path.relative_to(ROOT)}: {text}")
    for path in (ROOT / "templates").rglob("*.html"):
        for match in template_string.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) or match.group(2)
            if text not in known:
                missing.append(f"{path.relative_to(ROOT)}: {text}")
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])
