"""The aggregation of roadshow scores (DESIGN.md § Contests), as a pure function of its inputs.

    judge total     = sum of the judge's criterion points
    entry score     = trimmed mean of the judges' totals: with TRIM_FROM or more judges drop
                      one highest and one lowest, with fewer take the plain mean;
                      Decimal, 2 places, rounded half-up (only at the end)
    技术 / 商务      = the same, over each judge's subtotal for that dimension
    order           = score, then 技术 subtotal, then 首创性, then a recorded TieDecision;
                      entries still tied share a rank (never broken by id)
    diagnostics     = mean, median, spread (max − min), sample standard deviation of the totals;
                      复议 flags for a spread over SPREAD_LIMIT points, or a judge whose total is
                      more than OUTLIER_SD standard deviations (of the other judges, at least
                      SD_FLOOR) from the other judges' mean
    judge leniency  = mean of (judge total − entry score) over the entries the judge scored,
                      flagged the same way against the other judges' leniencies

compute_ranking(inputs) never touches the database, so a snapshot's stored inputs reproduce its
results exactly (contests.selectors.snapshot_verify).
"""

import hashlib
import json
import statistics
from decimal import ROUND_HALF_UP, Decimal

METHOD = "trimmed_mean"
TRIM_FROM = 5
SPREAD_LIMIT = Decimal("25")
OUTLIER_SD = Decimal("2")
SD_FLOOR = Decimal("3")
ORIGINALITY = "首创性"
TWO_PLACES = Decimal("0.01")

PARAMETERS = {
    "trim_from_judges": TRIM_FROM,
    "trim_each_side": 1,
    "decimals": 2,
    "rounding": "ROUND_HALF_UP",
    "spread_limit": str(SPREAD_LIMIT),
    "outlier_sd": str(OUTLIER_SD),
    "sd_floor": str(SD_FLOOR),
    "tie_break": ["score", "technical", ORIGINALITY, "decision"],
}


