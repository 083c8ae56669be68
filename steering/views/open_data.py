"""Open data (no login): published typical cases and 十百千 target progress as CSV and JSON, with
stable column names (steering/README.md lists them). CSV is UTF-8 with a BOM (Excel opens it in
Chinese) and text that a spreadsheet would take for a formula is written as text."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.excel import safe_value
from evaluation.selectors import cases_public
from steering import selectors
from steering.models import TargetSnapshot
from steering.target_rules import RULES

CASE_COLUMNS = [
    "id",
    "title",
    "level",
    "year",
    "domain",
    "scenario",
    "supplier",
    "decided_on",
    "verified_replications",
    "url",
]
TARGET_COLUMNS = ["code", "label", "rule_version", "target", "deadline", "latest_value", "as_of", "date", "value"]
OPEN_DATA_CACHE_SECONDS = 300


def _csv_response(columns: list[str], rows, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_value(row[column]) if row[column] is not None else "" for column in columns])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={OPEN_DATA_CACHE_SECONDS}"
    return response


def _json_response(payload: dict) -> JsonResponse:
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={OPEN_DATA_CACHE_SECONDS}"
    return response


def typical_case_rows(request) -> list[dict]:
    rows = []
    for case in cases_public():
        subject = case.subject
        domain = (subject.scenario.domain if subject.scenario_id else None) or subject.domain
        rows.append(
            {
                "id": case.pk,
                "title": case.title,
                "level": subject.round.get_level_display(),
                "year": subject.round.year,
                "domain": domain.name if domain else "",
                "scenario": subject.scenario.title if subject.scenario_id else "",
                "supplier": case.supplier.name if case.supplier_id else "",
                "decided_on": timezone.localtime(case.decided_at).date().isoformat() if case.decided_at else "",
                "verified_replications": case.verified_replications,
                "url": request.build_absolute_uri(reverse("evaluation:case-detail", args=[case.pk])),
            }
        )
    return rows


@require_GET
def typical_cases_csv(request):
    return _csv_response(CASE_COLUMNS, typical_case_rows(request), "typical-cases.csv")


@require_GET
def typical_cases_json(request):
    return _json_response({"columns": CASE_COLUMNS, "cases": typical_case_rows(request)})


def target_metrics() -> list[dict]:
    """Per metric: the current city target, the newest city snapshot and the whole city series."""
    today = timezone.localdate()
    targets = list(selectors.targets_all(archived=False))
    latest = selectors.latest_snapshots_city()
    series: dict[str, list] = {code: [] for code in RULES}
    for metric, day, value in (
        TargetSnapshot.objects.filter(district__isnull=True)
        .order_by("metric", "day")
        .values_list("metric", "day", "value")
    ):
        series[metric].append({"date": day.isoformat(), "value": value})
    metrics = []
    for code, rule in RULES.items():
        target = selectors.target_current(targets, code, today)
        snapshot = latest.get(code)
        metrics.append(
            {
                "code": code,
                "label": rule.label,
                "rule_version": rule.version,
                "target": target.target_value if target else None,
                "deadline": target.deadline.isoformat() if target else None,
                "latest_value": snapshot.value if snapshot else None,
                "as_of": snapshot.day.isoformat() if snapshot else None,
                "series": series[code],
            }
        )
    return metrics


@require_GET
def targets_csv(request):
    rows = []
    for metric in target_metrics():
        for point in metric["series"] or [{"date": None, "value": None}]:
            rows.append({**metric, "date": point["date"], "value": point["value"]})
    return _csv_response(TARGET_COLUMNS, rows, "targets.csv")


@require_GET
def targets_json(request):
    return _json_response({"metrics": target_metrics()})
