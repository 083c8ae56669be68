"""The rule modules `make mutate` covers: where each rule lives and which tests may run it.

A target is a named group of (file, scope) parts. `scope` names the functions, methods or classes
(qualified: "Class.method") and the module-level constants of the file that hold the rule; None
takes the whole file (every function and every module-level constant). Only those parts are
mutated, so a module that mixes rules with plumbing (services/programme.py, matches.py) is
measured on its rules alone.

`tests` are the test files about the rule (a file not written yet is passed over): the baseline
runs them under coverage, and each mutant then runs only those of their tests that executed the
mutated line (for a module-level constant: a line that reads it, or the test's own code). They are
the rule's own tests, not every test that happens to pass through it: the ranking runs in half the
contest tests, and running each surviving mutant against all of them would take hours.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Part:
    path: str
    scope: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Target:
    name: str
    parts: tuple[Part, ...]
    tests: tuple[str, ...]
    # Callables (dotted paths) run in the mutant's process after the mutant is applied and before
    # its tests: caches built from the module at start-up would otherwise hide the mutant.
    after_apply: tuple[str, ...] = field(default=())


TARGETS = [
    Target(
        "contests/ranking.py",
        (Part("contests/ranking.py"),),
        ("tests/contests/test_ranking.py", "tests/contests/test_ranking_rules.py"),
    ),
    Target(
        "contests/conflicts.py",
        (Part("contests/conflicts.py"),),
        (
            "tests/contests/test_conflicts.py",
            "tests/contests/test_conflict_rules.py",
            "tests/evaluation/test_experts_conflicts.py",
        ),
    ),
    Target(
        # The award rules: the service's checks and the money they read.
        "contests/services/awards.py",
        (
            Part("contests/services/awards.py"),
            Part("contests/money.py", ("LARGEST_AMOUNT", "parse_money", "_largest_in")),
            Part("contests/selectors.py", ("panel_complete", "awarded_total")),
        ),
        ("tests/contests/test_awards.py", "tests/contests/test_award_rules.py"),
    ),
    Target(
        # Sheets: the judge's signature, the chair's powers, the points as typed, the snapshot check.
        "contests/services/scoring.py",
        (
            Part("contests/services/scoring.py"),
            Part(
                "contests/sheets.py",
                ("HALF", "POINTS_TEXT", "parse_points", "signature_sha256", "sheet_content_sha256"),
            ),
            Part("contests/selectors.py", ("snapshot_verify",)),
        ),
        (
            "tests/contests/test_scoring.py",
            "tests/contests/test_sheet_input.py",
            "tests/contests/test_scoring_rules.py",
        ),
    ),
    Target(
        "contests/eligibility.py",
        (Part("contests/eligibility.py"),),
        ("tests/contests/test_eligibility_queue.py", "tests/contests/test_eligibility_rules.py"),
    ),
    Target(
        "accounts/validators.py",
        (Part("accounts/validators.py"),),
        (
            "tests/accounts/test_validators.py",
            "tests/accounts/test_passwords.py",
            "tests/accounts/test_credit_code_rules.py",
        ),
        after_apply=("django.contrib.auth.password_validation.get_default_password_validators.cache_clear",),
    ),
    Target(
        "capability_list/working_days.py",
        (Part("capability_list/working_days.py"),),
        ("tests/capability_list/test_working_days.py", "tests/capability_list/test_enquiries.py"),
    ),
    Target(
        # The row checks of the Excel import (the file-level checks are check_workbook_file's).
        "capability_list/import_checker.py (rows)",
        (
            Part(
                "capability_list/import_checker.py",
                ("COLUMNS", "YES", "NO", "cell_text", "check_row", "_check_across_rows", "LOOKUP_CHUNK", "in_chunks"),
            ),
        ),
        (
            "tests/capability_list/test_import.py",
            "tests/capability_list/test_import_row_rules.py",
            "tests/capability_list/test_import_reading_rules.py",
        ),
    ),
    Target(
        "evaluation/scoring.py",
        (
            Part("evaluation/scoring.py"),
            Part("evaluation/services/frameworks.py", ("figure_points",)),
        ),
        (
            "tests/evaluation/test_results_services.py",
            "tests/evaluation/test_frameworks_rules.py",
            "tests/evaluation/test_scoring_rules.py",
        ),
    ),
    Target(
        "steering/target_rules.py",
        (Part("steering/target_rules.py"),),
        ("tests/steering/test_targets_rules.py",),
    ),
    Target(
        "steering lamps",
        (
            Part("steering/services/programme.py", ("planned_percentages", "evaluate_lamp", "lamps_refresh")),
            Part("steering/choices.py", ("LAMP_SEVERITY",)),
        ),
        ("tests/steering/test_programme_lamps.py", "tests/steering/test_lamp_rules.py"),
    ),
    Target(
        "matching hard filters and score",
        (
            Part(
                "matching/engine/scoring.py",
                (
                    "DEFAULT_WEIGHTS",
                    "TEXT_SATURATION",
                    "WEAK_BELOW",
                    "FIRST_PRODUCT_WORDS",
                    "PRICE_FLOOR",
                    "MATURITY_RANK",
                    "TIMING",
                    "CREDENTIAL_BITS",
                    "credential_bits",
                    "passes_hard_filters",
                    "asked_credentials",
                    "shared_fields",
                    "budget_fit",
                    "timing_fit",
                ),
            ),
            Part("matching/engine/matches.py", ("score_pairs", "_attribute_parts")),
            Part("matching/engine/rebuild.py", ("filters_of",)),
            Part("matching/engine/similarity.py", ("Filters",)),
        ),
        (
            "tests/matching/test_matching_rules.py",
            "tests/matching/test_matching.py",
            "tests/matching/test_scoring_rules.py",
            "tests/matching/test_score_part_rules.py",
        ),
    ),
]
