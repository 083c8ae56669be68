"""The pytest plugin behind `make mutate` (loaded by `python -m mutate`, never by the test suite).

One pytest session does everything, so Django, the test database and the matching engine are set
up once:

1. the baseline: every collected test runs once under coverage, with the test as the coverage
   context, which tells which tests execute which line of the rule modules;
2. each mutant: a forked copy of the session applies the mutant in memory (mutate.apply), runs
   the tests that execute the mutated line (fastest first, stopping at the first failure) and
   reports killed or survived; a copy that outlives its time limit is killed, and so is the
   mutant. `--mutate-jobs` copies run at once.

The source files are never written, so nothing needs restoring, whatever stops the run.
"""

import ast
import json
import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

from mutate import apply
from mutate.mutants import mutants_of, mutated_code
from mutate.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"


def pytest_addoption(parser):
    group = parser.getgroup("mutate")
    group.addoption("--mutate-targets", default="", help="comma-separated target names (all when empty)")
    group.addoption("--mutate-jobs", type=int, default=2, help="mutants tested at once")
    group.addoption("--mutate-json", default="", help="write the full result here")
    group.addoption(
        "--mutate-compare",
        default="",
        help="comma-separated test files run last; the score without them is printed beside",
    )
    group.addoption("--mutate-fail-under", type=float, default=90.0, help="exit 1 when a target scores less")


class _SessionOnly:
    """Stands for "the next test" when only the session's fixtures (the test database) must stay up."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def read_equivalent() -> dict[str, str]:
    """{mutant key: reason} from equivalent.txt (lines `file:line: before → after  # reason`)."""
    listed = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            key, _sep, reason = line.partition("  # ")
            listed[key.strip()] = reason.strip()
    return listed


def _readers(paths) -> dict[str, dict[str, set[int]]]:
    """{file: {name: lines that read it}} for the constants' test selection."""
    readers = {}
    for path in paths:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        names: dict[str, set[int]] = {}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Name):
                    names.setdefault(node.id, set()).add(node.lineno)
                elif isinstance(node, ast.Attribute):
                    names.setdefault(node.attr, set()).add(node.lineno)
        readers[path] = names
    return readers


def _baseline(session, items, files):
    """Run every item once under coverage: ({file: {line: {nodeid}}}, {nodeid: seconds}, failed)."""
    import coverage

    measured = coverage.Coverage(data_file=None, include=[str(ROOT / path) for path in files], branch=False)
    durations, failed = {}, []
    stay = _SessionOnly(session)
    started = time.monotonic()
    measured.start()
    try:
        for index, item in enumerate(items):
            measured.switch_context(item.nodeid)
            reports = runtestprotocol(item, log=False, nextitem=items[index + 1] if index + 1 < len(items) else stay)
            durations[item.nodeid] = sum(report.duration for report in reports)
            if any(report.failed for report in reports) or any(report.skipped for report in reports):
                failed.append(item.nodeid)
            if (index + 1) % 100 == 0:
                _say(f"   baseline {index + 1}/{len(items)} tests, {time.monotonic() - started:.0f} s")
    finally:
        measured.stop()
    data = measured.get_data()
    lines = {}
    for path in files:
        by_line = data.contexts_by_lineno(str(ROOT / path))
        lines[path] = {
            line: {context for context in contexts if context} - set(failed) for line, contexts in by_line.items()
        }
    return lines, durations, failed


def _names_read(item) -> set[str]:
    """The global and attribute names a test function's own code reads (its nested code too)."""
    code = getattr(getattr(item, "function", None), "__code__", None)
    names, stack = set(), [code] if code is not None else []
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(const for const in current.co_consts if hasattr(const, "co_names"))
    return names


