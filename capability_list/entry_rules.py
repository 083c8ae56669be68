"""The rules of a capability entry that the editor, the API and the Excel import share.

Pure: no query, no write. The editor's service (services/entries.py) and the import's row checker
(import_checker.py) each phrase their own messages; the limits, the splitting of keywords, the
credential years and the searchable text are decided here, once.
"""

from django.utils import timezone

from core.search import folded

MAX_FIELDS = 10  # technology-field keywords per entry
MAX_KEYWORD_LENGTH = 20
MAX_CREDENTIALS = 6  # 三首认定 per entry
FIRST_CREDENTIAL_YEAR = 2000  # also the Credential model's check constraint

# What separates keywords typed as one text: the editor and the API accept all of these ...
KEYWORD_SEPARATORS = "，,；;、\n"
# ... an import cell only these (a cell with ";" keeps it inside one keyword, as it always has).
IMPORT_KEYWORD_SEPARATORS = "，,、"


def split_keywords(text: str, separators: str = KEYWORD_SEPARATORS) -> list[str]:
    """The keywords of a text, trimmed, empty ones dropped, in order (duplicates kept)."""
    for separator in separators:
        text = text.replace(separator, "、")
    return [word.strip() for word in text.split("、") if word.strip()]


def credential_years() -> range:
    """The years a 三首 credential may carry: from the first recorded year to this year."""
    return range(FIRST_CREDENTIAL_YEAR, timezone.localdate().year + 1)


def entry_search_text(entry) -> str:
    """The text the list's keyword search reads: name, description, cases, keywords, company."""
    parts = [
        entry.name,
        entry.description,
        entry.application_cases,
        " ".join(entry.technology_fields or []),
        entry.company.name,
    ]
    return folded(" ".join(part for part in parts if part))