def round_half_up(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def trimmed_mean(values: list[Decimal]) -> Decimal | None:
    """Exact until the final rounding: 5 or more values lose one highest and one lowest."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return round_half_up(sum(ordered, Decimal(0)) / len(ordered))


def _far_from_others(value: Decimal, others: list[Decimal]) -> bool:
    if len(others) < 2:
        return False
    spread = max(Decimal(str(statistics.stdev(others))), SD_FLOOR)
    return abs(value - Decimal(sum(others)) / len(others)) > OUTLIER_SD * spread


def _diagnostics(totals: dict[int, Decimal]) -> dict:
    values = list(totals.values())
    spread = max(values) - min(values)
    outliers = [
        judge
        for judge, total in totals.items()
        if _far_from_others(total, [v for j, v in totals.items() if j != judge])
    ]
    flags = []
    if spread > SPREAD_LIMIT:
        flags.append("spread")
    if outliers:
        flags.append("outlier")
    return {
        "mean": str(round_half_up(Decimal(sum(values)) / len(values))),
        "median": str(round_half_up(Decimal(statistics.median(values)))),
        "spread": str(round_half_up(spread)),
        "stdev": str(round_half_up(Decimal(str(statistics.stdev(values))))) if len(values) >= 2 else "0.00",
        "outlier_judges": sorted(outliers),
        "flags": flags,
    }


def _tie_key(row: dict):
    return (Decimal(row["score"]), Decimal(row["technical"]), Decimal(row["originality"] or 0))


def _order_tied(group: list[dict], decisions: list[dict]) -> list[list[dict]]:
    """Order a group tied on every measured step by the latest decision naming all of them;
    without one, they stay one shared place."""
    ids = {row["entry"] for row in group}
    for decision in reversed(decisions):
        if ids <= set(decision["order"]):
            position = {entry: index for index, entry in enumerate(decision["order"])}
            for row in group:
                row["tie_break"] = "decision"
            return [[row] for row in sorted(group, key=lambda row: position[row["entry"]])]
    for row in group:
        row["tie_break"] = "unresolved"
    return [sorted(group, key=lambda row: row["title"])]


def compute_ranking(inputs: dict) -> dict:
    """inputs: {"criteria": [{id, name, dimension, max_points}], "entries": [{id, title, lead,
    expected_judges}], "sheets": [{entry, judge, points: {criterion id: "12.5"}}],
    "tie_decisions": [{id, order}]} → {"entries": [...], "judges": [...]}."""
    criteria = {str(criterion["id"]): criterion for criterion in inputs["criteria"]}
    originality = next((key for key, criterion in criteria.items() if criterion["name"] == ORIGINALITY), None)
    sheets_by_entry: dict[int, dict[int, dict]] = {}
    for sheet in inputs["sheets"]:
        sheets_by_entry.setdefault(sheet["entry"], {})[sheet["judge"]] = sheet

    rows, complete_rows = [], []
    deviations: dict[int, list[Decimal]] = {}
    for entry in inputs["entries"]:
        sheets = sheets_by_entry.get(entry["id"], {})
        expected = set(entry["expected_judges"])
        complete = bool(expected) and expected <= set(sheets)
        row = {
            "entry": entry["id"],
            "title": entry["title"],
            "lead": entry["lead"],
            "judges": len(sheets),
            "expected": len(expected),
            "complete": complete,
            "rank": None,
            "score": None,
            "technical": None,
            "business": None,
            "originality": None,
            "tie_break": "",
            "diagnostics": None,
        }
        rows.append(row)
        if not complete:
            continue
        totals, technical, business, original = {}, [], [], []
        for judge, sheet in sheets.items():
            points = {key: Decimal(value) for key, value in sheet["points"].items()}
            totals[judge] = sum(points.values(), Decimal(0))
            technical.append(
                sum((value for key, value in points.items() if criteria[key]["dimension"] == "technical"), Decimal(0))
            )
            business.append(
                sum((value for key, value in points.items() if criteria[key]["dimension"] == "business"), Decimal(0))
            )
            if originality:
                original.append(points.get(originality, Decimal(0)))
        row.update(
            score=str(trimmed_mean(list(totals.values()))),
            technical=str(trimmed_mean(technical)),
            business=str(trimmed_mean(business)),
            originality=str(trimmed_mean(original)) if original else None,
            diagnostics=_diagnostics(totals),
        )
        for judge, total in totals.items():
            deviations.setdefault(judge, []).append(total - Decimal(row["score"]))
        complete_rows.append(row)

    # Rank: sort by the measured keys, then walk the groups that tie on all of them.
    complete_rows.sort(key=_tie_key, reverse=True)
    places: list[list[dict]] = []
    index = 0
    while index < len(complete_rows):
        group = [complete_rows[index]]
        while index + len(group) < len(complete_rows) and _tie_key(complete_rows[index + len(group)]) == _tie_key(
            group[0]
        ):
            group.append(complete_rows[index + len(group)])
        places.extend(_order_tied(group, inputs.get("tie_decisions", [])) if len(group) > 1 else [group])
        index += len(group)
    rank = 1
    previous = None
    for place in places:
        for row in place:
            row["rank"] = rank
            if not row["tie_break"] and previous is not None and Decimal(previous["score"]) == Decimal(row["score"]):
                row["tie_break"] = (
                    "technical" if Decimal(previous["technical"]) != Decimal(row["technical"]) else "originality"
                )
        previous = place[-1]
        rank += len(place)

    leniency = {judge: Decimal(sum(values)) / len(values) for judge, values in deviations.items()}
    judges = [
        {
            "judge": judge,
            "entries": len(deviations[judge]),
            "leniency": str(round_half_up(value)),
            "flag": _far_from_others(value, [v for j, v in leniency.items() if j != judge]),
        }
        for judge, value in sorted(leniency.items())
    ]
    ranked = sorted((row for row in rows if row["rank"] is not None), key=lambda row: (row["rank"], row["title"]))
    unranked = sorted((row for row in rows if row["rank"] is None), key=lambda row: row["title"])
    return {"entries": ranked + unranked, "judges": judges}


def inputs_sha256(inputs: dict) -> str:
    """The fingerprint kept with a snapshot's inputs (canonical JSON, so key order does not matter)."""
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
