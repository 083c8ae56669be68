"""The aggregation rules with hand-computed results (contests.ranking, no database)."""

from decimal import Decimal

from contests.ranking import compute_ranking, round_half_up, trimmed_mean

# A two-line rubric keeps the arithmetic checkable by hand: 首创性 (技术, 50) and 商务 (50).
CRITERIA = [
    {"id": 1, "name": "首创性", "dimension": "technical", "max_points": 30},
    {"id": 2, "name": "先进性", "dimension": "technical", "max_points": 30},
    {"id": 3, "name": "预期成效", "dimension": "business", "max_points": 40},
]


def _inputs(sheets_by_entry: dict, decisions=None, expected=None):
    """sheets_by_entry: {entry id: [(originality, advanced, business) per judge]}."""
    entries, sheets = [], []
    for entry_id, judges in sheets_by_entry.items():
        judge_ids = list(range(1, len(judges) + 1))
        entries.append(
            {
                "id": entry_id,
                "title": f"方案{entry_id}",
                "lead": f"企业{entry_id}",
                "expected_judges": expected or judge_ids,
            }
        )
        for judge_id, (originality, advanced, business) in zip(judge_ids, judges):
            sheets.append(
                {
                    "entry": entry_id,
                    "judge": judge_id,
                    "points": {"1": str(originality), "2": str(advanced), "3": str(business)},
                }
            )
    return {"criteria": CRITERIA, "entries": entries, "sheets": sheets, "tie_decisions": decisions or []}


def _row(result, entry_id):
    return next(row for row in result["entries"] if row["entry"] == entry_id)


def test_five_judges_drop_one_highest_and_one_lowest():
    assert trimmed_mean([Decimal(v) for v in ["70", "80", "85", "90", "99"]]) == Decimal("85.00")
    # 6 judges: still one from each end. (80 + 81 + 82 + 90) / 4 = 83.25
    assert trimmed_mean([Decimal(v) for v in ["10", "80", "81", "82", "90", "100"]]) == Decimal("83.25")


def test_fewer_than_five_judges_take_the_plain_mean():
    assert trimmed_mean([Decimal(v) for v in ["70", "80", "85", "91"]]) == Decimal("81.50")
    assert trimmed_mean([Decimal("77.5")]) == Decimal("77.50")
    assert trimmed_mean([]) is None


def test_rounding_is_half_up_at_the_end_not_bankers():
    # 80 + 80.5 + 81 + 81 = 322.5; / 4 = 80.625 → 80.63 (banker's rounding and float give 80.62)
    assert trimmed_mean([Decimal(v) for v in ["80", "80.5", "81", "81"]]) == Decimal("80.63")
    assert round(80.625, 2) == 80.62  # why Decimal: the float answer is different
    # (80 + 80 + 80.5) / 3 = 80.1666… → 80.17; intermediate values are never rounded
    assert trimmed_mean([Decimal(v) for v in ["0", "80", "80", "80.5", "100"]]) == Decimal("80.17")
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")


def test_subtotals_are_trimmed_mean_of_each_dimension_on_its_own():
    # Judge totals 60, 70, 80, 90, 100 (technical = originality + advanced; business separately)
    judges = [(10, 10, 40), (30, 30, 10), (25, 25, 30), (30, 30, 30), (30, 30, 40)]
    result = compute_ranking(_inputs({7: judges}))
    row = _row(result, 7)
    # totals 60, 70, 80, 90, 100 → drop 60 and 100 → 80.00
    assert row["score"] == "80.00"
    # technical 20, 60, 50, 60, 60 → drop 20 and one 60 → (50 + 60 + 60) / 3 = 56.67
    assert row["technical"] == "56.67"
    # business 40, 10, 30, 30, 40 → drop 10 and one 40 → (30 + 30 + 40) / 3 = 33.33
    assert row["business"] == "33.33"
    # 首创性 10, 30, 25, 30, 30 → (25 + 30 + 30) / 3 = 28.33
    assert row["originality"] == "28.33"
    assert row["rank"] == 1 and row["complete"] is True


