"""Geometry of the result page's radar chart, drawn as inline SVG by the server (no chart library,
nothing from a CDN): one axis per first-tier dimension, its score as % of its weight, the subject's
polygon against the round's average polygon. The page shows the same figures as a table."""

import math
from decimal import Decimal

SIZE = 320
CENTRE = SIZE / 2
RADIUS = 110
RINGS = (25, 50, 75, 100)


def _point(index: int, count: int, percent: float) -> tuple[float, float]:
    # Axis 0 points straight up; the others follow clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(0.0, min(float(percent), 100.0)) / 100
    return round(CENTRE + distance * math.cos(angle), 1), round(CENTRE + distance * math.sin(angle), 1)


def _points_text(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def radar(axes: list[dict]) -> dict | None:
    """axes: [{"name", "subject": percent, "average": percent or None}] → what the template draws:
    the size, rings, axis lines with their label positions, and the two polygons' points. None
    with fewer than three axes (a radar of two axes is a line)."""
    count = len(axes)
    if count < 3:
        return None
    axis_rows = []
    for index, axis in enumerate(axes):
        end = _point(index, count, 100)
        label_x, label_y = _point(index, count, 118)
        anchor = "middle" if abs(label_x - CENTRE) < 1 else ("start" if label_x > CENTRE else "end")
        axis_rows.append(
            {"name": axis["name"], "x": end[0], "y": end[1], "label_x": label_x, "label_y": label_y, "anchor": anchor}
        )
    has_average = all(axis.get("average") is not None for axis in axes)
    return {
        "size": SIZE,
        "centre": CENTRE,
        "rings": [
            {"percent": ring, "points": _points_text([_point(index, count, ring) for index in range(count)])}
            for ring in RINGS
        ],
        "axes": axis_rows,
        "subject": _points_text([_point(index, count, Decimal(axis["subject"])) for index, axis in enumerate(axes)]),
        "average": (
            _points_text([_point(index, count, Decimal(axis["average"])) for index, axis in enumerate(axes)])
            if has_average
            else ""
        ),
    }
