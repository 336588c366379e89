"""``simulate --format markdown``: the verdict, the spread and the value of information, for
a pull-request comment or a job summary."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.formatting import money
from kpo_calc.outcome import SimulationOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.markdown import error_lines
from kpo_calc.render.sim_words import (
    ALTERNATIVE_HEADS,
    ALTERNATIVE_LEGEND,
    alternative_row,
    clipped_note,
    evpi_line,
    gate_line,
    heading,
    histogram_bars,
    infeasible_note,
    move_notes,
    shown_alternatives,
    verdict,
    worth,
    worth_sentence,
)
from kpo_calc.textsafe import md_code, md_text


def render(outcomes: Sequence[SimulationOutcome], options: RenderOptions) -> str:
    """Every simulated scenario as a Markdown section; broken files listed first."""
    lines = error_lines(outcomes)
    for o in outcomes:
        r = o.result
        if r is None:
            continue
        lines += ["", f"## {md_text(r.name)}", "", md_text(heading(r, o.file)), "",
                  f"**{md_text(verdict(r))}**", "",
                  "| " + " | ".join(ALTERNATIVE_HEADS) + " |",
                  "| --- |" + " ---: |" * (len(ALTERNATIVE_HEADS) - 1)]
        lines += ["| " + " | ".join(md_text(c) for c in alternative_row(a)) + " |"
                  for a in shown_alternatives(r)]
        lines += ["", f"_{md_text(ALTERNATIVE_LEGEND)}_", ""]
        left = infeasible_note(r)
        if left is not None:
            lines += [md_text(left), ""]
        lines += [f"- {md_text(n)}" for n in move_notes(r)]
        if r.histogram is not None:
            lines += ["", f"Savings of {md_text(r.histogram.alternative)} against "
                      f"{md_text(r.baseline)} ({md_text(r.currency)}):", "",
                      "| Savings | | Trials |", "| --- | --- | ---: |"]
            lines += [f"| {span} | {bar} | {count} |" for span, bar, count in histogram_bars(r)]
        lines += ["", md_text(evpi_line(r)), ""]
        if r.value_of_information and r.evpi > 0:
            lines += [f"| Input | Distribution | EVPPI ({md_text(r.currency)}) | "
                      "Worth a study |", "| --- | --- | ---: | --- |"]
            lines += [f"| {md_code(v.input, table=True)} | {md_text(v.distribution)} | "
                      f"{money(v.evppi)} | {'yes' if worth(r, v.evppi) else 'no'} |"
                      for v in r.value_of_information[:10]]
            lines.append("")
        advice = worth_sentence(r)
        if advice is not None:
            lines += [f"**{md_text(advice)}**", ""]
        note = clipped_note(r)
        if note is not None:
            lines += [f"_{md_text(note)}_", ""]
        gate = gate_line(o)
        if gate is not None:
            lines += [(":x: " if not o.gate_passed else "") + md_text(gate), ""]
    return "\n".join(lines).strip("\n") + "\n"
