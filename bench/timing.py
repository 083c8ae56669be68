"""Timing helpers shared by the benchmarks: repeated runs after a warm-up, median and p95 in ms."""

import statistics
import time


def measure(function, runs: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    """(median, p95) of the times."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
