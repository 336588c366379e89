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
    tasks = _queue(range(1))
    try:
        child = _fork([None], lambda _: work(), [range(1)], tasks)
    finally:
        os.close(tasks)
    if child is None:
        return work

    def wait() -> ResultT:
        received = _receive(*child)
        return work() if received is None or 0 not in received else received[0][0]

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
    children, each of which sends its outcomes back pickled through a pipe.

    Each process takes the next chunk from a queue as it finishes its last, so one that
    is slowed down (another program on its core, a child pickling what it sends) takes
    fewer, and they all finish within a chunk of each other. A child that fails (cannot
    be forked, is killed, meets a bug) costs only time: the chunks it took and did not
    send are computed here, in order, where a bug raises as it would have without
    children.
    """
    size = max(CHUNK, -(-len(items) // MAX_CHUNKS))
    chunks = [range(start, min(start + size, len(items)))
              for start in range(0, len(items), size)]
    done: dict[int, list[ResultT]] = {}
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    # Chunk 0 is this process's: its first file first, so that what a run imports and
    # caches on first use the children inherit instead of each doing it again.
    tasks = _queue(range(1, len(chunks)))
    try:
        first = [work(items[0])]
        for _ in range(1, workers):
            child = _fork(items, work, chunks, tasks)
            if child is not None:
                children.append(child)
        done[0] = first + [work(items[i]) for i in chunks[0][1:]]
        while (index := _take(tasks)) is not None:
            done[index] = [work(items[i]) for i in chunks[index]]
        while children:
            done.update(_receive(*children.pop(0)) or {})
        for index, chunk in enumerate(chunks):
            if index not in done:
                done[index] = [work(items[i]) for i in chunk]
    finally:
        os.close(tasks)
        for pid, read in children:  # interrupted: stop the children at once
            import signal

            os.close(read)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return [outcome for index in range(len(chunks)) for outcome in done[index]]


#: The most chunks a batch is cut into (larger chunks beyond): their numbers, four bytes
#: each, fit in a pipe (64 KiB) before any process reads one.
MAX_CHUNKS = 16_000


def _queue(numbers: range) -> int:
    """The read end of a pipe holding ``numbers`` (chunk numbers), four bytes each, and
    nothing more to come: every process reads whole numbers from it (a read of a pipe
    is atomic), then the end. Numbers the pipe cannot hold (a system short of pipe
    memory gives it one page) are left out: the parent computes the chunks nobody took."""
    read, write = os.pipe()
    try:
        os.set_blocking(write, False)
        view = memoryview(b"".join(n.to_bytes(4, "little") for n in numbers))
        while view:
            view = view[os.write(write, view[:4096]):]
    except BlockingIOError:
        pass
    finally:
        os.close(write)
    return read


def _take(tasks: int) -> int | None:
    """The next chunk number from the queue, or None when it is empty."""
    record = os.read(tasks, 4)
    return int.from_bytes(record, "little") if len(record) == 4 else None


def _fork(items: list[ItemT], work: Callable[[ItemT], ResultT], chunks: list[range],
          tasks: int) -> tuple[int, int] | None:
    """A child computing the chunks it takes from ``tasks``: its pid and the read end of
    its pipe (None when the system refuses another process)."""
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
        _child(items, work, chunks, tasks, write, parent)
    os.close(write)
    return pid, read


def _child(items: list[ItemT], work: Callable[[ItemT], ResultT], chunks: list[range],
           tasks: int, write: int, parent: int) -> NoReturn:
    """A forked worker's whole life: it takes chunks until the queue is empty, pickling
    each one's outcomes as it goes, then sends them all. It ends with ``os._exit``: the
    parent's buffers, exit handlers and open files are the parent's to flush and close."""
    import gc
    import pickle
    import signal

    code = 1
    try:
        # Ctrl-C reaches the whole process group; the parent alone answers it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # The collector would write to every inherited object it scans, copying the
        # pages the parent shares with this process; they all outlive the child anyway
        # (and a batch's own collector is paused: ``in_order``).
        gc.freeze()
        sent: dict[int, bytes] = {}
        while (index := _take(tasks)) is not None:
            if os.getppid() != parent:  # the parent is gone (killed): so is the run
                break
            sent[index] = _pickled([work(items[i]) for i in chunks[index]])
        else:
            view = memoryview(pickle.dumps(sent, pickle.HIGHEST_PROTOCOL))
            while view:
                view = view[os.write(write, view):]
            code = 0
    except BaseException:  # whatever it was, the parent computes these chunks again
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


def _receive(pid: int, read: int) -> dict[int, list[Any]] | None:
    """A child's outcomes by chunk number, or None when it did not finish well."""
    import pickle

    parts: list[bytes] = []
    try:
        while data := os.read(read, 1 << 20):
            parts.append(data)
    finally:
        os.close(read)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    sent: dict[int, bytes] = pickle.loads(b"".join(parts))
    return {index: pickle.loads(data) for index, data in sent.items()}
