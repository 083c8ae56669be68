"""A subject's evaluation result (DESIGN.md § Evaluation and dashboards), as a pure function of its inputs.

    leaf points     = expert-scored leaf: the experts' points aggregated by contests.ranking.trimmed_mean
                      (the contest ranking's own function: with 5 or more experts drop one highest and
                      one lowest, else the plain mean; Decimal, 2 places, half-up);
                      computed or imported leaf: the confirmed figure's points
    spread          = max − min of the experts' points; a spread over consensus_spread × max_points
                      needs 合议 (consensus), and a recorded decision overrides the aggregate and the
                      red-line flag of that leaf
    absolute weight = weight × parent's absolute weight / 100 (a first-tier indicator's is its weight)
    leaf share      = leaf points / max_points × absolute weight (exact, not rounded)
    dimension score = sum of the shares of the first-tier indicator's leaves
    total           = sum of every leaf's share, rounded half-up to 2 places only at the end
                      (dimension scores are shown rounded the same way, from the exact sums)
    red line        = a red-line leaf is hit when more than half of the submitted sheets mark it (or
                      its consensus decision says so); any hit caps the grade at the lowest band
    grade           = the band with the highest min_total not above the total

compute_result(inputs) never touches the database, so a SubjectResult's stored inputs reproduce its
results exactly.
"""

from decimal import ROUND_HALF_UP, Decimal

from contests.ranking import inputs_sha256, trimmed_mean

__all__ = ["METHOD", "compute_result", "inputs_sha256", "round_half_up"]

METHOD = "trimmed_mean"
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
EXPERT = "expert"


