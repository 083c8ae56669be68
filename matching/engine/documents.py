"""The matching view of scenarios and entries: plain records read in a few bulk queries, each with
its tokens' text (the title-like part and the rest) and a digest that changes whenever anything
matching reads of it does (a changed digest re-tokenises the document and rewrites its matches)."""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from capability_list.choices import EntryStatus
from scenarios.choices import ScenarioStatus

# Scenarios still looking for suppliers; the others get no recommendations.
OPEN_SCENARIO_STATUSES = (ScenarioStatus.PUBLISHED, ScenarioStatus.IN_CONTEST, ScenarioStatus.MATCHED)


@dataclass(slots=True)
class ScenarioDoc:
    id: int
    title: str
    needs: list[str]
    domain_id: int | None
    domain_name: str
    district_id: int | None
    district_name: str
    funding_amount: Decimal | None
    stage: str
    required_credential: str
    local_only: bool
    is_open: bool
    primary: str = ""  # the title and the need names: what is wanted, most plainly
    rest: str = ""
    digest: int = 0


@dataclass(slots=True)
class EntryDoc:
    id: int
    name: str
    company_id: int
    district_id: int | None
    area_id: int | None
    area_name: str
    fields: list[str]
    maturity: str
    price_band: str
    credentials: dict = field(default_factory=dict)  # kind → (level, year)
    is_listed: bool = True
    primary: str = ""  # the name and the technology fields
    rest: str = ""
    digest: int = 0


# One encoder: json.dumps with options builds an encoder per call, a third of a rebuild's read.
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":")).encode


def digest64(*values) -> int:
    """A signed 64-bit digest of these values (fits a BigIntegerField)."""
    blob = _ENCODE(values).encode()
    return int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "big", signed=True)


def scenario_docs(queryset=None) -> list[ScenarioDoc]:
    from scenarios.models import NeedItem, Scenario

    if queryset is None:
        queryset = Scenario.objects.filter(status__in=OPEN_SCENARIO_STATUSES)
    needs: dict[int, list[tuple[str, str]]] = {}
    for scenario_id, name, detail in (
        NeedItem.objects.filter(scenario__in=queryset.values("pk"))
        .order_by("scenario_id", "sort_order", "pk")
        .values_list("scenario_id", "name", "detail")
    ):
        needs.setdefault(scenario_id, []).append((name, detail))
    docs = []
    for row in queryset.order_by("pk").values_list(
        "pk",
        "title",
        "summary",
        "need_description",
        "domain_id",
        "domain__name",
        "district_id",
        "district__name",
        "funding_amount",
        "stage",
        "required_credential",
        "local_suppliers_only",
        "status",
    ):
        pk, title, summary, description, domain_id, domain_name, district_id, district_name = row[:8]
        amount, stage, credential, local_only, status = row[8:]
        items = needs.get(pk, [])
        docs.append(
            ScenarioDoc(
                id=pk,
                title=title,
                needs=[name for name, _detail in items],
                domain_id=domain_id,
                domain_name=domain_name or "",
                district_id=district_id,
                district_name=district_name or "",
                funding_amount=amount,
                stage=stage or "",
                required_credential=credential or "",
                local_only=bool(local_only),
                is_open=status in OPEN_SCENARIO_STATUSES,
                primary=" ".join([title, *(name for name, _detail in items)]),
                rest=" ".join([summary or "", *(detail for _name, detail in items), description or ""]),
                digest=digest64(row, items),
            )
        )
    return docs


def entry_docs(queryset=None) -> list[EntryDoc]:
    from capability_list.models import CapabilityEntry, Credential

    if queryset is None:
        queryset = CapabilityEntry.objects.filter(status=EntryStatus.LISTED)
    credentials: dict[int, dict] = {}
    for entry_id, kind, level, year in Credential.objects.filter(entry__in=queryset.values("pk")).values_list(
        "entry_id", "kind", "level", "year"
    ):
        credentials.setdefault(entry_id, {})[kind] = (level, year)
    docs = []
    for row in (
        queryset.order_by("pk")
        .values_list(
            "pk",
            "name",
            "description",
            "application_cases",
            "technology_fields",
            "company_id",
            "company__district_id",
            "strategic_area_id",
            "strategic_area__name",
            "maturity",
            "price_band",
            "status",
        )
        .iterator(chunk_size=5000)
    ):  # a server-side cursor on PostgreSQL: 100,000 rows are never all in memory twice
        pk, name, description, cases, fields, company_id, district_id, area_id, area_name = row[:9]
        maturity, price_band, status = row[9:]
        fields = [value for value in (fields or []) if isinstance(value, str) and value]
        held = credentials.get(pk, {})
        docs.append(
            EntryDoc(
                id=pk,
                name=name,
                company_id=company_id,
                district_id=district_id,
                area_id=area_id,
                area_name=area_name or "",
                fields=fields,
                maturity=maturity or "",
                price_band=price_band or "",
                credentials=held,
                is_listed=status == EntryStatus.LISTED,
                primary=" ".join([name, *fields]),
                rest=" ".join([description or "", cases or ""]),
                digest=digest64(row, sorted(held.items())),
            )
        )
    return docs
