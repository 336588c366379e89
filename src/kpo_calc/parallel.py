"""A large batch shared with forked copies of this process, one per core.

``in_order(items, work)`` is ``[work(x) for x in items]``: the same results in the same
order, computed by this process and, for a batch big enough to pay for it, by forked
children that send theirs back pickled through a pipe (``run_files`` over a thousand
scenario files: 5.7 s -> 3.0 s on two idle cores, ``benchmarks/batch.py``). A child
that fails costs only time: its share is computed again here, where a bug raises as it
would have without children.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")


def background(work: Callable[[], ResultT]) -> Callable[[], ResultT]:
    """Start ``work`` in a forked child and return the function that waits for its result:
    the caller does something else meanwhile (``report`` imports its plotting library
    while the child costs and simulates). Where a fork is not safe (off Linux, other
    threads running) or fails, or the child does not finish well, the wait computes
    ``work()`` here instead: the result is the same either way."""
    if _cores() < 2:
        return work
    child = _fork([None], lambda _: work(), [range(1)])
    if child is None:
        return work

    def wait() -> ResultT:
        received = _receive(*child)
        return work() if received is None else received[0]

    return wait


def in_order(items: list[ItemT], work: Callable[[ItemT], ResultT]) -> list[ResultT]:
    """``work`` of each item, in order; shared between cores when there are many."""
    import gc

    workers = _workers(len(items))
    # A batch makes no reference cycles (none found after 1,000 files) and keeps every
    # outcome to the end, so the collector's passes over them, and over the outcomes a
    # child sends back as they are unpickled, would find nothing (0.3 ms a file).
    paused = gc.isenabled() and len(items) >= PARALLEL_FROM
    if paused:
        gc.disable()
    try:
        if workers < 2:
            return [work(x) for x in items]
        return _forked(items, work, workers)
    finally:
        if paused:
            if not gc.get_freeze_count():
                # The batch's objects join the oldest generation unscanned (freezing moves
                # every object aside, unfreezing moves them there): else the next young
                # collection would scan them all (50 ms after 1,000 files).
                gc.freeze()
                gc.unfreeze()
            gc.enable()


#: Below this many files one process does the run: forking and sending the outcomes
#: back cost about what a second core saves on 16 files (32 files: 110 ms instead of
#: 195 on two idle cores; benchmarks/batch.py).
PARALLEL_FROM = 32
#: Files per chunk; worker ``k`` of ``n`` takes chunks ``k``, ``k + n``, ... so that the
#: shares stay even when the files differ in size.
CHUNK = 16
#: The most processes a run uses (each holds a copy of what it computes).
MAX_WORKERS = 8


def _workers(files: int) -> int:
    """How many processes share a batch of ``files``: one per core the process may use,
    none idle (below ``PARALLEL_FROM`` files, one)."""
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(_cores(), MAX_WORKERS, files // (PARALLEL_FROM // 2)))


def _cores() -> int:
    """The cores this process may fork onto: those it may use, on Linux, where forking a
    process is safe, and 1 when other threads run (a library caller's): a fork copies
    only the thread that made it."""
    import sys
    import threading

    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0))


def _forked(items: list[ItemT], work: Callable[[ItemT], ResultT],
            workers: int) -> list[ResultT]:
    """``in_order`` with the chunks shared between this process and ``workers - 1`` forked
    children, each of which sends its outcomes back pickled through a pipe. A child that
    fails (cannot be forked, is killed, meets a bug) costs only time: its share is then
    computed here, where a bug raises as it would have without children."""
    chunks = [range(start, min(start + CHUNK, len(items)))
              for start in range(0, len(items), CHUNK)]
    children: dict[int, tuple[int, int]] = {}  # worker -> (pid, read end of its pipe)
    try:
        # The first file first: what a run imports and caches on first use, the children
        # then inherit instead of each doing it again.
        first = [work(items[0])]
        for worker in range(1, workers):
            child = _fork(items, work, chunks[worker::workers])
            if child is not None:
                children[worker] = child
        shares = {0: first + _share(items, work, [chunks[0][1:], *chunks[workers::workers]])}
        for worker in range(1, workers):
            received = _receive(*children.pop(worker)) if worker in children else None
            shares[worker] = (received if received is not None
                              else _share(items, work, chunks[worker::workers]))
    finally:
        for pid, read in children.values():  # interrupted: stop the children at once
            import signal

            os.close(read)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    out: list[ResultT] = []
    for index in range(len(chunks)):
        turn = index // workers  # the chunk's place in its worker's share
        out += shares[index % workers][turn * CHUNK:(turn + 1) * CHUNK]
    return out


def _fork(items: list[ItemT], work: Callable[[ItemT], ResultT],
          chunks: list[range]) -> tuple[int, int] | None:
    """A child computing ``chunks``: its pid and the read end of its pipe (None when the
    system refuses another process)."""
    read, write = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        os.close(read)
        _child(items, work, chunks, write, parent)
    os.close(write)
    return pid, read


def _share(items: list[ItemT], work: Callable[[ItemT], ResultT],
           chunks: list[range]) -> list[ResultT]:
    return [work(items[i]) for chunk in chunks for i in chunk]


def _child(items: list[ItemT], work: Callable[[ItemT], ResultT], chunks: list[range],
           write: int, parent: int) -> NoReturn:
    """A forked worker's whole life. It ends with ``os._exit``: the parent's buffers,
    exit handlers and open files are the parent's to flush and close."""
    import gc
    import signal

    code = 1
    try:
        # Ctrl-C reaches the whole process group; the parent alone answers it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # The collector would write to every inherited object it scans, copying the
        # pages the parent shares with this process; they all outlive the child anyway
        # (and a batch's own collector is paused: ``in_order``).
        gc.freeze()
        outcomes: list[ResultT] = []
        for chunk in chunks:
            if os.getppid() != parent:  # the parent is gone (killed): so is the run
                break
            outcomes += _share(items, work, [chunk])
        else:
            payload = _pickled(outcomes)
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view):]
            code = 0
    except BaseException:  # whatever it was, the parent computes this share again
        pass
    finally:
        os._exit(code)


def _pickled(outcomes: list[Any]) -> bytes:
    import copyreg
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    # Results hold read-only views of dicts, which pickle cannot send as they are.
    pickler.dispatch_table = {**copyreg.dispatch_table, types.MappingProxyType: _reduce_proxy}
    pickler.dump(outcomes)
    return buffer.getvalue()


def _reduce_proxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _proxy, (dict(proxy),)


def _proxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(items)


def _receive(pid: int, read: int) -> list[Any] | None:
    """A child's outcomes, or None when it did not finish well."""
    import pickle

    chunks: list[bytes] = []
    try:
        while data := os.read(read, 1 << 20):
            chunks.append(data)
    finally:
        os.close(read)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    outcomes: list[Any] = pickle.loads(b"".join(chunks))
    return outcomes
