"""A large batch is shared with forked workers: same outcomes, same order, same failures."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS
from kpo_calc import api, parallel
from kpo_calc.render import RenderOptions, renderer

#: Valid examples and broken files (parse errors, validation errors, a missing file), mixed.
FILES = [*sorted(SCENARIOS.glob("*.yaml")), *sorted((ROOT / "tests/corpus").glob("*.yaml"))[:12],
         ROOT / "tests/corpus/no-such-file.yaml"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="workers are forked on Linux only")


@pytest.fixture
def three_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches forked, in chunks of two, over three workers (two children)."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)


def _pid_and_name(loaded: api.Loaded) -> tuple[int, str]:
    return os.getpid(), loaded.name


def test_a_batch_is_shared_in_chunks_and_comes_back_in_order(three_workers: None) -> None:
    assert parallel._workers(len(FILES)) == 3
    done = api.run_files(FILES, _pid_and_name)
    assert [name for _, name in done] == [os.fspath(f) for f in FILES]
    pids = [pid for pid, _ in done]
    # chunks of two, each computed by one process; the first one here (its first file
    # before any child is forked)
    assert all(len(set(pids[i:i + 2])) == 1 for i in range(0, len(pids), 2))
    assert pids[0] == pids[1] == os.getpid()


def _slowly(loaded: api.Loaded) -> tuple[int, str]:
    import time

    time.sleep(0.05)
    return _pid_and_name(loaded)


def test_every_process_takes_chunks_as_it_is_free(three_workers: None) -> None:
    # Files that take a while: the children are forked long before the queue of
    # chunks runs dry, and each takes its own from it.
    done = api.run_files(FILES, _slowly)
    assert [name for _, name in done] == [os.fspath(f) for f in FILES]
    pids = [pid for pid, _ in done]
    assert len(set(pids)) == 3
    assert all(len(set(pids[i:i + 2])) == 1 for i in range(0, len(pids), 2))


def test_a_queue_the_pipe_cannot_hold_leaves_the_rest_to_the_parent(
        three_workers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pipe of one page (a system short of pipe memory): the chunk numbers past it
    # are not queued; the parent computes them after the others, in order.
    pipe = os.pipe

    def small_pipe() -> tuple[int, int]:
        import fcntl

        read, write = pipe()
        fcntl.fcntl(write, 1031, 4096)  # F_SETPIPE_SZ
        return read, write

    monkeypatch.setattr(os, "pipe", small_pipe)
    items = list(range(3000))  # 1,500 chunks of two: 6,000 bytes of chunk numbers
    assert parallel.in_order(items, lambda x: x * 2) == [x * 2 for x in items]
    read = parallel._queue(range(1, 1500))
    try:
        taken = []
        while (n := parallel._take(read)) is not None:
            taken.append(n)
    finally:
        os.close(read)
    assert taken == list(range(1, 1025))  # one page: 1,024 numbers, the rest left out


def test_a_large_batch_is_cut_into_chunks_whose_numbers_fit_the_queue(
        monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[int] = []
    queue = parallel._queue

    def counted(numbers: range) -> int:
        queued.append(len(numbers))
        return queue(numbers)

    monkeypatch.setattr(parallel, "_queue", counted)
    items = list(range(300_000))  # 18,750 chunks of 16: larger chunks instead
    assert parallel._forked(items, lambda x: x, 1) == items  # one process: all here
    assert queued[0] + 1 <= parallel.MAX_CHUNKS
    assert parallel.MAX_CHUNKS * 4 <= 65_536  # a pipe's default capacity


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_forked_outcomes_equal_one_process_outcomes(three_workers: None, fmt: str) -> None:
    forked = api.compare_files(FILES)
    parallel.PARALLEL_FROM = 10**9  # restored by monkeypatch
    alone = api.compare_files(FILES)
    assert forked == alone
    assert [o.file for o in forked] == [os.fspath(f) for f in FILES]
    assert sum(not o.ok for o in forked) >= 10  # the broken files are in it, with errors
    render = renderer("compare", fmt)
    assert render(forked, RenderOptions(width=100)) == render(alone, RenderOptions(width=100))


def test_validate_gives_the_same_diagnostics_forked(three_workers: None) -> None:
    forked = api.validate_files(FILES)
    parallel.PARALLEL_FROM = 10**9
    assert forked == api.validate_files(FILES)


def test_a_child_that_dies_costs_only_time(three_workers: None) -> None:
    parent = os.getpid()

    def die_in_children(loaded: api.Loaded) -> tuple[int, str]:
        if os.getpid() != parent:
            os._exit(9)
        return _pid_and_name(loaded)

    done = api.run_files(FILES, die_in_children)
    assert done == [(parent, os.fspath(f)) for f in FILES]


def test_a_bug_raises_in_the_parent_as_without_workers(three_workers: None) -> None:
    def bug(loaded: api.Loaded) -> str:
        if loaded.name.endswith(FILES[3].name):  # a file of the first child's share
            raise ZeroDivisionError("a bug")
        return loaded.name

    with pytest.raises(ZeroDivisionError, match="a bug"):
        api.run_files(FILES, bug)


def test_small_batches_and_threaded_callers_stay_in_one_process(three_workers: None) -> None:
    assert parallel._workers(3) == 1  # below PARALLEL_FROM
    assert parallel._workers(4) == 2  # one worker per PARALLEL_FROM / 2 files, up to the cores
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._workers(len(FILES)) == 1  # a fork would copy only this thread
        done = api.run_files(FILES, _pid_and_name)
        assert {pid for pid, _ in done} == {os.getpid()}
    finally:
        stop.set()
        other.join()


def test_the_default_batch_threshold_is_at_least_a_few_dozen_files() -> None:
    # Forking and sending outcomes back cost about what a second core saves on 16 files
    # (benchmarks/batch.py): small runs never fork.
    assert parallel.PARALLEL_FROM >= 32
    assert parallel._workers(parallel.PARALLEL_FROM - 1) == 1


def test_outcomes_with_read_only_mappings_survive_the_pipe() -> None:
    import pickle
    import types

    data = {"a": types.MappingProxyType({"x": types.MappingProxyType({"y": 1.5})})}
    back = pickle.loads(parallel._pickled([data]))
    assert back == [data]
    assert isinstance(back[0]["a"], types.MappingProxyType)
    assert isinstance(back[0]["a"]["x"], types.MappingProxyType)


def test_files_given_as_paths_are_named_as_given(three_workers: None) -> None:
    names = api.run_files([Path(f) for f in FILES], lambda f: f.name)
    assert names == [os.fspath(f) for f in FILES]


def _in_session(session: int) -> list[int]:
    """Live processes of a session (field 6 of /proc/PID/stat; a zombie has ended, and
    waits only for whoever adopted it to reap it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_workers_stop_when_the_run_is_killed(tmp_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import time

    # Half of 1,600 files is seconds of work for the worker, far longer than one chunk.
    for i in range(1600):
        shutil.copy(sorted(SCENARIOS.glob("*.yaml"))[i % 4], tmp_path / f"s{i:03d}.yaml")
    exe = Path(sys.executable).with_name("kpo-calc")
    proc = subprocess.Popen([str(exe), "compare", "--format", "json", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 30
    while len(_in_session(proc.pid)) < 2 and proc.poll() is None:  # the worker is forked
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == -signal.SIGTERM
    stop = time.monotonic() + 2
    while _in_session(proc.pid):  # the worker sees its parent gone after its chunk
        assert time.monotonic() < stop, "a worker outlived the killed run"
        time.sleep(0.05)


def test_every_outcome_of_the_examples_goes_through_the_pipe_unchanged() -> None:
    # A result that pickle cannot send would make every child fail and each batch
    # quietly run in one process again (correct, but slow): keep results picklable.
    import pickle

    outcomes = [*api.compare_files(FILES), *api.validate_files(FILES)]
    assert pickle.loads(parallel._pickled(outcomes)) == outcomes


def test_a_system_that_refuses_a_process_gets_the_run_in_one(
        three_workers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    done = api.run_files(FILES, _pid_and_name)
    assert done == [(os.getpid(), os.fspath(f)) for f in FILES]


def test_background_work_runs_in_a_child_and_comes_back(three_workers: None) -> None:
    from kpo_calc.report.content import report_files

    insurer = SCENARIOS / "insurer-claims-actuarial-myr.yaml"
    wait = parallel.background(lambda: (os.getpid(), report_files([insurer], 200, 7)))
    pid, forked = wait()
    assert pid != os.getpid()  # computed by the child, and a report survives the pipe
    assert forked == report_files([insurer], 200, 7)
    assert forked[0].simulation is not None


def test_background_work_falls_back_to_this_process(
        three_workers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def die() -> int:
        if os.getpid() != parent:
            os._exit(9)
        return os.getpid()

    parent = os.getpid()
    assert parallel.background(die)() == parent  # the child died: computed here instead
    release = threading.Event()
    running = threading.Thread(target=release.wait)
    running.start()
    try:  # a fork would copy only this thread: the work is simply this process's
        assert parallel.background(os.getpid) is os.getpid
    finally:
        release.set()
        running.join()

    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    assert parallel.background(os.getpid)() == parent


def test_json_entries_written_by_the_workers_give_the_same_text(three_workers: None) -> None:
    # compare --format json writes each file's entry where it is computed (json_format.
    # written): the document is the text of writing every entry at the end, in one
    # process.
    from kpo_calc.render import json_format

    ahead = api.compare_files(FILES, then=json_format.written)
    assert all(o.part is not None for o in ahead if o.result is not None)
    parallel.PARALLEL_FROM = 10**9
    alone = api.compare_files(FILES)
    assert all(o.part is None for o in alone)
    options = RenderOptions()
    assert json_format.render(ahead, options) == json_format.render(alone, options)
