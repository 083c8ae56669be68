"""The 复议 thresholds and the aggregation's edges, each pinned on both sides (contests.ranking, no
database). `make mutate` measures that breaking any of these rules fails a test here."""

from decimal import Decimal

from contests.ranking import PARAMETERS, _far_from_others, compute_ranking, inputs_sha256, trimmed_mean
from tests.contests.test_ranking import _inputs, _row


def _totals(*totals):
    """One entry whose judges' totals are the given numbers (all in the business criterion)."""
    return _inputs({1: [(0, 0, total) for total in totals]})


def _flags(*totals):
    return _row(compute_ranking(_totals(*totals)), 1)["diagnostics"]


def test_spread_of_exactly_25_points_is_not_flagged_and_25_5_is():
    """Rule: 复议 for a spread over SPREAD_LIMIT (25) points — over, not at."""
    assert "spread" not in _flags(10, 20, 30, 35)["flags"]
    assert _flags(10, 20, 30, 35)["spread"] == "25.00"
    assert "spread" in _flags(10, 20, 30, 35.5)["flags"]


def test_a_judge_exactly_two_floor_deviations_away_is_not_an_outlier_and_just_beyond_is():
    """Rule: an outlier is more than OUTLIER_SD (2) standard deviations of the others, the deviation
    taken at least SD_FLOOR (3): with identical others the limit is 2 × 3 = 6 points."""
    assert _flags(30, 30, 30, 36)["outlier_judges"] == []
    assert _flags(30, 30, 30, 36.5)["outlier_judges"] == [4]
    assert _flags(30, 30, 30, 23.5)["outlier_judges"] == [4]  # below the mean counts the same


def test_the_others_own_deviation_counts_when_above_the_floor():
    """Rule: the deviation is the others' sample standard deviation when it exceeds SD_FLOOR: others
    20, 30, 40 (mean 30, sd 10) put the limit at 20 points, so 49 is not an outlier and 51 is."""
    assert _far_from_others(Decimal("49"), [Decimal(20), Decimal(30), Decimal(40)]) is False
    assert _far_from_others(Decimal("51"), [Decimal(20), Decimal(30), Decimal(40)]) is True
    assert _far_from_others(Decimal("9"), [Decimal(20), Decimal(30), Decimal(40)]) is True
    assert _far_from_others(Decimal("11"), [Decimal(20), Decimal(30), Decimal(40)]) is False


def test_a_two_judge_panel_never_flags_an_outlier():
    """Rule: with fewer than two other judges there is no deviation to measure: no outlier."""
    assert _far_from_others(Decimal("100"), [Decimal("0")]) is False
    assert _flags(0, 24)["outlier_judges"] == []
    assert _far_from_others(Decimal("100"), [Decimal("0"), Decimal("0")]) is True


def test_five_judges_are_trimmed_and_four_are_not():
    """Rule: TRIM_FROM = 5 judges or more drop one highest and one lowest."""
    assert trimmed_mean([Decimal(v) for v in ["0", "10", "20", "30"]]) == Decimal("15.00")
    assert trimmed_mean([Decimal(v) for v in ["0", "10", "20", "30", "100"]]) == Decimal("20.00")


def test_diagnostics_of_a_single_judge_and_the_mean_and_median():
    """Rule: mean, median, spread and sample deviation of the totals; one judge has deviation 0."""
    single = _flags(42)
    assert single["stdev"] == "0.00" and single["spread"] == "0.00" and single["mean"] == "42.00"
    two = _flags(10, 15)
    assert two["mean"] == "12.50" and two["median"] == "12.50" and two["stdev"] == "3.54"


def test_the_snapshot_parameters_name_the_rules_in_force():
    """Rule: a snapshot records the parameters it was computed with (shown to the panel)."""
    assert PARAMETERS == {
        "trim_from_judges": 5,
        "trim_each_side": 1,
        "decimals": 2,
        "rounding": "ROUND_HALF_UP",
        "spread_limit": "25",
        "outlier_sd": "2",
        "sd_floor": "3",
        "tie_break": ["score", "technical", "首创性", "decision"],
    }


def test_an_entry_without_any_expected_judge_is_not_complete():
    """Rule: complete = at least one expected judge and every expected judge's sheet in."""
    inputs = _inputs({1: [(10, 10, 10)]}, expected=[])
    inputs["entries"][0]["expected_judges"] = []
    row = _row(compute_ranking(inputs), 1)
    assert row["complete"] is False and row["rank"] is None


