"""``report -o FILE.html``: one self-contained, printable page.

No network and no script: the styles are inline, the charts are inline SVG, the
fonts are the reader's own, and a Content-Security-Policy forbids loading
anything, so the file opens offline and nothing in it can run. Deterministic:
no date, no random ids; the same files give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpo_calc._version import __version__
from kpo_calc.report.content import FileReport
from kpo_calc.report.markup import esc
from kpo_calc.report.sections import scenario_section

#: Nothing may load (not even from the file's own folder); inline styles may apply.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """\
@page { size: A4; margin: 12mm 11mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.45 system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1a1a1a; max-width: 200mm; margin: 0 auto; padding: 8mm; overflow-wrap: break-word; }
h1 { font-size: 17pt; margin: 0 0 0.2em; }
h2 { font-size: 14pt; margin: 0.2em 0 0.1em; }
h3 { font-size: 11.5pt; margin: 1.2em 0 0.3em; border-bottom: 1px solid #ccc; }
h1, h2, h3 { break-after: avoid; }
.meta, .note, figcaption, caption { color: #555; font-size: 8.5pt; }
.verdict { border-left: 4px solid #2e7d32; background: #f3f8f3; padding: 0.5em 1em;
  margin: 0.6em 0 1em; break-inside: avoid; }
.verdict .rec { font-size: 12.5pt; margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.2em; font-size: 8.5pt;
  break-inside: avoid; }
caption { text-align: left; font-weight: 600; color: #333; padding: 0.2em 0; }
th, td { padding: 2px 5px; border-bottom: 1px solid #e2e2e2; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
td:first-child { min-width: 8em; }
th { border-bottom: 1.5px solid #999; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr { break-inside: avoid; }
tr.chosen td { font-weight: 600; background: #eaf4ea; }
figure { margin: 0.6em 0 1em; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figure svg * { stroke-linejoin: round; stroke-linecap: butt; }
nav ol { padding-left: 1.4em; }
section.scenario + section.scenario, nav + section.scenario { break-before: page; }
footer { margin-top: 2em; }
.details { break-before: page; }
@media screen { section.scenario + section.scenario { border-top: 2px solid #ccc; } }
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  a { color: inherit; }
  table { font-size: 8pt; }
  h3 { margin-top: 0.8em; }
}
"""


def render(reports: Sequence[FileReport]) -> str:
    """The page for ``reports`` (each computed: callers stop at a broken file)."""
    done = [f for f in reports if f.result is not None]
    title = (done[0].result.name if len(done) == 1 and done[0].result is not None
             else f"{len(done)} scenarios")
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f'<meta name="generator" content="kpo-calc {esc(__version__)}">',
             f"<title>{esc(title)}: make-or-buy report</title>",
             f"<style>\n{STYLE}</style>", "</head>", "<body>"]
    if len(done) > 1:  # one file's section heads the page itself: the summary keeps a page
        parts += [f"<h1>{esc(title)}: make-or-buy report</h1>", contents(done)]
    parts += [scenario_section(f"s{i}", f) for i, f in enumerate(done, 1)]
    parts += [f'<footer class="meta">Made by kpo-calc {esc(__version__)}, cost methodology '
              f"{done[0].result.methodology if done and done[0].result else 3}. The figures "
              "equal <code>kpo-calc compare</code> on the same files; amounts are rounded to "
              "whole units.</footer>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def contents(reports: Sequence[FileReport]) -> str:
    """A list of the scenarios with their verdicts, linked to their sections."""
    items = []
    for i, f in enumerate(reports, 1):
        assert f.result is not None
        rec = f.result.recommendation
        items.append(f'<li><a href="#s{i}">{esc(f.result.name)}</a> '
                     f'<span class="meta">({esc(f.file)})</span>: {esc(rec.option)}</li>')
    return '<nav id="contents">\n<h2>Contents</h2>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</nav>"
