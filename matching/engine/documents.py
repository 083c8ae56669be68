"""The matching view of scenarios and entries: plain records read in a few bulk queries (scenarios as
ScenarioDoc objects; entries, ten times as many, column by column in EntryDocs), with a digest of
each that changes whenever anything matching reads of it does."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection

from capability_list.choices import EntryStatus
from matching.engine import kernels
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


NULL = "\x1e"  # what None counts as in a digest: a value of its own, neither "" nor "None"
_PRIME = np.uint64(0x100000001B3)


def digests(columns: list) -> np.ndarray:
    """A 64-bit digest (int64) of each row of these columns (sequences of equal length, of plain
    values: str, int, Decimal, None, or lists of them): FNV-1a of each value's str() (None: NULL),
    combined column by column. Each column's values are joined and hashed in one compiled pass — a
    rebuild digests 110,000 documents of 15 columns; a str() and a join per row took half a second."""
    rows = len(columns[0]) if columns else 0
    combined = np.full(rows, 0xCBF29CE484222325, dtype=np.uint64)
    if not rows:
        return combined.view(np.int64)
    for column in columns:
        combined = (combined ^ _column_hashes(column, rows)) * _PRIME  # as FNV-1a mixes in a byte
        combined ^= combined >> np.uint64(29)  # then the high bits folded down (a multiply only carries upwards)
    return combined.view(np.int64)


def _column_hashes(column, rows: int) -> np.ndarray:
    """FNV-1a (uint64) of each value's str() (None: NULL), the column joined and hashed at once."""
    try:
        joined = "\x00".join(column)  # a column of strings: no str() per value
    except TypeError:
        # map(str) runs at C speed; a column holding None needs a test per value.
        joined = "\x00".join(
            [NULL if value is None else str(value) for value in column] if None in column else map(str, column)
        )
    if joined.count("\x00") != rows - 1:  # a value holding NUL itself (SQLite allows it)
        joined = "\x00".join(NULL if value is None else str(value).replace("\x00", "\\x00") for value in column)
    buffer = np.frombuffer(joined.encode(), dtype=np.uint8)
    bounds = np.concatenate([[0], np.flatnonzero(buffer == 0) + 1, [len(buffer) + 1]]).astype(np.int64)
    return kernels.fnv1a(buffer, bounds).view(np.uint64)


def digest64(*values) -> int:
    """The digest of these values together (as one row)."""
    return int(digests([[value] for value in values])[0])


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
    queryset = (
        queryset if queryset is not None else Scenario.objects.filter(status__in=OPEN_SCENARIO_STATUSES)
    ).order_by()
    rows = sorted(
        _raw_rows(
            queryset.values_list(
                "pk",
                "title",
                "summary",
                "need_description",
                "domain__code",
                "domain__name",
                "district_id",
                "district__name",
                "funding_amount",
                "stage",
                "required_credential",
                "local_suppliers_only",
                "status",
            )
        )
    )
    needs: dict[int, list[tuple[str, str]]] = {}
    # The scenarios' query as a subquery: a list of 10,000 ids costs more to send than to read.
    for scenario_id, name, detail in _raw_rows(
        NeedItem.objects.filter(scenario__in=queryset.values("pk"))
        .order_by("scenario_id", "sort_order", "pk")
        .values_list("scenario_id", "name", "detail")
    ):
        needs.setdefault(scenario_id, []).append((name, detail))
    docs = []
    for row in rows:
        (
            pk,
            title,
            summary,
            description,
            domain_code,
            domain_name,
            district_id,
            district_name,
            amount,
            stage,
            credential,
            local_only,
            status,
        ) = row
        items = needs.get(pk, [])
        # The title and the need names count twice (tokenised once, counted twice: text.weighted_tokens).
        primary = " ".join([title, *(name for name, _detail in items)])
        rest = " ".join([summary or "", *(detail for _name, detail in items), description or ""])
        docs.append(
            ScenarioDoc(
                id=pk,
                title=title,
                primary=primary,
                rest=rest,
                needs=[name for name, _detail in items],
                domain_code=domain_code or "",
                domain_name=domain_name or "",
                district_id=district_id,
                district_name=district_name or "",
                funding_amount=None if amount is None else Decimal(str(amount)),
                stage=stage or "",
                required_credential=credential or "",
                local_only=bool(local_only),
                is_open=status in OPEN_SCENARIO_STATUSES,
            )
        )
    # Of the raw row's columns and the needs: whatever changes in them changes the digest.
    if rows:
        for doc, digest in zip(docs, digests([*zip(*rows), [needs.get(doc.id, "") for doc in docs]]).tolist()):
            doc.digest = digest
    return docs


ENTRY_COLUMNS = (
    "pk",
    "name",
    "description",
    "application_cases",
    "technology_fields",
    "company_id",
    "company__name",
    "company__district_id",
    "strategic_area__code",
    "strategic_area__name",
    "maturity",
    "price_band",
    "is_independent_innovation",
    "is_strategic_emerging",
    "status",
)


