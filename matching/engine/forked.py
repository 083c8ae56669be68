"""Work spread over forked helper processes, without multiprocessing.

A multiprocessing child runs the after-fork hooks libraries register with multiprocessing. kombu's
hook closes the parent's Redis connections from inside the child: it reads the socket it shares
with the parent, and waits there for ever. A rebuild hung like this in a process that had queued
a Celery task before. The helpers here are plain os.fork() children. Each one only runs the
function and sends its results through a pipe. It leaves with os._exit and never touches what it
inherited (database and broker connections, other threads' locks). A daemonic process may use
them too.
"""

import os
import pickle
import signal
import struct
import traceback
from collections.abc import Callable, Iterator

_HEADER = struct.Struct("<Q")


def forked_map(function: Callable, chunks: list, processes: int) -> Iterator:
    """Yield function(chunk) for each chunk, in order. The chunks are computed by `processes`
    forked children: chunk i by child i % processes, each child working on its next chunk while
    the parent reads another child's. A failure in a child is raised here, with its traceback."""
    processes = max(1, min(processes, len(chunks)))
    children: list[tuple[int, object]] = []
    finished = False
    try:
        for number in range(processes):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _serve(function, chunks[number::processes], write_end)  # never returns
            os.close(write_end)
            children.append((pid, os.fdopen(read_end, "rb")))
        for index in range(len(chunks)):
            stream = children[index % processes][1]
            header = stream.read(_HEADER.size)
            if len(header) < _HEADER.size:
                raise RuntimeError("a forked helper ended without sending its results")
            succeeded, value = pickle.loads(stream.read(_HEADER.unpack(header)[0]))
            if not succeeded:
                raise RuntimeError(f"a forked helper failed:\n{value}")
            yield value
        finished = True
    finally:
        for pid, stream in children:
            if not finished:  # the caller stopped early or a helper failed: the others need not go on
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            stream.close()
            os.waitpid(pid, 0)


def _serve(function: Callable, chunks: list, write_end: int) -> None:
    code = 1
    try:
        with os.fdopen(write_end, "wb") as out:
            for chunk in chunks:
                try:
                    payload = pickle.dumps((True, function(chunk)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: BLE001 — sent to the parent, which raises it
                    payload = pickle.dumps((False, traceback.format_exc()))
                    out.write(_HEADER.pack(len(payload)) + payload)
                    break
                out.write(_HEADER.pack(len(payload)))
                out.write(payload)
                out.flush()  # the parent may be waiting for this chunk already
            else:
                code = 0
    finally:
        os._exit(code)