def _tests_for(mutant, lines, readers, all_files, test_reads):
    if mutant.constants:
        # A test that reads the constant itself (its value pinned: the weights, a threshold) runs
        # too: a line of the rule files that reads it may be run by no test at all.
        chosen = set()
        for path in all_files:
            for name in mutant.constants:
                for line in readers[path].get(name, ()):
                    chosen |= lines[path].get(line, set())
        if not chosen:  # read outside the rule files only (a snapshot's PARAMETERS): every test of the module
            for tests in lines[mutant.path].values():
                chosen |= tests
        return chosen | {nodeid for nodeid, names in test_reads.items() if names & set(mutant.constants)}
    chosen = set()
    first, last = mutant.runs if mutant.runs != (0, 0) else (mutant.line, mutant.end_line)
    for line in range(first, last + 1):
        chosen |= lines[mutant.path].get(line, set())
    return chosen


def _child(part_scope, mutant, target, items, write_fd) -> None:
    """In the forked copy: apply the mutant, run its tests, write one line of JSON, exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    outcome = {"status": "survived", "by": ""}
    try:
        try:
            apply.apply(mutant.path, mutated_code(ROOT, mutant.path, part_scope, mutant.number))
            for hook in target.after_apply:
                apply.call(hook)
        except Exception as problem:  # the mutated module does not even load: as good as killed
            outcome = {"status": "killed", "by": f"(loading the module: {type(problem).__name__})"}
        else:
            stay = _SessionOnly(items[0].session)
            for index, item in enumerate(items):
                reports = runtestprotocol(
                    item, log=False, nextitem=items[index + 1] if index + 1 < len(items) else stay
                )
                if any(report.failed for report in reports):
                    outcome = {"status": "killed", "by": item.nodeid}
                    break
    except BaseException as problem:  # noqa: BLE001 - whatever happens, the parent gets an answer
        outcome = {"status": "killed", "by": f"({type(problem).__name__} in the test run)"}
    os.write(write_fd, (json.dumps(outcome) + "\n").encode())
    os._exit(0)


def _run_mutants(jobs, queue):
    """queue: [(key, part scope, mutant, target, items, time limit)] → {key: outcome}."""
    results, running = {}, {}
    total, done, started = len(queue), 0, time.monotonic()
    queue = list(queue)
    try:
        while queue or running:
            while queue and len(running) < jobs:
                key, scope, mutant, target, items, limit = queue.pop(0)
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read_fd)
                    _child(scope, mutant, target, items, write_fd)
                os.close(write_fd)
                running[pid] = (key, read_fd, time.monotonic() + limit, b"")
            ready, _w, _x = select.select([entry[1] for entry in running.values()], [], [], 0.2)
            now = time.monotonic()
            for pid, (key, read_fd, deadline, buffer) in list(running.items()):
                if read_fd in ready:
                    chunk = os.read(read_fd, 65536)
                    buffer += chunk
                    running[pid] = (key, read_fd, deadline, buffer)
                    if chunk:
                        continue
                    os.close(read_fd)
                    os.waitpid(pid, 0)
                    try:
                        results[key] = json.loads(buffer.decode().strip().splitlines()[-1])
                    except (ValueError, IndexError):
                        results[key] = {"status": "killed", "by": "(the test process died)"}
                elif now > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    os.close(read_fd)
                    results[key] = {"status": "killed", "by": "(time limit: the mutant hangs)"}
                else:
                    continue
                del running[pid]
                done += 1
                if done % 25 == 0 or done == total:
                    elapsed = time.monotonic() - started
                    _say(
                        f"   {done}/{total} mutants, {elapsed:.0f} s, "
                        f"about {elapsed / done * (total - done):.0f} s left"
                    )
    finally:
        for pid, (_key, read_fd, _deadline, _buffer) in running.items():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
    return results


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    config = session.config
    wanted = [name.strip() for name in config.getoption("mutate_targets").split(",") if name.strip()]
    by_name = {target.name: target for target in TARGETS}
    targets = [by_name[name] for name in wanted] if wanted else list(TARGETS)  # in the order asked
    equivalent = read_equivalent()
    files = sorted({part.path for target in targets for part in target.parts})
    items = [item for item in session.items]
    _say(f"== baseline: {len(items)} tests under coverage of {len(files)} files")
    lines, durations, failed = _baseline(session, items, files)
    if failed:
        _say(f"   {len(failed)} tests failed or skipped without any mutant and are not used: " + ", ".join(failed[:10]))
    readers = _readers(files)
    by_id = {item.nodeid: item for item in items}
    test_reads = {item.nodeid: _names_read(item) for item in items if item.nodeid not in failed}

    compare = tuple(path for path in config.getoption("mutate_compare").split(",") if path)
    jobs, fail_under = config.getoption("mutate_jobs"), config.getoption("mutate_fail_under")
    json_path = config.getoption("mutate_json")
    summary, listed, ok, seen_keys = [], [], True, set()
    for target in targets:
        # One target at a time, its result printed (and written) as soon as it is known.
        pool = {item.nodeid for item in items if any(item.nodeid.startswith(path) for path in target.tests)}
        queue, rows = [], []
        for part in target.parts:
            for mutant in mutants_of(ROOT, part.path, part.scope):
                chosen = _tests_for(mutant, lines, readers, files, test_reads) & pool
                key = (target.name, mutant.path, mutant.number)
                rows.append((mutant, key, chosen))
                seen_keys.add(mutant.key)
                if mutant.key in equivalent or not chosen:
                    continue
                # Fastest first; with --mutate-compare the tests of those files last, so that a
                # mutant they kill is one the other tests let through.
                ordered = sorted(
                    chosen,
                    key=lambda nodeid: (
                        nodeid.startswith(compare) if compare else False,
                        durations.get(nodeid, 0),
                        nodeid,
                    ),
                )
                limit = 20 + 3 * sum(durations.get(nodeid, 0) for nodeid in ordered)
                queue.append((key, part.scope, mutant, target, [by_id[nodeid] for nodeid in ordered], limit))
        _say(f"\n== {target.name}: {len(rows)} mutants, {len(queue)} to run ({jobs} at once)")
        results = _run_mutants(jobs, queue)
        counts = {"killed": 0, "survived": 0, "not run": 0, "equivalent": 0, "killed without": 0}
        survivors = []
        for mutant, key, chosen in rows:
            outcome = results.get(key, {})
            if mutant.key in equivalent:
                status = "equivalent"
            elif not chosen:
                status = "not run"
                survivors.append((status, mutant))
            else:
                status = outcome.get("status", "survived")
                if status == "survived":
                    survivors.append((status, mutant))
                elif not (compare and outcome.get("by", "").startswith(compare)):
                    counts["killed without"] += 1
            counts[status] += 1
            listed.append({"target": target.name, "key": mutant.key, "status": status, "by": outcome.get("by", "")})
        counted = len(rows) - counts["equivalent"]
        score = 100.0 * counts["killed"] / counted if counted else 100.0
        without = 100.0 * counts["killed without"] / counted if counted else 100.0
        ok = ok and score >= fail_under
        summary.append((target.name, len(rows), counts, score, without))
        line = (
            f"== {target.name}: {counts['killed']}/{counted} killed ({score:.1f} %), {counts['equivalent']} equivalent"
        )
        if compare:
            line += f"; without {', '.join(compare)}: {counts['killed without']}/{counted} ({without:.1f} %)"
        _say(line)
        for status, mutant in survivors:
            where = f" [{mutant.function}]" if mutant.function else ""
            _say(f"   {status:9} {mutant.key}{where}")
        if json_path:
            Path(json_path).write_text(json.dumps(listed, ensure_ascii=False, indent=1), encoding="utf-8")
    stale = sorted(set(equivalent) - seen_keys)
    if stale and not wanted:
        _say("\n== equivalent.txt lists mutants that no longer exist (the code moved or changed):")
        for key in stale:
            _say(f"   {key}")
    _say("\n== summary")
    header = f"   {'module':44} {'mutants':>7} {'equiv':>5} {'killed':>6} {'survived':>8} {'not run':>7} {'score':>7}"
    _say(header + (f" {'without':>8}" if compare else ""))
    for name, total, counts, score, without in summary:
        _say(
            f"   {name:44} {total:7} {counts['equivalent']:5} {counts['killed']:6} {counts['survived']:8} "
            f"{counts['not run']:7} {score:6.1f}%" + (f" {without:7.1f}%" if compare else "")
        )
    session.testsfailed = 0 if ok else 1
    return True
