"""`diff REVISION:PATH`: nothing the user types is ever read by git as an option, and
YAML is read only from a blob git confirms exists (issue 7 item 4)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import TINY, run_cli, tiny_data
from kpo_calc import api
from kpo_calc.diagnostics import InputError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with TINY committed as s.yaml and -dash.yaml, and a changed new.yaml."""
    git = shutil.which("git")
    assert git is not None
    root = tmp_path / "repo"
    root.mkdir()
    (root / "s.yaml").write_text(TINY)
    (root / "-dash.yaml").write_text(TINY)
    (root / "folder").mkdir()
    (root / "folder" / "keep").write_text("")
    for args in (["init", "-q"], ["add", "--", "."],
                 ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm",
                  "x"]):
        subprocess.run([git, *args], cwd=root, check=True, capture_output=True)
    data = tiny_data()
    data["options"][1]["hourly_rate"] = 80
    (root / "new.yaml").write_text(yaml.safe_dump(data))
    return root


def last_line(stderr: str) -> str:
    return stderr.splitlines()[-1]


def test_an_option_in_place_of_a_revision_is_refused(repo: Path, tmp_path: Path) -> None:
    written = tmp_path / "x"
    proc = run_cli("diff", "--", f"--output={written}:s.yaml", "new.yaml", cwd=repo)
    assert proc.returncode == 2
    assert last_line(proc.stderr) == (
        f"--output={written}:s.yaml: no such file, and git cannot show it as REVISION:PATH: "
        "the revision before ':' must be a branch, tag or commit, not empty nor starting "
        "with '-' (e.g. main:scenarios/x.yaml)")
    assert not written.exists()
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("spec", ["-p:s.yaml", "--exec=touch pwned:s.yaml", ":s.yaml"])
def test_revisions_that_git_could_read_as_options(repo: Path, monkeypatch, spec: str) -> None:
    monkeypatch.chdir(repo)
    with pytest.raises(InputError) as exc:
        api.read_version(spec)
    assert "the revision before ':' must be a branch, tag or commit" in str(exc.value)
    assert not (repo / "pwned").exists()


def test_paths_starting_with_a_dash_are_read_as_paths(repo: Path) -> None:
    from_git = run_cli("diff", "HEAD:-dash.yaml", "new.yaml", cwd=repo)
    from_file = run_cli("diff", "--", "-dash.yaml", "new.yaml", cwd=repo)
    assert (from_git.returncode, from_file.returncode) == (0, 0)
    assert "HEAD:-dash.yaml → new.yaml" in from_git.stdout
    assert "-dash.yaml → new.yaml" in from_file.stdout
    assert from_git.stdout.replace("HEAD:-dash.yaml", "-dash.yaml") == from_file.stdout


@pytest.mark.parametrize(("spec", "reason"), [
    ("nobranch:s.yaml", "git knows no commit 'nobranch'"),
    ("HEAD:nope.yaml", "'nope.yaml' is not in HEAD (the path is from the top of the "
                       "repository)"),
    ("HEAD:folder", "'folder' in HEAD is a tree, not a file"),
])
def test_only_an_existing_blob_is_read(repo: Path, monkeypatch, spec: str,
                                       reason: str) -> None:
    monkeypatch.chdir(repo)
    with pytest.raises(InputError) as exc:
        api.read_version(spec)
    assert exc.value.diagnostics[0].text() == (
        f"{spec}: no such file, and git cannot show it as REVISION:PATH: {reason}")


def test_a_blob_over_the_cap_is_not_read(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    monkeypatch.setattr(api, "MAX_BYTES", len(TINY) - 1)
    with pytest.raises(InputError) as exc:
        api.read_version("HEAD:s.yaml")
    assert exc.value.diagnostics[0].text().startswith(
        f"HEAD:s.yaml: the file is larger than {len(TINY) - 1:,} bytes")
    monkeypatch.setattr(api, "MAX_BYTES", len(TINY))
    assert api.read_version("HEAD:s.yaml").data["name"] == "Tiny"


def test_diff_output_may_not_replace_an_input(repo: Path) -> None:
    before = (repo / "new.yaml").read_text()
    proc = run_cli("diff", "HEAD:s.yaml", "new.yaml", "-o", "new.yaml", cwd=repo)
    assert proc.returncode == 2
    assert last_line(proc.stderr) == ("new.yaml: is an input of this run; refusing to "
                                      "overwrite it (choose another output file)")
    assert (repo / "new.yaml").read_text() == before
