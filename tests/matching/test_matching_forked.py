"""Forked helpers of the rebuild (tokenising, explaining): results in order, failures raised, and
none of the after-fork hooks registered with multiprocessing run in them (kombu's hook hung a
rebuild: it read the parent's Redis socket from the child)."""

import multiprocessing.util
import os
import time

import pytest

from matching.engine.forked import forked_map


def _square_all(chunk):
    return [value * value for value in chunk]


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_forked_map_yields_each_chunks_result_in_order(processes):
    chunks = [list(range(start, start + 7)) for start in range(0, 200, 7)]
    assert list(forked_map(_square_all, chunks, processes)) == [_square_all(chunk) for chunk in chunks]
    assert list(forked_map(_square_all, [], processes)) == []


def _fail_on_thirteen(chunk):
    if 13 in chunk:
        raise ValueError("第 13 号文档无法分词")
    return chunk


def test_a_failure_in_a_helper_is_raised_with_its_traceback():
    with pytest.raises(RuntimeError, match="第 13 号文档无法分词") as failure:
        list(forked_map(_fail_on_thirteen, [[number] for number in range(30)], 2))
    assert "ValueError" in str(failure.value)


class _Hooked:
    pass


def test_helpers_run_none_of_the_after_fork_hooks_registered_with_multiprocessing(tmp_path):
    marker = tmp_path / "hook-ran"
    hooked = _Hooked()  # the registry holds it weakly: kept alive for the test
    multiprocessing.util.register_after_fork(hooked, lambda _obj: marker.write_text(str(os.getpid())))
    assert list(forked_map(_square_all, [[1], [2], [3]], 2)) == [[1], [4], [9]]
    assert not marker.exists()


def _slow_after_first(chunk):
    if chunk[0] > 0:
        time.sleep(30)
    return chunk


def test_stopping_early_stops_the_helpers():
    started = time.monotonic()
    results = forked_map(_slow_after_first, [[0], [1], [2]], 2)
    assert next(results) == [0]
    results.close()  # the caller needs no more: the helper still sleeping is killed and reaped
    assert time.monotonic() - started < 10
