"""The report's uncertainty part: how sure the answer is (``simulate``), what learning an
input is worth (the value of information) and which inputs drive the savings
(``sensitivity``), in those commands' own sentences."""

from __future__ import annotations

from kpo_calc.engine.sensitivity import TOP
from kpo_calc.render import sim_words
from kpo_calc.render.tornado_words import sensitivity_heading, switch_sentence, tornado_cells
from kpo_calc.report import charts
from kpo_calc.report.content import FileReport
from kpo_calc.report.markup import Cell, Row, amount, chart, figure, paragraph, table


def uncertainty_blocks(key: str, f: FileReport) -> list[str]:
    """The simulation's verdict, its alternatives, the savings histogram, the value of
    information, then the tornado."""
    out = ["<h3>Uncertainty</h3>"]
    sim = f.simulation
    if sim is not None:
        out += [paragraph(sim_words.heading(sim, f.file), "meta"),
                paragraph(sim_words.verdict(sim))]
        rows: list[Row] = []
        for a in sim_words.shown_alternatives(sim):
            s = a.savings
            rows.append([Cell(a.name, field="name"), amount(a.metric.mean, "metric_mean"),
                         amount(s.mean, "savings_mean"), amount(s.p5, "savings_p5"),
                         amount(s.p50, "savings_p50"), amount(s.p95, "savings_p95"),
                         figure(sim_words.share(a.p_cheapest), "p_cheapest"),
                         figure(sim_words.share(a.p_clears), "p_clears"),
                         figure(sim_words.share(a.p_recommended), "p_recommended")])
        out.append(table(f"{key}-simulation", f"Over {sim.trials:,} trials ({sim.currency})",
                         ["Alternative", *(figure(h) for h in (
                             "Mean", "Savings", "Savings P5", "Savings P50", "Savings P95",
                             "Cheapest", "Clears", "Picked"))], rows,
                         chosen=sim.recommendation.option,
                         note="Mean: the metric's mean; Savings: against the baseline; "
                              "Cheapest, Clears (every move included) and Picked: the share "
                              "of trials."))
        out += [paragraph(note, "note") for note in sim_words.move_notes(sim)]
        if sim.histogram is not None:
            out.append(chart(charts.histogram(sim, f"{key}-hist"),
                             f"Savings of {sim.histogram.alternative} over {sim.trials:,} "
                             "trials; the dashed line is no saving."))
        out.append(paragraph(sim_words.evpi_line(sim)))
        advice = sim_words.worth_sentence(sim)
        if advice is not None:
            out.append(paragraph(advice))
        if sim.value_of_information:
            out.append(table(f"{key}-voi", f"Value of information ({sim.currency})",
                             ["Input", "Distribution", figure("Worth learning (EVPPI)")],
                             [[v.input, v.distribution, amount(v.evppi, "evppi")]
                              for v in sim.value_of_information]))
        clipped = sim_words.clipped_note(sim)
        if clipped is not None:
            out.append(paragraph(clipped, "note"))
    sens = f.sensitivity
    if sens is not None and sens.rows:
        widest = max(row.swing for row in sens.rows)
        out += [chart(charts.tornado(sens, f"{key}-tornado"),
                      sensitivity_heading(sens, f.file) + "; blue: the input at its low "
                      "end, orange: at its high end; the line: the savings at the means"),
                paragraph(switch_sentence(sens))]
        rows = []
        for row in sens.rows[:TOP]:
            cells = tornado_cells(sens, row, widest)
            rows.append([cells[0], figure(cells[1]), amount(row.savings_low, "savings_low"),
                         amount(row.savings_high, "savings_high"), figure(cells[5])])
        out.append(table(f"{key}-tornado", f"Top {min(TOP, len(sens.rows))} of "
                         f"{len(sens.rows)} inputs by their effect on the savings "
                         f"({sens.currency}; ± a point input)",
                         ["Input", figure("Range"), figure("Savings at low"),
                          figure("Savings at high"), figure("Switches at")], rows))
    return out
