"""The English interface: every Chinese message has a translation, and the compiled catalogue
matches the .po file (so nobody forgets `make messages` after editing it)."""

import gettext
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = ROOT / "locale/en/LC_MESSAGES/django.mo"
# The folders whose Python source is scanned for marked strings (templates/ is scanned too).
SOURCE_APPS = "core accounts scenarios capability_list matching contests evaluation steering config".split()


def _blocks():
    """({keyword: text}, flags) for each entry of the .po, the header included. Keywords are msgctxt,
    msgid, msgid_plural, msgstr, and msgstr[0], msgstr[1]… for a plural entry."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        fields, flags, target = {}, "", None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and target is not None:
                target.append(json.loads(line))
            elif " " in line:
                keyword, text = line.split(" ", 1)
                target = fields.setdefault(keyword, [])
                target.append(json.loads(text))
        yield {keyword: "".join(parts) for keyword, parts in fields.items()}, flags


def _plural_forms(fields):
    """The msgstr[0], msgstr[1]… of a plural entry, in order."""
    keys = sorted((key for key in fields if key.startswith("msgstr[")), key=lambda key: int(key[7:-1]))
    return [fields[key] for key in keys]


def _entries():
    """(msgid, msgstr, flags) for each entry of the .po, header excluded; a plural entry's msgstr is
    its first form, or empty when any form is empty."""
    for fields, flags in _blocks():
        msgid = fields.get("msgid", "")
        if not msgid:
            continue
        if "msgid_plural" in fields:
            forms = _plural_forms(fields)
            yield msgid, (forms[0] if forms and all(forms) else ""), flags
        else:
            yield msgid, fields.get("msgstr", ""), flags


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 500
    assert [msgid for msgid, msgstr, _flags in entries if not msgstr] == []
    assert [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags] == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for fields, _flags in _blocks():
        msgid = fields.get("msgid", "")
        if not msgid:
            continue
        if "msgid_plural" in fields:
            # English has two forms: msgstr[0] for one, msgstr[1] for any other number.
            forms = _plural_forms(fields)
            if [catalogue.ngettext(msgid, fields["msgid_plural"], n) for n in (1, 2)] != forms:
                stale.append(msgid)
        elif catalogue.gettext(msgid) != fields.get("msgstr", ""):
            stale.append(msgid)
    assert stale == [], "run `make messages` to recompile locale/en/LC_MESSAGES/django.mo"


def test_every_marked_string_in_the_source_is_in_the_catalogue():
    """A new _("…") or {% translate "…" %} without `make messages` would stay Chinese in English."""
    import re

    known = {msgid for msgid, _msgstr, _flags in _entries()}
    python_string = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
    template_string = re.compile(r"""{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""")
    missing = []
    for app in SOURCE_APPS:
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
