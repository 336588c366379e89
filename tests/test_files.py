"""Files at the edges: the bounded reader, the safe writer, and how the CLI uses them.

Hostile cases from the red-team pass (issue 7 items 5, 6, 10, 13): devices, FIFOs,
planted links, outputs that are inputs, kills mid-write, closed stdout, symlink loops.
Each is refused with a clear message and exit 2, and nothing is written or replaced.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY, run_cli
from kpo_calc import api, cli, files
from kpo_calc.diagnostics import InputError


def message(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.diagnostics[0].text()


def last_line(stderr: str) -> str:
    """The error, after any warnings about the scenario itself."""
    return stderr.splitlines()[-1]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the bounded reader ---------------------------------------------------------------


def test_reader_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as exc:
        files.read_regular(fifo, 100)  # nobody writes to it: reading would block forever
    assert message(exc) == (f"{fifo}: is a named pipe (FIFO), not a regular file; only "
                            "regular files are read (copy the content to a file first)")
    _, diagnostics = api.check_file(fifo)
    assert [d.message for d in diagnostics] == [exc.value.diagnostics[0].message]


def test_reader_refuses_a_device_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        files.read_regular("/dev/zero", 100)
    assert "/dev/zero: is a device, not a regular file" in message(exc)
    with pytest.raises(InputError) as exc:
        files.read_regular(tmp_path, 100)
    assert "is a directory, not a scenario file" in message(exc)


def test_reader_reads_at_most_one_byte_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 5000)
    assert len(files.read_regular(path, 10)) == 10 + 1
    assert files.read_regular(path, 6000) == b"x" * 5000


def test_fail_on_change_report_from_dev_zero_is_refused(write_scenario) -> None:
    proc = run_cli("compare", write_scenario(), "--fail-on-change", "/dev/zero")
    assert proc.returncode == 2
    assert proc.stderr == ("kpo-calc: /dev/zero: is a device, not a regular file; only "
                           "regular files are read (copy the content to a file first)\n")


def test_report_over_the_cap_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(api, "MAX_REPORT_BYTES", 100)
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"scenarios": [], "pad": "x" * 100}))
    with pytest.raises(InputError) as exc:
        api.previous_recommendations(report)
    assert message(exc).startswith(f"{report}: the file is larger than 100 bytes")
    report.write_text(json.dumps({"scenarios": []}))  # under the cap: read
    assert api.previous_recommendations(report) == {}


def test_deeply_nested_report_is_a_clear_error(write_scenario, tmp_path: Path) -> None:
    report = tmp_path / "deep.json"
    report.write_text("[" * 200_000 + "]" * 200_000)
    proc = run_cli("compare", write_scenario(), "--fail-on-change", report)
    assert proc.returncode == 2
    assert proc.stderr == (f"kpo-calc: {report}: not a kpo-calc JSON report (make one with "
                           "`kpo-calc compare --format json`): nested too deeply\n")


# --- the safe writer ------------------------------------------------------------------


def test_new_file_gets_the_umask_mode_and_a_replaced_file_keeps_its_mode(
        tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        new = tmp_path / "new.txt"
        files.write_safely(new, "a")
        assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~0o027  # 0640, not mkstemp's 0600
    finally:
        os.umask(old)
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    files.write_safely(private, "new")
    assert private.read_text() == "new"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink"])
def test_writer_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to(victim)  # a planted link must not redirect the write
    with pytest.raises(InputError) as exc:
        files.write_safely(target, "report")
    words = {"fifo": "a named pipe (FIFO)", "directory": "a directory",
             "symlink": "a symbolic link"}[kind]
    assert message(exc).startswith(f"{target}: is {words}; refusing to replace it")
    assert victim.read_text() == "keep"
    assert os.path.lexists(target)
    assert leftovers(tmp_path) == []


def test_writer_never_replaces_a_device() -> None:
    before = os.stat("/dev/null")
    with pytest.raises(InputError) as exc:
        files.write_safely("/dev/null", "report")
    assert message(exc) == ("/dev/null: is a device; refusing to replace it (choose a "
                            "regular file to write to)")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_writer_refuses_inputs_by_path_link_or_inode(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY)
    hard = tmp_path / "hard.yaml"
    os.link(scenario, hard)
    soft = tmp_path / "soft.yaml"
    soft.symlink_to(scenario)
    for target, inputs in ((scenario, [scenario]), (hard, [scenario]),
                           (scenario, [soft]), (tmp_path / "." / "s.yaml", [scenario])):
        with pytest.raises(InputError) as exc:
            files.write_safely(target, "report", inputs=inputs)
        assert "is an input of this run; refusing to overwrite it" in message(exc)
    assert scenario.read_text() == TINY


def test_no_replace_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("mine")
    with pytest.raises(InputError) as exc:
        files.write_safely(path, "starter", replace=False)
    assert message(exc) == (f"{path}: already exists; choose another path or pass --force "
                            "to overwrite it")
    assert path.read_text() == "mine"
    files.write_safely(tmp_path / "fresh.yaml", "starter", replace=False)
    assert (tmp_path / "fresh.yaml").read_text() == "starter"
    assert leftovers(tmp_path) == []


def test_temporary_name_is_unpredictable(tmp_path: Path) -> None:
    # The old writer used ".NAME.PID.tmp": a link planted there was followed.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out.md"
    (tmp_path / f".out.md.{os.getpid()}.tmp").symlink_to(victim)
    files.write_safely(out, "report")
    assert victim.read_text() == "keep"
    assert out.read_text() == "report"


@pytest.mark.parametrize("failure", ["oserror", "interrupt", "sigterm"])
def test_temporary_file_is_removed_on_failure(tmp_path: Path, monkeypatch,
                                              failure: str) -> None:
    out = tmp_path / "out.md"
    out.write_text("previous")
    handler = signal.getsignal(signal.SIGTERM)

    def fail(_fd: int) -> None:
        if failure == "oserror":
            raise OSError(28, "No space left on device")
        if failure == "interrupt":
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)  # delivered here, in the main thread

    monkeypatch.setattr(files.os, "fsync", fail)
    expected: type[BaseException] = {"oserror": InputError, "interrupt": KeyboardInterrupt,
                                      "sigterm": files.Terminated}[failure]
    with pytest.raises(expected):
        files.write_safely(out, "half")
    assert out.read_text() == "previous"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is handler


def test_undecodable_output_name_is_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff-report.md")
    files.write_safely(tmp_path / name, "report")
    assert (tmp_path / name).read_text() == "report"
    with pytest.raises(InputError) as exc:
        files.write_safely(tmp_path / "missing" / name, "report")
    assert message(exc) == (f"{tmp_path}/missing/\\xff-report.md: cannot write: the folder "
                            "does not exist; create it first")


# --- the CLI ----------------------------------------------------------------------------


def test_output_equal_to_an_input_is_refused(write_scenario, tmp_path: Path) -> None:
    path = write_scenario()
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"scenarios": []}))
    for output in (path, report):
        proc = run_cli("compare", path, "--fail-on-change", report, "-o", output)
        assert proc.returncode == 2
        assert last_line(proc.stderr) == (f"{output}: is an input of this run; refusing to "
                                          "overwrite it (choose another output file)")
    assert path.read_text() == TINY
    assert json.loads(report.read_text()) == {"scenarios": []}


def test_output_to_a_fifo_is_refused(write_scenario, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    proc = run_cli("compare", write_scenario(), "-o", fifo)
    assert proc.returncode == 2
    assert "is a named pipe (FIFO); refusing to replace it" in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_init_keeps_an_existing_file_and_force_keeps_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("mine")
    proc = run_cli("init", path)
    assert (proc.returncode, path.read_text()) == (2, "mine")
    assert "already exists; choose another path or pass --force" in proc.stderr
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "link.yaml"
    link.symlink_to(victim)
    proc = run_cli("init", "--force", link)
    assert proc.returncode == 2
    assert victim.read_text() == "keep"
    proc = run_cli("init", "--force", path)
    assert proc.returncode == 0
    assert path.read_text().startswith("#")


def test_undecodable_names_with_output_and_step_summary(write_scenario, tmp_path: Path) -> None:
    out = tmp_path / os.fsdecode(b"r\xff.md")
    summary = tmp_path / os.fsdecode(b"sum\xff.md")
    proc = run_cli("compare", write_scenario(), "-o", out, "--step-summary",
                   env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("Tiny")
    assert "| Option |" in summary.read_text() or summary.read_text().startswith("#")
    proc = run_cli("compare", write_scenario(), "-o", tmp_path / "no" / "r\udcff.md")
    assert proc.returncode == 2
    assert "no/r\\xff.md: cannot write: the folder does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_step_summary_that_is_not_a_regular_file(write_scenario, tmp_path: Path) -> None:
    fifo = tmp_path / "summary"
    os.mkfifo(fifo)
    proc = run_cli("compare", write_scenario(), "--step-summary",
                   env={"GITHUB_STEP_SUMMARY": str(fifo)})
    assert proc.returncode == 2
    assert last_line(proc.stderr) == (f"kpo-calc: --step-summary: {fifo}: is a named pipe "
                                      "(FIFO); only a regular file is appended to")


def test_closed_stdout_is_a_clear_error(write_scenario) -> None:
    proc = subprocess.run([sys.executable, "-m", "kpo_calc", "compare", str(write_scenario())],
                          stderr=subprocess.PIPE, text=True, check=False, timeout=120,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert last_line(proc.stderr) == ("kpo-calc: standard output is closed; nothing printed "
                                      "(redirect it, or write to a file with --output)")


def test_broken_pipe_exits_quietly(write_scenario) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kpo_calc", "compare", str(write_scenario())],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written (`| head -0`)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert [line for line in stderr.splitlines() if ": warning: " not in line] == []


@pytest.mark.parametrize(("columns", "width"), [
    ("99999999", cli.MAX_WIDTH), ("5", cli.MIN_WIDTH), ("80", 80), ("abc", cli.DEFAULT_WIDTH),
    ("-3", cli.DEFAULT_WIDTH), ("", cli.DEFAULT_WIDTH)])
def test_columns_is_clamped_and_nonsense_ignored(monkeypatch, columns: str, width: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(sys, "stdout", open(os.devnull, "w"))  # noqa: SIM115 - not a terminal
    try:
        assert cli._width() == width
    finally:
        sys.stdout.close()


def test_huge_columns_does_not_make_huge_output(write_scenario) -> None:
    proc = run_cli("compare", write_scenario(), env={"COLUMNS": "99999999"})
    assert proc.returncode == 0
    assert max(len(line) for line in proc.stdout.splitlines()) <= cli.MAX_WIDTH


# --- finding files ----------------------------------------------------------------------


def test_files_are_ordered_naturally(tmp_path: Path) -> None:
    names = ["bpo11.yaml", "bpo7.yaml", "BPO8.yaml", "bpo8.yaml", "a10/x.yaml", "a9/x.yaml",
             "a9/x2.yaml"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(TINY)
    paths, problems = api.expand_paths([str(tmp_path)])
    assert problems == []
    assert [os.path.relpath(p, tmp_path) for p in paths] == [
        "a9/x.yaml", "a9/x2.yaml", "a10/x.yaml", "bpo7.yaml", "BPO8.yaml", "bpo8.yaml",
        "bpo11.yaml"]


def test_folders_and_double_star_do_not_follow_folder_links(tmp_path: Path,
                                                            monkeypatch) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.yaml").write_text(TINY)
    (root / "sub" / "loop").symlink_to(root)  # a loop
    (root / "slash").symlink_to("/")  # everything
    (root / "b.yaml").symlink_to(root / "sub" / "a.yaml")  # a link to a file is fine
    monkeypatch.chdir(tmp_path)
    expected = ["root/b.yaml", "root/sub/a.yaml"]
    for arg in ("root", "root/**/*.yaml", "**/*.yaml", f"{tmp_path}/**/*.y*ml", "root/**"):
        paths, problems = api.expand_paths([arg])
        assert [os.path.relpath(p, tmp_path) for p in paths] == expected, arg
        assert problems == []


def test_glob_keeps_glob_rules_for_hidden_names(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.yaml").write_text(TINY)
    (tmp_path / ".dot.yaml").write_text(TINY)
    (tmp_path / "v.yaml").write_text(TINY)
    monkeypatch.chdir(tmp_path)
    assert api.expand_paths(["**/*.yaml"])[0] == ["v.yaml"]
    assert api.expand_paths([".*.yaml"])[0] == [".dot.yaml"]


def test_gate_option_typos_get_a_suggestion(write_scenario) -> None:
    path = write_scenario()
    proc = run_cli("compare", path, "--expect", "vendor", "--budget", "Teem=100",
                   "--min-savings", "Zzz=0.1")
    assert proc.returncode == 2
    assert proc.stderr == ("kpo-calc: no scenario has an option or plan named 'Zzz', 'Teem' "
                           "(did you mean 'Team'?), 'vendor' (did you mean 'Vendor'?) (given "
                           "to --expect, --min-savings or --budget)\n")
    assert api.closest("Vendr", ["Team", "Vendor"]) == "Vendor"
    assert api.closest("Zzz", ["Team", "Vendor"]) is None


@pytest.mark.parametrize(("text", "value"), [
    ("5000000", 5_000_000), ("5e6", 5_000_000), (" 1250.5 ", 1250.5), ("0.15", 0.15),
    (".5", 0.5), ("+3", 3)])
def test_gate_numbers_as_people_write_them(text: str, value: float) -> None:
    assert cli._number(text, "--budget") == value


@pytest.mark.parametrize(("text", "error"), [
    # read as a scenario file reads numbers (YAML 1.2), with the same hints
    ("4,45", "'4,45' is not a number; decimal comma? did you mean 4.45?"),
    ("5,000,000", "'5,000,000' is not a number; write 5000000 (no thousands separators)"),
    ("1_000", "'1_000' is not a number; write 1000 (no digit separators)"),
    ("25%", "'25%' is not a number; did you mean 0.25?"),
    ("lots", "'lots' is not a number"),
    ("1e400", "'1e400' is not a finite number"),
    ("nan", "'nan' is not a number"), ("inf", "'inf' is not a number")])
def test_gate_numbers_that_are_refused(capsys, text: str, error: str) -> None:
    import typer

    with pytest.raises(typer.Exit) as exc:
        cli._number(text, "--min-savings")
    assert exc.value.exit_code == 2
    assert capsys.readouterr().err.startswith(f"kpo-calc: --min-savings: {error}")


def test_a_kill_while_writing_ends_the_run_with_the_signal_code(monkeypatch, capsys) -> None:
    def killed(**_kwargs: object) -> None:
        raise files.Terminated(signal.SIGTERM)

    monkeypatch.setattr(cli, "app_for", lambda _argv: killed)
    with pytest.raises(SystemExit) as exc:
        cli.run()
    assert exc.value.code == 128 + signal.SIGTERM
    assert capsys.readouterr().err == "terminated\n"


def test_stdout_that_cannot_be_written_is_a_clear_error(write_scenario) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "kpo_calc", "compare",
                               str(write_scenario())], stdout=full, stderr=subprocess.PIPE,
                              text=True, check=False, timeout=120)
    assert proc.returncode == 2
    assert last_line(proc.stderr) == ("kpo-calc: cannot write to standard output: No space "
                                      "left on device")


@pytest.mark.parametrize("command", ["compare", "report"])
def test_an_output_ending_with_a_slash_names_a_folder(tmp_path: Path, command: str) -> None:
    # pathlib drops the slash: "out.html/" used to write a file named out.html.
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY)
    target = tmp_path / "out.html"
    proc = run_cli(command, str(scenario), "-o", f"{target}/")
    assert proc.returncode == 2
    assert f"{target}/ names a folder (it ends with a slash); give a file name: {target} " \
        "without the slash, or a file in that folder" in " ".join(proc.stderr.split())
    assert list(tmp_path.iterdir()) == [scenario]
