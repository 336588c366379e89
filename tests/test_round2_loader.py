"""Issue 13 (round 2), loader, validation and resource items: each class fixed at its root.

Item 4: huge number literals; item 8: the error path stays small; item 9: merge keys
count what they copy; item 12: ``--emit-plan`` round-trips hostile names; item 13:
``name: <<`` and a personnel threshold over a vendor baseline; item 17: every problem
reported at once, and ``--strict``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import TINY, run_cli
from kpo_calc.diagnostics import InputError
from kpo_calc.loader import MAX_DIGITS, parse_document
from kpo_calc.validation import check_document


def diagnostics(text: str) -> list[str]:
    try:
        doc = parse_document(text.encode(), "t.yaml")
    except InputError as exc:
        return [d.text() for d in exc.diagnostics]
    return [d.text() for d in check_document(doc)[1]]


def with_rate(literal: str) -> str:
    return TINY.replace("hourly_rate: 20", f"hourly_rate: {literal}")


# --- item 4: number literals of thousands of digits --------------------------------------

@pytest.mark.parametrize("literal", ["0x" + "F" * 5000, "0o" + "7" * 5000, "9" * 5000,
                                     "-" + "9" * 5000, "0x" + "F" * (MAX_DIGITS + 1)])
def test_a_huge_integer_literal_is_refused_before_conversion(literal: str) -> None:
    texts = diagnostics(with_rate(literal))
    assert len(texts) == 1, texts
    assert "digits, far beyond any amount a scenario holds" in texts[0]
    assert literal not in texts[0]
    assert len(texts[0]) < 300


def test_an_integer_at_the_digit_limit_is_read_and_shown_short() -> None:
    # 40 hex digits convert; the bound message shows the value in 6 significant digits.
    texts = diagnostics(with_rate("0x" + "F" * MAX_DIGITS))
    assert len(texts) == 1
    assert "hourly_rate: must be at most 10000000, got 1.4615e+48 (a sanity bound" in texts[0]


def test_leading_zeros_do_not_count_as_digits() -> None:
    assert diagnostics(with_rate("0" * 100 + "20")) == []


def test_a_huge_float_literal_is_shown_clipped() -> None:
    texts = diagnostics(with_rate("9" * 5000 + ".5"))
    assert len(texts) == 1
    assert "…(5,002 characters) is not a finite number" in texts[0]


@pytest.mark.parametrize("command", ["validate", "compare", "mix"])
def test_a_huge_literal_does_not_stop_a_batch(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "a-bad.yaml"
    bad.write_text(with_rate("0x" + "F" * 5000))
    good = tmp_path / "b-good.yaml"
    good.write_text(TINY)
    proc = run_cli(command, bad, good)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    assert "has 5,000 digits" in proc.stderr


def test_diff_reports_a_huge_literal(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(TINY)
    new = tmp_path / "new.yaml"
    new.write_text(with_rate("0o" + "7" * 5000))
    proc = run_cli("diff", old, new)
    assert proc.returncode == 2
    assert "has 5,000 digits" in proc.stderr


# --- item 13: `<<` as a value is text ------------------------------------------------------

def test_merge_sign_as_a_value_is_text_not_a_merge_tag() -> None:
    doc = parse_document(b"name: <<\nlist: [<<, a]\n", "t.yaml")
    assert doc.data == {"name": "<<", "list": ["<<", "a"]}
    assert doc.problems == ()
    assert diagnostics(TINY.replace("name: Tiny", "name: <<")) == []


# --- item 9: merge keys count what they copy ---------------------------------------------

def _mapping(keys: int, prefix: str = "k") -> str:
    return "{" + ", ".join(f"{prefix}{i}: {i}" for i in range(keys)) + "}"


def test_many_aliases_of_one_large_mapping_are_refused_at_once() -> None:
    text = f"a: &a {_mapping(15_000)}\nb: {{<<: [{', '.join(['*a'] * 150_000)}]}}\n"
    assert len(text) < 1_000_000
    start = time.perf_counter()
    texts = diagnostics(text)
    elapsed = time.perf_counter() - start
    assert texts == ["t.yaml:2:9: merge keys (<<) copy more than 50,000 values (large "
                     "mappings merged many times?); refused to bound memory and time"]
    assert elapsed < 5  # 220 s before; about 0.2 s now


def test_merged_values_are_counted_before_they_are_copied() -> None:
    # The top-level mapping is resolved before any value is built: four merges of
    # 15,000 keys would copy 60,000 values; they are refused before being copied.
    text = "".join(f"a{j}: &a{j} {_mapping(15_000)}\n" for j in range(4))
    texts = diagnostics(text + "<<: [*a0, *a1, *a2, *a3]\n")
    assert len(texts) == 1
    assert "merge keys (<<) copy more than 50,000 values" in texts[0]


def test_the_same_anchor_merged_twice_is_merged_once() -> None:
    doc = parse_document(b"a: &a {x: 1, y: 2}\nb: {<<: [*a, *a], y: 3}\n", "t.yaml")
    assert doc.data["b"] == {"y": 3, "x": 1}


# --- item 12: --emit-plan quotes what the loader would not read as that text --------------

#: Names that YAML 1.2 (kpo-calc's reading) takes for something else, that PyYAML's
#: YAML 1.1 rules leave bare, that no_commands would rewrite, or that need escapes.
HOSTILE_NAMES = [
    "0o10", "5e6", "+.5", "1e3", "08", "-.5", "0x1F", "1_000", ".inf", "::Reports", "true",
    "True", "yes", "~", "null", "", "<<", "- x", "a: b", "#x", "a #b", " lead", "trail ",
    "Café", "x\u2028y", "\u202eevil", "a\nb", "tab\there", "x\\y", "'q'", '"q"', "%x", "@x",
    "`x", "!x", "&x", "*x", "|", "> x", "?", "? x", "{a}", "[a]", ",x", "\U0001f600", "\x85",
    "\ufeffx", "1.0", "0", "A" * 200, "Claims data entry", "Mix #1",
]


def test_plans_yaml_round_trips_every_hostile_name() -> None:
    from kpo_calc.render.mix_plan import plans_yaml
    from kpo_calc.textsafe import no_commands

    assign: dict[str, object] = {name: name for name in HOSTILE_NAMES}
    assign["split"] = {"0o10": 0.5, "::Reports": 0.5}
    for plan_name in HOSTILE_NAMES:
        text = no_commands(plans_yaml(plan_name, assign))
        doc = parse_document(text.encode(), "plan.yaml")
        assert doc.problems == ()
        assert doc.data == {"plans": [{"name": plan_name, "assign": assign}]}, text


def test_plain_names_stay_plain() -> None:
    from kpo_calc.render.mix_plan import plans_yaml

    text = plans_yaml("Claims to BPO", {"Claims data entry": "BPO Philippines (Manila)"})
    assert text == ("plans:\n- name: Claims to BPO\n  assign:\n"
                    "    Claims data entry: BPO Philippines (Manila)\n")


def test_emitted_plan_with_hostile_names_pastes_back_exactly(tmp_path: Path) -> None:
    import json

    from kpo_calc import api
    from test_mix import data

    d = data(0.1)
    options = {"Clerks": "0o10", "Analysts": "true", "BPO": "5e6", "KPO": "- x"}
    work = {"Entry": "::Reports", "Analysis": "08", "Project": "<<"}
    for o in d["options"]:
        o["name"] = options[o["name"]]
        if o.get("serves"):
            o["serves"] = [work[w] for w in o["serves"]]
    for w in d["work"]:
        w["name"] = work[w["name"]]
    d["plans"] = [{"name": "Today", "assign": {work[w]: options[to] for w, to in
                                               d["plans"][0]["assign"].items()}}]
    path = tmp_path / "hostile.yaml"
    path.write_text(json.dumps(d))  # JSON is YAML with every name quoted
    emitted = run_cli("mix", "--emit-plan", path)
    assert emitted.returncode == 0, emitted.stderr
    assert "\\x3a" not in emitted.stdout
    entry = parse_document(emitted.stdout.encode(), "emitted.yaml").data["plans"][0]
    assert set(entry["assign"]) == set(work.values())
    assert set(entry["assign"].values()) <= set(options.values())
    pasted = tmp_path / "pasted.yaml"
    pasted.write_text(json.dumps({**d, "plans": [*d["plans"], entry]}))
    result = api.compare(pasted)
    assert result.option(entry["name"]).kind == "plan"


# --- item 8: the error path stays small ---------------------------------------------------

def amplifier(plans: int = 1, entries: int = 200) -> str:
    """50 options with near-identical 199-character names, and plans whose every entry
    names an option that does not exist (the red team's 71 KB file, 36 CPU-s before)."""
    options = ["O" * 190 + f"{i:09d}" for i in range(50)]
    lines = ["version: 1", "name: amp", "currency: USD", "horizon_months: 12", "work:"]
    lines += [f"  - {{name: w{i}, kind: recurring, hours_per_month: 10, specialization: low}}"
              for i in range(200)]
    lines += ["options:", *(f"  - {{name: {o}, model: bpo, hourly_rate: 5}}" for o in options)]
    lines += ["plans:"]
    for p in range(plans):
        lines += [f"  - name: p{p}", "    assign:"]
        lines += [f"      w{i}: {'O' * 190}X{i:08d}" for i in range(entries)]
    return "\n".join(lines) + "\n"


def test_a_file_of_bad_references_costs_little_and_says_little(tmp_path: Path) -> None:
    path = tmp_path / "amp.yaml"
    path.write_text(amplifier(plans=20))
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    proc = run_cli("validate", path)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == (f"{path}: and 3,950 more errors (at most 50 are listed per file): "
                         "fix those above, then run again")
    assert max(map(len, lines)) < 1_000  # 10 names of at most 60 characters, not 50 of 199
    assert "and 40 more" in lines[0]
    assert "did you mean" not in proc.stderr  # skipped over names this long
    assert elapsed < 5  # 44 s for one such plan before; about 0.3 s now


def test_at_most_50_errors_are_listed_and_warnings_are_kept() -> None:
    from kpo_calc.diagnostics import Diagnostic, capped

    many = [Diagnostic("f", i, 1, f"e{i}") for i in range(1, 53)]
    warning = Diagnostic("f", 9, 1, "w", severity="warning")
    out = capped([*many, warning])
    assert out[:50] == many[:50]
    assert out[50] == warning
    assert out[51].message.startswith("and 2 more errors (at most 50 are listed per file)")
    assert capped(many[:50]) == many[:50]


def test_did_you_mean_still_helps_with_short_names() -> None:
    from kpo_calc.scenario import did_you_mean, listing

    assert did_you_mean("KPO Pnue", ["KPO Pune", "BPO"]) == "; did you mean 'KPO Pune'?"
    assert did_you_mean("X" * 61, ["X" * 61]) == ""
    assert listing(["a", "b"]) == "a, b"
    assert listing([f"n{i}" for i in range(12)]) == "n0, n1, n2, n3, n4, n5, n6, n7, n8, n9 " \
                                                     "and 2 more"
    assert listing(["L" * 70]) == "L" * 59 + "…"


def test_a_plan_assigns_at_most_one_entry_per_allowed_work_item() -> None:
    lines = amplifier(entries=0).splitlines()
    text = "\n".join(lines) + "\n" + "".join(f"      w{i}: {'O' * 190}000000000\n"
                                             for i in range(201))
    texts = diagnostics(text)
    assert len(texts) == 1
    assert "plans[0].assign: has 201 entries; at most 200 are allowed (one per work item)" \
        in texts[0]


# --- item 13: threshold_base personnel over a baseline without staff -----------------------

def _personnel(baseline: str, plans: str = "") -> str:
    return (TINY.replace("name: Tiny", "name: Tiny\ndecision:\n  threshold_base: personnel\n"
                         f"  baseline: {baseline}") + plans)


def warnings_of(text: str) -> list[str]:
    _, found = check_document(parse_document(text.encode(), "t.yaml"))
    return [d.text() for d in found if d.severity == "warning"]


def test_personnel_base_over_a_vendor_baseline_warns() -> None:
    found = [w for w in warnings_of(_personnel("Vendor")) if "threshold_base" in w]
    assert found == ["t.yaml:4:19: warning: decision.threshold_base: the baseline 'Vendor' has "
                     "no in_house option, so it pays no salaries or benefits: its personnel "
                     "cost is 0, the required saving is 0 and any saving clears; use "
                     "threshold_base: cost, or a baseline that keeps staff in-house"]


def test_personnel_base_over_a_plan_of_vendors_warns_and_with_staff_does_not() -> None:
    vendors = "plans:\n  - {name: Out, assign: {Analysis: Vendor, Study: Vendor}}\n"
    mixed = "plans:\n  - {name: Out, assign: {Analysis: Team, Study: Vendor}}\n"
    assert any("baseline 'Out' has no in_house option" in w
               for w in warnings_of(_personnel("Out", vendors)))
    assert not any("threshold_base" in w for w in warnings_of(_personnel("Out", mixed)))
    assert not any("threshold_base" in w for w in warnings_of(_personnel("Team")))


# --- item 17: validation in stages ---------------------------------------------------------

STAGES = """\
version: 1
name: Stages
currency: USD
horizon_months: 24
discount_rate: 8%
work:
  - {name: Reports, kind: recurring, hours_per_month: 300, specialization: medium}
  - {name: Study, kind: one_off, total_hours: 300, start_month: 2, duration_months: 3,
     specialization: medium}
options:
  - {name: In-house, model: in_house, annual_salary: 90000, benefits_rate: 30%}
  - {name: KPO, model: kpo, hourly_rate: 4%}
plans:
  - name: Half
    assign:
      Reports: KPO
decision:
  baseline: In-hose
  min_savings: 10%
"""


def test_field_errors_and_checks_across_fields_are_reported_at_once() -> None:
    assert diagnostics(STAGES) == [
        "t.yaml:5:16: discount_rate: must be a number, got the text '8%'; did you mean 0.08? "
        "(rates are fractions, without %)",
        "t.yaml:11:76: options[0].benefits_rate: must be a number, got the text '30%'; did "
        "you mean 0.3? (rates are fractions, without %)",
        "t.yaml:12:42: options[1].hourly_rate: must be a number, got the text '4%'; did you "
        "mean 0.04? (rates are fractions, without %)",
        "t.yaml:16:7: plans[0].assign: plan 'Half' does not assign 'Study'; give every work "
        "item an option or shares",
        "t.yaml:18:13: decision.baseline: no option or plan is named 'In-hose' (did you mean "
        "'In-house'?); the options are: In-house, KPO; the plans are: Half",
        "t.yaml:19:16: decision.min_savings: must be a number, got the text '10%'; did you "
        "mean 0.1? (rates are fractions, without %)",
    ]


def test_fixing_the_fields_reveals_nothing_new() -> None:
    fixed = (STAGES.replace("8%", "0.08").replace("30%", "0.3").replace("4%", "40")
             .replace("10%", "0.1"))
    assert [t.split(": ", 2)[1] for t in diagnostics(fixed)] == ["plans[0].assign",
                                                                  "decision.baseline"]


@pytest.mark.parametrize(("change", "silent"), [
    # a name that cannot be read: references to it are not judged
    (("name: KPO,", "name: '',"), "no option or plan is named"),
    # an exchange rate that cannot be read: options priced in it are not judged
    (("currency: USD\n", "currency: USD\nfx: {INR: 0.012x}\n"), "no exchange rate"),
    # a work item that cannot be read: plans that assign it are not judged
    (("kind: one_off,", "kind: once,"), "does not assign"),
    # the horizon cannot be read: months are not judged against it
    (("horizon_months: 24", "horizon_months: two years"), "after the horizon"),
])
def test_checks_that_would_read_a_broken_part_wait(change: tuple[str, str], silent: str) -> None:
    text = STAGES.replace("  baseline: In-hose\n", "  baseline: KPO\n").replace(*change)
    text = text.replace("model: kpo,", "model: kpo, currency: INR,") if "fx" in change[1] else text
    if "horizon" in change[0]:
        text += "stress:\n  - {name: Late, from_month: 30, demand_change: 0.1}\n"
    found = diagnostics(text)
    assert found, text
    assert not any(silent in t for t in found), found


def test_every_cross_field_check_has_its_needs_declared() -> None:
    from kpo_calc.scenario import CROSS_CHECKS, EXACT, NAMES, Scenario

    for check, needs in CROSS_CHECKS:
        assert needs, check
        assert set(needs) <= set(Scenario.model_fields), check
        assert set(needs.values()) <= {NAMES, EXACT}, check


# --- item 17: --strict --------------------------------------------------------------------

def _warned(tmp_path: Path) -> Path:
    path = tmp_path / "warned.yaml"
    path.write_text(TINY.replace("fx: {EUR: 1.5}", "fx: {EUR: 1.5, PHP: 0.018}"))
    return path


@pytest.mark.parametrize("command", ["validate", "compare", "mix"])
def test_strict_makes_warnings_fail_the_run(tmp_path: Path, command: str) -> None:
    path = _warned(tmp_path)
    lenient = run_cli(command, path)
    assert lenient.returncode == 0, lenient.stderr
    assert "warning: fx.PHP: no option is priced in PHP" in lenient.stderr
    strict = run_cli(command, "--strict", path)
    assert strict.returncode == 1
    assert "warning: fx.PHP: no option is priced in PHP" in strict.stderr
    assert strict.stderr.endswith("kpo-calc: --strict: the run fails on 1 warning in 1 file\n")
    assert strict.stdout == lenient.stdout  # the report is the same; only the exit code differs


@pytest.mark.parametrize("command", ["validate", "compare", "mix"])
def test_strict_passes_a_clean_file_and_errors_stay_exit_2(tmp_path: Path,
                                                           command: str) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(TINY)
    assert run_cli(command, "--strict", clean).returncode == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(TINY.replace("hourly_rate: 20", "hourly_rate: 20%"))
    proc = run_cli(command, "--strict", broken, _warned(tmp_path))
    assert proc.returncode == 2
    assert "--strict" not in proc.stderr


def test_strict_is_documented_in_help() -> None:
    for command in ("validate", "compare", "mix"):
        assert "--strict" in run_cli(command, "--help").stdout