def round_half_up(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _absolute_weights(indicators: list[dict]) -> dict[int, Decimal]:
    by_id = {item["id"]: item for item in indicators}
    weights: dict[int, Decimal] = {}

    def weight_of(item_id: int) -> Decimal:
        if item_id not in weights:
            item = by_id[item_id]
            own = Decimal(item["weight"])
            weights[item_id] = own if item["parent"] is None else own * weight_of(item["parent"]) / HUNDRED
        return weights[item_id]

    for item in indicators:
        weight_of(item["id"])
    return weights


def _dimension_of(indicators: list[dict]) -> dict[int, int]:
    by_id = {item["id"]: item for item in indicators}
    dimension = {}
    for item in indicators:
        node = item
        while node["parent"] is not None:
            node = by_id[node["parent"]]
        dimension[item["id"]] = node["id"]
    return dimension


def grade_for(total: Decimal | None, bands: list[dict], red_line_hit: bool) -> str:
    """The band of a total; the lowest band when a red line is hit; "" without a total or bands."""
    if total is None or not bands:
        return ""
    if red_line_hit:
        lowest = [band for band in bands if band.get("is_lowest")] or [
            min(bands, key=lambda b: Decimal(b["min_total"]))
        ]
        return lowest[0]["name"]
    for band in sorted(bands, key=lambda band: Decimal(band["min_total"]), reverse=True):
        if total >= Decimal(band["min_total"]):
            return band["name"]
    return min(bands, key=lambda band: Decimal(band["min_total"]))["name"]


def compute_result(inputs: dict) -> dict:
    """inputs: {"indicators": [{id, code, name, parent, tier, weight, method, max_points, is_red_line}],
    "bands": [{name, min_total, is_lowest}], "consensus_spread": "0.40", "expected_experts": [user ids],
    "sheets": [{expert, points: {indicator id: "7.5"}, red_line: [indicator ids]}],
    "figures": {indicator id: "8.0"}, "consensus": {indicator id: {points, red_line_hit}}}
    → {"complete", "expected", "submitted", "total", "grade", "red_line_hit", "red_line_hits",
       "pending_consensus", "dimensions": [...], "leaves": [...]}.
    Decimals travel as strings; indicator ids as JSON object keys are strings."""
    indicators = inputs["indicators"]
    parents = {item["parent"] for item in indicators if item["parent"] is not None}
    leaves = [item for item in indicators if item["id"] not in parents]
    weights = _absolute_weights(indicators)
    dimension_of = _dimension_of(indicators)
    threshold = Decimal(inputs["consensus_spread"])
    sheets = inputs["sheets"]
    figures = inputs.get("figures", {})
    consensus = inputs.get("consensus", {})
    expected = set(inputs["expected_experts"])
    submitted = {sheet["expert"] for sheet in sheets}

    shares: dict[int, Decimal] = {}
    leaf_rows, pending, hits = [], [], []
    missing_points = False
    for leaf in leaves:
        key = str(leaf["id"])
        max_points = Decimal(leaf["max_points"])
        values = [Decimal(sheet["points"][key]) for sheet in sheets if key in sheet["points"]]
        marks = sum(1 for sheet in sheets if leaf["id"] in sheet.get("red_line", []))
        spread = (max(values) - min(values)) if values else Decimal(0)
        mean = round_half_up(sum(values, Decimal(0)) / len(values)) if values else None
        is_expert = leaf["method"] == EXPERT
        if not is_expert and key in figures:
            aggregate, source = Decimal(figures[key]), "figure"
        else:
            aggregate, source = trimmed_mean(values), METHOD
        needs_consensus = is_expert and len(values) > 1 and spread > threshold * max_points
        red_line_hit = bool(leaf["is_red_line"]) and marks * 2 > len(sheets)
        decision = consensus.get(key)
        points = aggregate
        if decision is not None:
            points, source = Decimal(decision["points"]), "consensus"
            red_line_hit = bool(leaf["is_red_line"]) and bool(decision["red_line_hit"])
        elif needs_consensus:
            pending.append(leaf["id"])
        if red_line_hit:
            hits.append(leaf["id"])
        if points is None:
            missing_points = True
        else:
            shares[leaf["id"]] = points / max_points * weights[leaf["id"]]
        leaf_rows.append(
            {
                "id": leaf["id"],
                "code": leaf["code"],
                "name": leaf["name"],
                "dimension": dimension_of[leaf["id"]],
                "method": leaf["method"],
                "max_points": str(max_points),
                "absolute_weight": str(round_half_up(weights[leaf["id"]])),
                "experts": len(values),
                "mean": str(mean) if mean is not None else None,
                "aggregate": str(aggregate) if aggregate is not None else None,
                "spread": str(spread),
                "points": str(points) if points is not None else None,
                "share": str(round_half_up(shares[leaf["id"]])) if leaf["id"] in shares else None,
                "source": source,
                "needs_consensus": needs_consensus,
                "consensus": decision is not None,
                "is_red_line": bool(leaf["is_red_line"]),
                "red_line_marks": marks,
                "red_line_hit": red_line_hit,
            }
        )

    dimensions = []
    for item in (item for item in indicators if item["parent"] is None):
        exact = sum((share for leaf_id, share in shares.items() if dimension_of[leaf_id] == item["id"]), Decimal(0))
        weight = Decimal(item["weight"])
        dimensions.append(
            {
                "id": item["id"],
                "code": item["code"],
                "name": item["name"],
                "weight": str(weight),
                "score": str(round_half_up(exact)),
                "percent": str(round_half_up(exact / weight * HUNDRED)),
            }
        )
    total = None if missing_points or not leaves else round_half_up(sum(shares.values(), Decimal(0)))
    return {
        "complete": bool(expected) and expected <= submitted,
        "expected": len(expected),
        "submitted": len(submitted & expected) if expected else len(submitted),
        "total": str(total) if total is not None else None,
        "grade": grade_for(total, inputs.get("bands", []), bool(hits)),
        "red_line_hit": bool(hits),
        "red_line_hits": hits,
        "pending_consensus": pending,
        "dimensions": dimensions,
        "leaves": leaf_rows,
    }
