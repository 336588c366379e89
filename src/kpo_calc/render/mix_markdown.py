"""``mix --format markdown``: the verdict and the ranking, for a pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc.formatting import money, percent
from kpo_calc.outcome import MixOutcome
from kpo_calc.render import RenderOptions
from kpo_calc.render.markdown import error_lines
from kpo_calc.render.mix_json import expect_message, work_items
from kpo_calc.render.mix_words import cheapest_note, clears_word, search_note, single_note
from kpo_calc.render.robust_words import ROBUST_HEADS, ROBUST_LEGEND, plan_row, sentence, title
from kpo_calc.render.wording import METRIC_LABELS, reason, shares_text
from kpo_calc.textsafe import md_code, md_text


def render(outcomes: Sequence[MixOutcome], options: RenderOptions) -> str:
    """Every searched scenario as a Markdown section; broken files listed first."""
    lines = error_lines(outcomes)
    for o in outcomes:
        r = o.result
        if r is None:
            continue
        lines += ["", f"## {md_text(r.name)}", "",
                  f"{md_code(o.file)}: best sourcing plan against {md_text(r.baseline.name)} "
                  f"({METRIC_LABELS[r.metric]}, {md_text(r.currency)})", "",
                  f"**{md_text(reason(r.recommendation))}**", ""]
        if r.best is not None:
            lines += [f"Best plan, {md_text(r.best.result.name)}:", "",
                      "| Work | Goes to |", "| --- | --- |"]
            lines += [f"| {md_text(w)} | {md_text(shares_text(to))} |"
                      for w, to in r.best.result.assign.items()]
            lines.append("")
        # Plans × work items, as in the table format: one column per item.
        work = work_items(r)
        lines += [f"| # | Plan | {' | '.join(md_text(w) for w in work)} | "
                  f"{METRIC_LABELS[r.metric]} | Savings | Clears |",
                  "| ---: | --- |" + " --- |" * len(work) + " ---: | ---: | --- |"]
        lines += [f"| {p.rank} | {md_text(p.result.name)}"
                  " | "
                  + "".join(f"{md_text(shares_text(p.result.assign.get(w, {})))} | "
                            for w in work)
                  + f"{money(p.result.metric(r.metric))} | "
                  f"{money(p.result.savings_vs_baseline)} ({percent(p.result.savings_pct)}) | "
                  f"{clears_word(r, p)} |" for p in r.top]
        lines.append("")
        for note in (cheapest_note(r), single_note(r)):
            if note is not None:
                lines += [md_text(note), ""]
        if o.robust is not None:
            rr = o.robust
            lines += [f"**{md_text(sentence(rr, r.metric))}**", "",
                      f"{md_text(title(rr, r.metric))}:", "",
                      "| " + " | ".join(ROBUST_HEADS) + " |",
                      "| --- |" + " ---: |" * (len(ROBUST_HEADS) - 1)]
            lines += ["| " + " | ".join(md_text(c) for c in plan_row(rr, p)) + " |"
                      for p in rr.plans]
            lines += ["", f"_{md_text(ROBUST_LEGEND)}_", ""]
        if o.expect is not None:
            lines += [("Gate expect passed: " if o.expect_passed else
                       ":x: Gate expect failed: ") + md_text(expect_message(o)), ""]
        lines.append(f"_{md_text(search_note(r))}_")
    return "\n".join(lines).strip("\n") + "\n"
