"""The evaluation's aggregation and grade rules at their boundaries (evaluation.scoring, pure; and
evaluation.services.frameworks.figure_points)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from evaluation.scoring import compute_result, grade_for
from evaluation.services.frameworks import figure_points

BANDS = [
    {"name": "优秀", "min_total": "90", "is_lowest": False},
    {"name": "良好", "min_total": "75", "is_lowest": False},
    {"name": "合格", "min_total": "60", "is_lowest": False},
    {"name": "不合格", "min_total": "0", "is_lowest": True},
]


@pytest.mark.parametrize(
    "total, grade",
    [("90", "优秀"), ("89.99", "良好"), ("75", "良好"), ("74.99", "合格"), ("60", "合格"), ("59.99", "不合格")],
)
def test_a_total_at_a_bands_minimum_takes_that_band(total, grade):
    """Rule: the band with the highest min_total not above the total."""
    assert grade_for(Decimal(total), BANDS, red_line_hit=False) == grade


def test_a_red_line_caps_the_grade_at_the_lowest_band():
    """Rule: any red line hit gives the lowest band (the one marked, else the lowest minimum)."""
    assert grade_for(Decimal("99"), BANDS, red_line_hit=True) == "不合格"
    unmarked = [{**band, "is_lowest": False} for band in BANDS]
    assert grade_for(Decimal("99"), unmarked, red_line_hit=True) == "不合格"


def test_no_grade_without_a_total_or_bands_and_the_lowest_below_every_minimum():
    """Rule: "" without a total or bands; a total under every minimum takes the lowest band."""
    assert grade_for(None, BANDS, red_line_hit=False) == ""
    assert grade_for(Decimal("50"), [], red_line_hit=False) == ""
    above_zero = [{"name": "合格", "min_total": "60"}, {"name": "不合格", "min_total": "30"}]
    assert grade_for(Decimal("10"), above_zero, red_line_hit=False) == "不合格"


def _inputs(
    points_by_expert, *, max_points="10", weight="100", red_line=False, marks=(), consensus=None, method="expert"
):
    """One dimension (id 1, weight `weight`) with one leaf (id 2, weight 100 of it)."""
    sheets = [
        {"expert": expert, "points": {"2": str(points)}, "red_line": [2] if expert in marks else []}
        for expert, points in points_by_expert.items()
    ]
    return {
        "indicators": [
            {
                "id": 1,
                "code": "A",
                "name": "维度",
                "parent": None,
                "tier": 1,
                "weight": weight,
                "method": "",
                "max_points": "0",
                "is_red_line": False,
            },
            {
                "id": 2,
                "code": "A1",
                "name": "指标",
                "parent": 1,
                "tier": 2,
                "weight": "100",
                "method": method,
                "max_points": max_points,
                "is_red_line": red_line,
            },
        ],
        "bands": BANDS,
        "consensus_spread": "0.40",
        "expected_experts": list(points_by_expert),
        "sheets": sheets,
        "consensus": consensus or {},
    }


def test_a_spread_of_exactly_the_consensus_threshold_needs_no_consensus_and_more_does():
    """Rule: a spread over consensus_spread × max_points (0.40 × 10 = 4) needs 合议."""
    assert compute_result(_inputs({1: 5, 2: 9}))["pending_consensus"] == []
    assert compute_result(_inputs({1: 5, 2: 9.5}))["pending_consensus"] == [2]
    assert compute_result(_inputs({1: 9.5}))["pending_consensus"] == []  # one expert: nothing to agree


def test_a_red_line_marked_by_exactly_half_the_sheets_is_not_hit_and_by_more_is():
    """Rule: a red-line leaf is hit when more than half of the submitted sheets mark it."""
    half = compute_result(_inputs({1: 9, 2: 9}, red_line=True, marks=[1]))
    assert half["red_line_hit"] is False and half["grade"] == "优秀"
    more = compute_result(_inputs({1: 9, 2: 9, 3: 9}, red_line=True, marks=[1, 2]))
    assert more["red_line_hit"] is True and more["red_line_hits"] == [2] and more["grade"] == "不合格"
    not_a_red_line = compute_result(_inputs({1: 9, 2: 9, 3: 9}, marks=[1, 2]))
    assert not_a_red_line["red_line_hit"] is False


def test_a_consensus_decision_overrides_the_points_and_the_red_line():
    """Rule: a recorded decision replaces the aggregate and the red-line verdict of its leaf."""
    result = compute_result(
        _inputs({1: 2, 2: 9}, red_line=True, marks=[1, 2], consensus={"2": {"points": "6", "red_line_hit": False}})
    )
    leaf = result["leaves"][0]
    assert leaf["points"] == "6" and leaf["source"] == "consensus" and leaf["consensus"] is True
    assert result["red_line_hit"] is False and result["pending_consensus"] == [] and result["total"] == "60.00"


def test_shares_weights_and_the_total_are_exact_until_the_end():
    """Rule: share = points / max × absolute weight; total rounded half-up at the end only."""
    result = compute_result(_inputs({1: 7, 2: 8}, weight="100"))
    assert result["total"] == "75.00" and result["grade"] == "良好"
    dimension = result["dimensions"][0]
    assert dimension["score"] == "75.00" and dimension["percent"] == "75.00"
    thirds = compute_result(_inputs({1: 1}, max_points="3", weight="100"))
    assert thirds["total"] == "33.33"  # 1 / 3 × 100, rounded once
    half = compute_result(_inputs({1: 1}, max_points="8", weight="100"))
    assert half["total"] == "12.50"


def test_a_nested_weight_is_the_product_of_its_parents():
    """Rule: absolute weight = weight × parent's absolute weight / 100."""
    inputs = _inputs({1: 10}, weight="40")
    inputs["indicators"][1]["weight"] = "50"
    leaf = compute_result(inputs)["leaves"][0]
    assert leaf["absolute_weight"] == "20.00" and leaf["share"] == "20.00"