class EntryDocs(Sequence):
    """Entries as matching reads them, kept column by column. A rebuild reads 100,000 of them but
    needs an EntryDoc only for the entries whose pairs it explains; ids, digests, technology
    fields and the scoring columns come straight from the columns, and so does the model file
    (a rematch builds the few docs it looks at). docs[i] builds the EntryDoc of row i (once)."""

    def __init__(self, rows: list[tuple], credentials: dict[int, dict]):
        columns = list(zip(*rows)) if rows else [()] * len(ENTRY_COLUMNS)
        (
            ids,
            self.names,
            self._descriptions,
            self._cases,
            fields_json,
            self.company_ids,
            self.company_names,
            self.districts,
            self.area_codes,
            self.area_names,
            self.maturities,
            self.price_bands,
            independent,
            emerging,
            statuses,
        ) = columns
        self.ids = np.array(ids, dtype=np.int64)
        self.credentials = credentials  # entry id → {kind: "level|year"}, only entries holding one
        held = (
            [sorted(credentials[pk].items()) if pk in credentials else "" for pk in ids]
            if credentials
            else [""] * len(ids)
        )
        # Of the raw columns and the credentials: whatever changes in them changes the digest.
        self.digests = digests([*columns, held]) if rows else np.zeros(0, dtype=np.int64)
        # Technology fields: each distinct list once (field_lists), and which one each row has.
        self.field_lists: list[list[str]] = []
        list_of_row = []
        parsed: dict = {}  # list number by JSON text (or, decoded by the driver, by tuple)
        for value in fields_json:
            key = value if isinstance(value, str) else tuple(value) if isinstance(value, list) else repr(value)
            number = parsed.get(key)
            if number is None:
                decoded = json.loads(value) if isinstance(value, str) else value
                number = parsed[key] = len(self.field_lists)
                self.field_lists.append([str(item) for item in decoded] if isinstance(decoded, list) else [])
            list_of_row.append(number)
        self.field_list_of = np.array(list_of_row, dtype=np.int64)
        self.innovation = [bool(a or b) for a, b in zip(independent, emerging)]
        listed = EntryStatus.LISTED.value
        self.listed = [status == listed for status in statuses]
        self._built: dict[int, EntryDoc] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, row: int) -> EntryDoc:
        if row < 0:
            row += len(self.ids)
        doc = self._built.get(row)
        if doc is None:
            if not 0 <= row < len(self.ids):
                raise IndexError(row)
            primary, rest = self.text(row)
            doc = self._built[row] = EntryDoc(
                id=int(self.ids[row]),
                name=self.names[row],
                primary=primary,
                rest=rest,
                company_id=self.company_ids[row],
                company_name=self.company_names[row],
                district_id=self.districts[row],
                area_code=self.area_codes[row] or "",
                area_name=self.area_names[row] or "",
                fields=self.fields(row),
                maturity=self.maturities[row] or "",
                price_band=self.price_bands[row] or "",
                credentials=self.credentials.get(int(self.ids[row])) or {},
                innovation=self.innovation[row],
                is_listed=self.listed[row],
                digest=int(self.digests[row]),
            )
        return doc

    def text(self, row: int) -> tuple[str, str]:
        """(primary, rest) of row: the name and the technology fields, then the description and
        the cases ("" once the texts are dropped)."""
        if self._descriptions is None:
            return "", ""
        return " ".join(
            [self.names[row], *self.fields(row)]
        ), f"{self._descriptions[row] or ''} {self._cases[row] or ''}"

    def fields(self, row: int) -> list[str]:
        """The technology fields of row (one list object per distinct list)."""
        return self.field_lists[self.field_list_of[row]]

    @property
    def texts(self) -> "Sequence[tuple[str, str]]":
        return _Texts(self)

    def drop_texts(self) -> None:
        """Forget the long texts (tokenised already): the model file keeps features, not texts."""
        self._descriptions = self._cases = None
        self._built.clear()

    def __getstate__(self):
        return {**self.__dict__, "_built": {}}


class _Texts(Sequence):
    def __init__(self, docs: EntryDocs):
        self.docs = docs

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, row: int) -> tuple[str, str]:
        return self.docs.text(row)


def entry_docs(queryset=None) -> EntryDocs:
    from capability_list.models import CapabilityEntry, Credential

    queryset = (
        queryset if queryset is not None else CapabilityEntry.objects.filter(status=EntryStatus.LISTED)
    ).order_by()
    rows = sorted(_raw_rows(queryset.values_list(*ENTRY_COLUMNS)))
    credentials: dict[int, dict] = {}
    for entry_id, kind, level, year in _raw_rows(
        Credential.objects.filter(entry__in=queryset.values("pk")).values_list("entry_id", "kind", "level", "year")
    ):
        credentials.setdefault(entry_id, {})[kind] = f"{level}|{year}"
    return EntryDocs(rows, credentials)
