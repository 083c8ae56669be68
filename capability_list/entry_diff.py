"""The field-by-field difference between a listed entry and a proposed change, as people read it.

Pure: the caller (capability_list.selectors.change_diff) passes the values as a change stores them
(foreign keys as ids) and the names of the industries and 战新 areas they refer to. Texts are
compared character by character, so a changed word inside a long description is marked, not the
whole paragraph.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from capability_list.choices import CredentialKind, CredentialLevel, EntryKind, Maturity, PriceBand
from capability_list.models import CapabilityEntry

TEXT_FIELDS = {"name", "description", "application_cases"}
CHOICES = {"kind": EntryKind, "maturity": Maturity, "price_band": PriceBand}


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False  # deleted (on the listed side) or inserted (on the proposed side)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    listed: list[Piece] = field(default_factory=list)
    proposed: list[Piece] = field(default_factory=list)
    changed: bool = False
    joiner: str = ""  # between pieces: nothing in a text, 、 between keywords, a line between credentials


def _pieces_of_texts(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    listed, proposed = [], []
    for operation, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if operation == "equal":
            listed.append(Piece(old[a1:a2]))
            proposed.append(Piece(new[b1:b2]))
            continue
        if a2 > a1:
            listed.append(Piece(old[a1:a2], marked=True))
        if b2 > b1:
            proposed.append(Piece(new[b1:b2], marked=True))
    return listed, proposed


def _pieces_of_lists(old: list[str], new: list[str]) -> tuple[list[Piece], list[Piece]]:
    """Items (keywords, credentials): each one kept, dropped or added."""
    listed = [Piece(item, marked=item not in new) for item in old]
    proposed = [Piece(item, marked=item not in old) for item in new]
    return listed, proposed


def _shown(name: str, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if name in CHOICES:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name in ("industry", "strategic_area"):
        return names.get((name, value), str(value))
    return str(value)


def credential_line(credential: dict) -> str:
    kind = CredentialKind(credential["kind"]).label if credential["kind"] in CredentialKind.values else "?"
    level = CredentialLevel(credential["level"]).label if credential["level"] in CredentialLevel.values else "?"
    return _("%(kind)s · %(level)s · %(year)s · 证书 %(number)s") % {
        "kind": kind,
        "level": level,
        "year": credential["year"],
        "number": credential["certificate_number"],
    }


def entry_diff(
    *, listed: dict, proposed: dict, listed_credentials: list[dict], proposed_credentials: list[dict], names: dict
) -> list[FieldDiff]:
    """One row per field (the 三首 credentials last), in the editor's order; `names` maps
    ("industry", id) and ("strategic_area", id) to what is shown. `listed` holds every field."""
    rows = []
    for name in listed:
        label = str(CapabilityEntry._meta.get_field(name).verbose_name)
        old, new = listed.get(name), proposed.get(name, listed.get(name))
        changed = old != new
        joiner = ""
        if name in TEXT_FIELDS:
            old_pieces, new_pieces = _pieces_of_texts(old or "", new or "")
        elif name == "technology_fields":
            old_pieces, new_pieces = _pieces_of_lists(list(old or []), list(new or []))
            joiner = "、"
        else:
            old_pieces = [Piece(_shown(name, old, names), marked=changed)]
            new_pieces = [Piece(_shown(name, new, names), marked=changed)]
        rows.append(FieldDiff(name, label, old_pieces, new_pieces, changed, joiner))
    old_lines = [credential_line(c) for c in listed_credentials]
    new_lines = [credential_line(c) for c in proposed_credentials]
    old_pieces, new_pieces = _pieces_of_lists(old_lines, new_lines)
    changed = sorted(old_lines) != sorted(new_lines)
    rows.append(FieldDiff("credentials", _("三首认定"), old_pieces, new_pieces, changed, "\n"))
    return rows
