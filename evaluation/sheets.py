"""Evaluation-sheet arithmetic: points are parsed by contests.sheets.parse_points (an Indicator has
the `.name` and `.max_points` it reads), and a sheet is signed by contests.sheets.signature_sha256,
the same way as a contest score sheet."""

from contests.sheets import signature_sha256

# What a computed or imported leaf's confirm box sends (the page posts "1", the API true / "confirm").
CONFIRM_VALUES = frozenset({"1", "true", "on", "yes", "confirm", "confirmed"})


def evaluation_sheet_content_sha256(sheet, scores, signed_at) -> str:
    """SHA-256 of what an expert signs: subject, expert, time and every leaf's points, comment and
    red-line hit."""
    content = {
        "subject": sheet.subject_id,
        "expert": sheet.expert_id,
        "signed_at": signed_at.isoformat(),
        "scores": sorted(
            [score.indicator_id, str(score.points), score.comment, bool(score.red_line_hit)] for score in scores
        ),
    }
    return signature_sha256(content)