def test_an_extra_sheet_beyond_the_expected_judges_still_counts_the_entry_complete():
    """Rule: complete when the expected judges are a subset of those who scored."""
    inputs = _inputs({1: [(10, 10, 10), (12, 12, 12)]}, expected=[1])
    assert _row(compute_ranking(inputs), 1)["complete"] is True


def test_subtotals_and_originality_are_reported_per_entry():
    """Rule: 技术 and 商务 subtotals and 首创性 are trimmed means of each judge's part."""
    row = _row(compute_ranking(_inputs({1: [(10, 20, 30), (20, 10, 40)]})), 1)
    assert (row["score"], row["technical"], row["business"], row["originality"]) == ("65.00", "30.00", "35.00", "15.00")


def test_ties_broken_by_technical_and_originality_say_so():
    """Rule: the order is score, then 技术 subtotal, then 首创性; the row says which step decided."""
    sheets = {1: [(10, 20, 30)], 2: [(10, 25, 25)], 3: [(15, 20, 25)]}
    result = compute_ranking(_inputs(sheets))
    ranks = {row["entry"]: (row["rank"], row["tie_break"]) for row in result["entries"]}
    # all score 60; entry 2 and 3 have 技术 35, entry 1 has 30; 3 has more 首创性 than 2.
    assert ranks == {3: (1, ""), 2: (2, "originality"), 1: (3, "technical")}


def test_a_decision_that_names_only_some_of_the_tied_leaves_them_tied():
    """Rule: a tie decision orders a group only when it names every entry of the group."""
    sheets = {1: [(10, 10, 10)], 2: [(10, 10, 10)], 3: [(10, 10, 10)]}
    partial = compute_ranking(_inputs(sheets, decisions=[{"id": 1, "order": [2, 1]}]))
    assert {row["rank"] for row in partial["entries"]} == {1}
    assert {row["tie_break"] for row in partial["entries"]} == {"unresolved"}
    full = compute_ranking(_inputs(sheets, decisions=[{"id": 1, "order": [3, 1, 2]}]))
    assert [(row["entry"], row["rank"]) for row in full["entries"]] == [(3, 1), (1, 2), (2, 3)]


def test_judge_leniency_flag_needs_a_far_judge_and_leniency_is_the_mean_deviation():
    """Rule: leniency = mean of (judge total − entry score); flagged by the outlier rule."""
    sheets = {1: [(10, 10, 10), (10, 10, 10), (10, 10, 10), (10, 10, 16)]}
    judges = {row["judge"]: row for row in compute_ranking(_inputs(sheets))["judges"]}
    # score 31.5; judge 4: 36 − 31.5 = 4.5; others −1.5 (sd 0 → floor 3: limit 6): not flagged
    assert judges[4]["leniency"] == "4.50" and judges[4]["flag"] is False
    assert judges[1]["leniency"] == "-1.50" and judges[4]["entries"] == 1


def test_the_inputs_fingerprint_ignores_key_order_and_sees_any_value():
    """Rule: a snapshot's fingerprint is the SHA-256 of its canonical inputs."""
    assert inputs_sha256({"a": 1, "b": [2]}) == inputs_sha256({"b": [2], "a": 1})
    assert inputs_sha256({"a": 1}) != inputs_sha256({"a": 2})
    assert len(inputs_sha256({})) == 64


def test_the_fingerprint_of_stored_inputs_never_changes():
    """Rule: snapshots stored earlier keep verifying: the canonical JSON (UTF-8, not escaped) of a
    given input always hashes to the same digest."""
    assert inputs_sha256({"entries": [{"title": "方案"}], "n": 1}) == (
        "b24509d9916dfd34773c7af7e82b56262ca0a97d1a8ce3ad7c5fb0afda79fc44"
    )


def test_a_rubric_without_originality_still_ranks_ties():
    """Rule: without a 首创性 criterion the third tie-break step has nothing to compare, and ranks stand."""
    inputs = _inputs({1: [(10, 10, 10)], 2: [(10, 10, 10)]})
    inputs["criteria"] = [
        {**criterion, "name": "创新性"} if criterion["id"] == 1 else criterion for criterion in inputs["criteria"]
    ]
    result = compute_ranking(inputs)
    assert {row["rank"] for row in result["entries"]} == {1}
    assert all(row["originality"] is None for row in result["entries"])


def test_a_sheet_without_the_originality_criterion_counts_zero_for_it():
    """Rule: a judge's 首创性 is 0 where the sheet has no such line."""
    inputs = _inputs({1: [(10, 10, 10), (20, 10, 10)]})
    del inputs["sheets"][0]["points"]["1"]
    assert _row(compute_ranking(inputs), 1)["originality"] == "10.00"  # (0 + 20) / 2
