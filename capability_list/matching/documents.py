"""The matching view of scenarios and entries: plain records read in a few bulk queries."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection

from capability_list.choices import EntryStatus
from capability_list.matching import kernels
from scenarios.choices import ScenarioStatus

# Scenarios still looking for suppliers; the others are filtered out before any scoring.
OPEN_SCENARIO_STATUSES = (ScenarioStatus.PUBLISHED, ScenarioStatus.IN_CONTEST, ScenarioStatus.MATCHED)


@dataclass
class ScenarioDoc:
    id: int
    title: str
    needs: list[str]
    domain_code: str
    domain_name: str
    district_id: int | None
    district_name: str
    funding_amount: Decimal | None
    stage: str
    required_credential: str
    local_only: bool
    is_open: bool
    digest: int = 0  # of every field above: the matches of a changed scenario are rewritten
    primary: str = ""  # the title and the need names: they say what is wanted most plainly
    rest: str = ""

    @property
    def plain_text(self) -> str:
        """Everything once: where an entry's technology fields are looked for (normalised)."""
        return f"{self.primary} {self.rest}"


@dataclass
class EntryDoc:
    id: int
    name: str
    company_id: int
    company_name: str
    district_id: int | None
    area_code: str
    area_name: str
    fields: list[str]
    maturity: str
    price_band: str
    credentials: dict = field(default_factory=dict)  # kind → "省级 2024"
    innovation: bool = False
    is_listed: bool = True
    digest: int = 0  # of every field above
    primary: str = ""  # the name and the technology fields
    rest: str = ""


def digests(values: list[tuple]) -> np.ndarray:
    """A 64-bit digest (int64) of each tuple of plain values (str, int, Decimal, None, or lists of
    them): FNV-1a of their str() joined by U+001F. All are hashed in one compiled pass — a
    rebuild digests 110,000 documents; repr() of their long texts alone would take half a second."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    texts = ["\x1f".join(map(str, value)) for value in values]
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a value holding NUL itself (SQLite allows it)
        joined = "\x00".join(text.replace("\x00", "\\x00") for text in texts)
    buffer = np.frombuffer(joined.encode(), dtype=np.uint8)
    bounds = np.concatenate([[0], np.flatnonzero(buffer == 0) + 1, [len(buffer) + 1]]).astype(np.int64)
    return kernels.fnv1a(buffer, bounds)


def digest64(*values) -> int:
    """The digest of these values together."""
    return int(digests([values])[0])


def _raw_rows(values_list) -> list[tuple]:
    """The rows of a values_list() query as the driver returns them: without Django's per-value
    converters (a second at 100,000 entries). Callers convert the few columns that need it
    (JSON text, SQLite's 0/1 booleans)."""
    sql, params = values_list.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def scenario_docs(queryset=None) -> list[ScenarioDoc]:
    from scenarios.models import NeedItem, Scenario

    # Sorted here, not by the database: ORDER BY id would make SQLite scan the table instead of
    # using the updated_at index when a rematch asks what changed since a fit.
    queryset = (queryset if queryset is not None else Scenario.objects.filter(status__in=OPEN_SCENARIO_STATUSES)).order_by()
    rows = sorted(
        _raw_rows(queryset.values_list(
            "pk", "title", "summary", "need_description", "domain__code", "domain__name", "district_id", "district__name",
            "funding_amount", "stage", "required_credential", "local_suppliers_only", "status",
        ))
    )
    needs: dict[int, list[tuple[str, str]]] = {}
    # The scenarios' query as a subquery: a list of 10,000 ids costs more to send than to read.
    for scenario_id, name, detail in NeedItem.objects.filter(scenario__in=queryset.values("pk")).order_by("scenario_id", "sort_order", "pk").values_list("scenario_id", "name", "detail"):
        needs.setdefault(scenario_id, []).append((name, detail))
    docs = []
    for row in rows:
        pk, title, summary, description, domain_code, domain_name, district_id, district_name, amount, stage, credential, local_only, status = row
        items = needs.get(pk, [])
        # The title and the need names count twice (tokenised once, counted twice: text.weighted_tokens).
        primary = " ".join([title, *(name for name, _detail in items)])
        rest = " ".join([summary or "", *(detail for _name, detail in items), description or ""])
        docs.append(
            ScenarioDoc(
                id=pk, title=title, primary=primary, rest=rest, needs=[name for name, _detail in items], domain_code=domain_code or "", domain_name=domain_name or "",
                district_id=district_id, district_name=district_name or "", funding_amount=None if amount is None else Decimal(str(amount)), stage=stage or "",
                required_credential=credential or "", local_only=bool(local_only), is_open=status in OPEN_SCENARIO_STATUSES,
            )
        )
    # Of the raw row and the needs: whatever changes in them changes the digest.
    for doc, digest in zip(docs, digests([(*row, needs.get(row[0], [])) for row in rows]).tolist()):
        doc.digest = digest
    return docs


def entry_docs(queryset=None) -> list[EntryDoc]:
    from capability_list.models import CapabilityEntry, Credential

    queryset = (queryset if queryset is not None else CapabilityEntry.objects.filter(status=EntryStatus.LISTED)).order_by()
    rows = sorted(
        _raw_rows(queryset.values_list(
            "pk", "name", "description", "application_cases", "technology_fields", "company_id", "company__name", "company__district_id",
            "strategic_area__code", "strategic_area__name", "maturity", "price_band", "is_independent_innovation", "is_strategic_emerging", "status",
        ))
    )
    credentials: dict[int, dict] = {}
    for entry_id, kind, level, year in Credential.objects.filter(entry__in=queryset.values("pk")).values_list("entry_id", "kind", "level", "year"):
        credentials.setdefault(entry_id, {})[kind] = f"{level}|{year}"
    docs = []
    parsed: dict = {}  # technology fields by their JSON text (or, decoded by the driver, as a tuple)
    listed = EntryStatus.LISTED.value
    for row in rows:
        pk, name, description, cases, fields_json, company_id, company_name, district_id, area_code, area, maturity, price_band, independent, emerging, status = row
        key = fields_json if isinstance(fields_json, str) else tuple(fields_json) if isinstance(fields_json, list) else repr(fields_json)
        fields = parsed.get(key)
        if fields is None:
            value = json.loads(fields_json) if isinstance(fields_json, str) else fields_json
            fields = parsed[key] = [str(item) for item in value] if isinstance(value, list) else []
        docs.append(
            EntryDoc(
                id=pk, name=name, primary=" ".join([name, *fields]), rest=f"{description or ''} {cases or ''}", company_id=company_id, company_name=company_name,
                district_id=district_id, area_code=area_code or "", area_name=area or "", fields=fields, maturity=maturity or "", price_band=price_band or "",
                credentials=credentials.get(pk) or {}, innovation=bool(independent or emerging), is_listed=status == listed,
            )
        )
    for doc, digest in zip(docs, digests([(*row, sorted(credentials.get(row[0], {}).items())) for row in rows]).tolist()):
        doc.digest = digest
    return docs