def test_completeness_counts_only_the_expected_experts():
    """Rule: complete when every expected expert submitted; an unexpected sheet is not counted."""
    inputs = _inputs({1: 5, 2: 6})
    inputs["expected_experts"] = [1, 3]
    result = compute_result(inputs)
    assert result["complete"] is False and result["expected"] == 2 and result["submitted"] == 1
    inputs["expected_experts"] = []
    assert compute_result(inputs)["complete"] is False


def test_a_leaf_without_points_leaves_no_total():
    """Rule: no total (and no grade) while a leaf has no points."""
    result = compute_result(_inputs({}))
    assert result["total"] is None and result["grade"] == ""


def test_a_computed_leaf_takes_its_confirmed_figure():
    """Rule: a computed or imported leaf's points are its confirmed figure, not experts' points."""
    inputs = _inputs({1: 2}, method="computed")
    inputs["figures"] = {"2": "8.0"}
    leaf = compute_result(inputs)["leaves"][0]
    assert leaf["points"] == "8.0" and leaf["source"] == "figure" and leaf["needs_consensus"] is False


@pytest.mark.parametrize(
    "value, better, points",
    [
        ("5", "higher", "5.0"),
        ("10", "higher", "10.0"),
        ("20", "higher", "10.0"),
        ("-1", "higher", "0.0"),
        ("2.5", "lower", "7.5"),
        ("10", "lower", "0.0"),
        ("0.25", "higher", "0.3"),
    ],
)
def test_a_figure_becomes_points_against_its_target(value, better, points):
    """Rule: min(value / target, 1) × max (less is better: 1 − that), half-up to 0.1."""
    indicator = SimpleNamespace(target=Decimal("10"), max_points=Decimal("10"))
    assert figure_points(indicator, Decimal(value), better=better) == Decimal(points)


def test_a_figure_without_a_positive_target_scores_nothing():
    """Rule: no target (or 0) gives 0 points."""
    assert figure_points(SimpleNamespace(target=Decimal("0"), max_points=10), Decimal("5")) == Decimal("0.0")
    assert figure_points(SimpleNamespace(target=None, max_points=10), Decimal("5")) == Decimal("0.0")


def test_the_marked_lowest_band_wins_over_the_smallest_minimum():
    """Rule: under a red line, the band marked lowest, even when another has a smaller minimum."""
    bands = [
        {"name": "合格", "min_total": "0", "is_lowest": False},
        {"name": "待改进", "min_total": "10", "is_lowest": True},
    ]
    assert grade_for(Decimal("99"), bands, red_line_hit=True) == "待改进"


def test_a_child_listed_before_its_parent_still_takes_the_parents_weight():
    """Rule: absolute weights follow the tree, whatever the order the indicators are listed in."""
    inputs = _inputs({1: 10}, weight="40")
    inputs["indicators"][1]["weight"] = "50"
    inputs["indicators"].reverse()
    assert compute_result(inputs)["leaves"][0]["absolute_weight"] == "20.00"


def test_the_leaf_mean_is_the_plain_mean_of_the_experts():
    """Rule: a leaf shows the plain mean of its experts' points beside the aggregate."""
    leaf = compute_result(_inputs({1: 4, 2: 5}))["leaves"][0]
    assert leaf["mean"] == "4.50" and leaf["experts"] == 2 and leaf["spread"] == "1"


def test_an_expert_leaf_ignores_a_figure_and_a_computed_leaf_without_one_takes_the_experts():
    """Rule: only a computed (or imported) leaf takes a confirmed figure; without a figure the
    experts' points count; a computed leaf never waits for 合议."""
    inputs = _inputs({1: 2, 2: 4})
    inputs["figures"] = {"2": "9.0"}
    assert compute_result(inputs)["leaves"][0]["points"] == "3.00"
    computed = _inputs({1: 1, 2: 9}, method="computed")
    leaf = compute_result(computed)["leaves"][0]
    assert leaf["points"] == "5.00" and leaf["source"] == "trimmed_mean" and leaf["needs_consensus"] is False


def test_a_consensus_cannot_hit_a_leaf_that_is_no_red_line():
    """Rule: a decision's red-line verdict counts only on a red-line leaf."""
    result = compute_result(_inputs({1: 9}, consensus={"2": {"points": "9", "red_line_hit": True}}))
    assert result["red_line_hit"] is False and result["grade"] == "优秀"


def test_no_indicators_no_total():
    """Rule: a framework without leaves has no total."""
    result = compute_result({**_inputs({}), "indicators": []})
    assert result["total"] is None and result["leaves"] == []


def test_a_negative_target_scores_nothing():
    """Rule: a target at or below 0 gives 0 points."""
    assert figure_points(SimpleNamespace(target=Decimal("-0.5"), max_points=10), Decimal("5")) == Decimal("0.0")