def test_order_is_by_score_then_technical_then_originality_never_by_id():
    result = compute_ranking(
        _inputs(
            {
                1: [(20, 20, 40)] * 3,  # 80, technical 40
                2: [(25, 25, 30)] * 3,  # 80, technical 50 → above entry 1
                3: [(30, 20, 30)] * 3,  # 80, technical 50, 首创性 30 → above entry 2
                4: [(30, 30, 39)] * 3,  # 99 → first
            }
        )
    )
    order = [row["entry"] for row in result["entries"]]
    assert order == [4, 3, 2, 1]
    assert [row["rank"] for row in result["entries"]] == [1, 2, 3, 4]
    assert _row(result, 3)["tie_break"] == ""  # first of its score group
    assert _row(result, 2)["tie_break"] == "originality"  # same score and 技术 as 3: 首创性 decided
    assert _row(result, 1)["tie_break"] == "technical"


def test_a_full_tie_shares_the_rank_until_a_decision_orders_it():
    sheets = {5: [(20, 20, 40)] * 3, 6: [(20, 20, 40)] * 3, 9: [(10, 10, 10)] * 3}
    result = compute_ranking(_inputs(sheets))
    assert [(_row(result, e)["rank"], _row(result, e)["tie_break"]) for e in (5, 6, 9)] == [
        (1, "unresolved"),
        (1, "unresolved"),
        (3, ""),
    ]

    decided = compute_ranking(_inputs(sheets, decisions=[{"id": 1, "order": [6, 5]}]))
    assert [row["entry"] for row in decided["entries"]] == [6, 5, 9]
    assert [row["rank"] for row in decided["entries"]] == [1, 2, 3]
    assert _row(decided, 5)["tie_break"] == "decision"


def test_incomplete_entries_are_listed_unranked():
    inputs = _inputs({1: [(20, 20, 40)] * 2}, expected=[1, 2, 3])
    row = _row(compute_ranking(inputs), 1)
    assert row["complete"] is False and row["rank"] is None and row["score"] is None
    assert row["judges"] == 2 and row["expected"] == 3


def test_diagnostics_flag_a_wide_spread_and_a_judge_far_from_the_panel():
    # totals 70, 72, 74, 76, 40: spread 36 > 25; judge 5 is far from the others (mean 73, sd 2.58)
    judges = [(20, 20, 30), (21, 21, 30), (22, 22, 30), (23, 23, 30), (5, 5, 30)]
    row = _row(compute_ranking(_inputs({1: judges})), 1)
    diagnostics = row["diagnostics"]
    assert diagnostics["mean"] == "66.40" and diagnostics["median"] == "72.00" and diagnostics["spread"] == "36.00"
    assert diagnostics["stdev"] == "14.93"  # sample standard deviation of 70, 72, 74, 76, 40
    assert diagnostics["flags"] == ["spread", "outlier"] and diagnostics["outlier_judges"] == [5]

    calm = _row(
        compute_ranking(_inputs({1: [(20, 20, 30), (21, 21, 30), (22, 22, 30), (23, 23, 30), (19, 19, 30)]})), 1
    )
    assert calm["diagnostics"]["flags"] == []


def test_judge_leniency_is_measured_against_the_entry_scores():
    # Judge 5 gives 20 points less than the panel on both entries.
    sheets = {1: [(20, 20, 30)] * 4 + [(10, 10, 20)], 2: [(25, 25, 30)] * 4 + [(15, 15, 20)]}
    result = compute_ranking(_inputs(sheets))
    leniency = {row["judge"]: row for row in result["judges"]}
    assert leniency[5]["leniency"] == "-30.00" and leniency[5]["flag"] is True
    assert leniency[1]["leniency"] == "0.00" and leniency[1]["flag"] is False
