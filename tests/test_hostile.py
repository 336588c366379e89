"""Hostile and broken input that is easier to make than to commit: binary, encodings,
size, depth, paths. Each gets a clear diagnostic and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TINY, run_cli
from kpo_calc import api
from kpo_calc.loader import MAX_BYTES, MAX_DEPTH


def errors_of(path: Path) -> list[str]:
    _, diagnostics = api.check_file(path)
    return [d.text() for d in diagnostics if d.severity == "error"]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"version: 1\nname: \x00\x01\x02")
    assert errors_of(path) == [f"{path}:2:7: the file contains a NUL byte: it looks binary, "
                               "not a YAML text file"]


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"version: 1\nname: caf" + b"\xe9\n")  # latin-1 e-acute
    assert errors_of(path) == [f"{path}:2:10: invalid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_utf16(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(TINY.encode("utf-16"))
    assert errors_of(path) == [f"{path}:1:1: the file is UTF-16; save it as UTF-8"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.encode())
    assert errors_of(path) == []


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(TINY + "# padding\n" * (MAX_BYTES // 10 + 1))
    (message,) = errors_of(path)
    assert message == (f"{path}: the file is larger than 1,000,000 bytes; a scenario is a short "
                       "hand-written file, so this is refused to bound memory and time")


def test_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    text = "version: 1\nname: x\ndecision:\n"
    for depth in range(MAX_DEPTH + 5):
        text += "  " * (depth + 1) + f"k{depth}:\n"
    path.write_text(text + "  " * (MAX_DEPTH + 6) + "v: 1\n")
    (message,) = errors_of(path)
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_directory_and_missing_path(tmp_path: Path) -> None:
    assert errors_of(tmp_path) == [f"{tmp_path}: is a directory, not a scenario file (pass "
                                   "the YAML files inside it, or a glob)"]
    missing = tmp_path / "nope.yaml"
    assert errors_of(missing) == [f"{missing}: no such file; check the path"]


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(TINY.replace("benefits_rate: 0.25", "benefits_rate: 25")
                    .replace("kind: one_off", "kind: once")
                    .replace("notice_months: 1", "notice_months: 1\n    notice: 2"))
    messages = errors_of(path)
    assert len(messages) == 3
    assert any("benefits_rate: must be at most 1" in m for m in messages)
    assert any("work[1].kind: must be one of recurring, one_off" in m for m in messages)
    assert any("unknown key 'notice'; did you mean 'notice_months'?" in m for m in messages)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(TINY.replace("currency: USD\n", "currency: USD\ncurrency: EUR\n"))
    assert errors_of(path) == [
        f"{path}:4:1: currency: duplicate key 'currency' (first defined at line 3); YAML "
        "parsers silently keep only the last one, so remove or rename one of them"]


def test_merge_keys_share_defaults(tmp_path: Path) -> None:
    # YAML anchors and merge keys are a common way to share assumptions; they work,
    # and an explicit key wins over a merged one.
    text = TINY.replace("  - name: Vendor\n    model: kpo\n",
                        "  - &vendor\n    name: Vendor\n    model: kpo\n")
    text = text.replace("stress:\n", "  - <<: *vendor\n    name: Vendor B\n    hourly_rate: 10\n"
                        "stress:\n")
    path = tmp_path / "merge.yaml"
    path.write_text(text)
    result = api.compare(path)
    assert result.option("Vendor B").lines["vendor_fees"] == pytest.approx(
        result.option("Vendor").lines["vendor_fees"] / 2)  # same hours at half the rate
    # Vendor's fees are 183,600 (test_engine_tiny); everything else is merged unchanged.
    assert result.option("Vendor B").lines["vendor_fees"] == pytest.approx(183_600 / 2)
    assert result.option("Vendor B").lines["transition"] == pytest.approx(6_000)


@pytest.mark.parametrize("text", ["version: 1\n" + "x: [" * 20000, "a: *nope\n", "- - - -\n",
                                  "version: 1\n? [a, b]\n: c\n", "{\n", "\t\n", "'\n"])
def test_odd_yaml_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr
