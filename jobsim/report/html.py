"""One self-contained HTML report: figures as inline SVG, inline CSS, no request to any server.

A :class:`Report` holds what a reader sees, already in words; :func:`render`
turns it into one HTML file that opens from a USB stick or an e-mail
attachment, reads on a phone (390 px) and a laptop (1280 px) and prints to PDF
from the browser. Sections, in order: the quick-run mark and a warning (if any), the answer
in one paragraph, the figures with how to read their uncertainty, the table of
scenarios with 95% confidence intervals, the validation table, the
assumptions that decide the answer (with the sensitivity study's table), and
the provenance appendix with how to cite. Where the validation or the
sensitivity study has not been run, its section says so.

Nothing here runs the model: :mod:`jobsim.studies.questions` and
:mod:`jobsim.report.sources` fill a :class:`Report`.

>>> html = render(Report(lang="en", title="Example", answer="Caseloads matter.", provenance={"Scenario": "x"}))
>>> html.startswith("<!DOCTYPE html>") and "Caseloads matter." in html and "http" not in html.split("<body")[0]
True
"""

from __future__ import annotations

import html as _html
import io
import re
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from .citation import citation_text
from .texts import text

__all__ = ["Figure", "Table", "Report", "render", "svg_of", "inline_svg", "CSS"]


@dataclass(frozen=True)
class Figure:
    """One figure: ``svg`` (inline SVG markup, see :func:`svg_of`), ``title`` and ``caption`` (plain text).

    ``narrow_svg``, if given, is the same figure drawn for a phone (narrower, its legend in one column): the
    page shows it instead of ``svg`` on screens up to 760 px wide, where ``svg`` scaled down would have
    labels too small to read.
    """

    svg: str
    title: str
    caption: str = ""
    narrow_svg: str | None = None


@dataclass(frozen=True)
class Table:
    """A table already in words: ``header`` (column names) and ``rows`` (cells as text); ``note`` under it."""

    header: list[str]
    rows: list[list[str]]
    note: str = ""
    #: Columns holding references (titles of sources, as published, in their own language).
    ref_columns: tuple[int, ...] = ()


@dataclass
class Report:
    """What the report says, in ``lang`` ("en" or "da"); every field is plain text (escaped when rendered).

    * ``answer``: the one-paragraph plain answer;
    * ``quick``: True marks the report as a quick run, not a result (a banner at the top);
    * ``warning``: (headline, text), a banner at the top too, e.g. that the sweep reported is unfinished;
    * ``figures``: :class:`Figure` objects; ``scenarios``: the table of scenarios with 95% CIs;
    * ``validation``/``sensitivity``: tables, or None where that study has not been run;
    * ``assumptions``: sentences, the assumptions that decide the answer;
    * ``provenance``: label -> value (scenario, seeds, versions, date, command).
    """

    lang: str
    title: str
    answer: str
    quick: bool = False
    warning: tuple[str, str] | None = None
    figures: list[Figure] = field(default_factory=list)
    scenarios: Table | None = None
    validation: Table | None = None
    validation_summary: str = ""
    sensitivity: Table | None = None
    assumptions: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


#: The report's style sheet: readable from 390 to 1280 px wide, and in print.
CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --accent: #0072B2; --warn: #8a4b00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.2rem 1rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0.4rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid var(--line); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p, li { max-width: 46rem; overflow-wrap: anywhere; }
.answer { font-size: 1.15rem; background: #eef5fb; border-left: 5px solid var(--accent); padding: 0.8rem 1rem; }
.quick { border: 3px solid var(--warn); color: var(--warn); background: #fff6e8; padding: 0.6rem 1rem;
         font-weight: 600; }
.quick + .quick { margin-top: 0.6rem; }
.quick strong { display: block; font-size: 1.2rem; text-transform: uppercase; letter-spacing: 0.04em; }
figure { margin: 1.4rem 0; padding: 0; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
figure .narrow { display: none; }
/* a figure's phone drawing, below the width where a staffing figure's wide drawing gets labels under 11 px */
@media (max-width: 760px) {
  figure .wide { display: none; } figure .narrow { display: block; } figure .narrow svg { max-width: 34rem; }
}
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.4rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.88rem; min-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.note, .missing { color: var(--muted); font-size: 0.92rem; }
.missing { border: 1px dashed var(--line); padding: 0.5rem 0.8rem; }
dl.prov { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.2rem 1rem; }
dl.prov dt { font-weight: 600; } dl.prov dd { margin: 0; overflow-wrap: anywhere; }
pre.cite { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 0.6rem; font-size: 0.85rem; }
code { overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 2.5rem; }
@media (max-width: 600px) {
  body { font-size: 16px; } main { padding: 0.8rem 0.7rem 2rem; } h1 { font-size: 1.35rem; }
  dl.prov { grid-template-columns: 1fr; } dl.prov dd { margin-bottom: 0.4rem; }
  table { font-size: 0.8rem; }
}
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  figure, table, .answer, .quick { break-inside: avoid; } h2 { break-after: avoid; }
  .scroll { overflow: visible; } figure .wide { display: block; } figure .narrow { display: none; }
}
"""


def svg_of(fig, prefix: str) -> str:
    """A matplotlib figure as inline SVG markup that scales to its container; closes the figure.

    ``prefix`` is put before every ``id`` in the SVG (and every reference to
    one), so that several figures in one page never share an id. Text is drawn
    as paths, so the figure needs no font on the reader's machine.
    """
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return inline_svg(buf.getvalue(), prefix)


def inline_svg(svg: str, prefix: str) -> str:
    """SVG file text made fit to sit inside HTML: no XML declaration, DOCTYPE or metadata, no fixed size
    (it scales to its container through its viewBox), and every id prefixed with ``prefix``."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'(<svg[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", svg, count=1)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{prefix}-\1)', svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = re.sub(r'\shref="#([^"]+)"', rf' href="#{prefix}-\1"', svg)
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _e(value: Any) -> str:
    return _html.escape(str(value), quote=True)


def _with_code(value: str) -> str:
    """Escaped text in which `backquoted` words become <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(value))


_NUMBER = re.compile(r"^[\s\d.,%\u00a0+\u2212\-–\[\]()]+$")


def _table(table: Table) -> str:
    head = "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in table.header)
    body = []
    for row in table.rows:
        cells = "".join(f"<td class=\"num\">{_e(c)}</td>" if c and _NUMBER.match(c)
                        else f"<td class=\"ref\">{_e(c)}</td>" if i in table.ref_columns else f"<td>{_e(c)}</td>"
                        for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    note = f"<p class=\"note\">{_with_code(table.note)}</p>" if table.note else ""
    return (f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"</div>{note}")


def render(report: Report) -> str:
    """The report as one HTML document (a string): inline CSS and SVG, no script, no external reference."""
    lang = report.lang
    parts = [f"<h1>{_e(report.title)}</h1>"]
    if report.quick:
        parts.append(f"<div class=\"quick\" role=\"note\" id=\"quick-mark\"><strong>{_e(text('quick_mark', lang))}"
                     f"</strong>{_e(text('quick_note', lang))}</div>")
    if report.warning:
        head, note = report.warning
        parts.append(f"<div class=\"quick\" role=\"note\" id=\"warning\"><strong>{_e(head)}</strong>"
                     f"{_with_code(note)}</div>")
    parts.append(f"<h2>{_e(text('answer', lang))}</h2><p class=\"answer\" id=\"answer\">{_with_code(report.answer)}</p>")
    if report.figures:
        parts.append(f"<h2>{_e(text('figures', lang))}</h2>")
        parts.append(f"<h3>{_e(text('how_to_read', lang))}</h3><p>{_e(text('uncertainty', lang))}</p>")
        for i, fig in enumerate(report.figures, 1):
            label = f"{text('figure_n', lang, n=i)} {fig.title}"
            drawn = fig.svg if fig.narrow_svg is None else \
                f"<div class=\"wide\">{fig.svg}</div><div class=\"narrow\">{fig.narrow_svg}</div>"
            parts.append(f"<figure role=\"img\" aria-label=\"{_e(fig.title)}\">{drawn}"
                         f"<figcaption><strong>{_e(label)}</strong> {_e(fig.caption)}</figcaption></figure>")
    if report.scenarios is not None:
        parts.append(f"<h2>{_e(text('scenarios', lang))}</h2>{_table(report.scenarios)}")
    parts.append(f"<h2>{_e(text('validation', lang))}</h2>")
    if report.validation is None:
        parts.append(f"<p class=\"missing\">{_with_code(text('validation_missing', lang))}</p>")
    else:
        summary = f"<p>{_e(report.validation_summary)}</p>" if report.validation_summary else ""
        parts.append(f"{summary}<p class=\"note\">{_e(text('validation_note', lang))}</p>{_table(report.validation)}")
    parts.append(f"<h2>{_e(text('assumptions', lang))}</h2>")
    if report.assumptions:
        parts.append("<ul>" + "".join(f"<li>{_with_code(a)}</li>" for a in report.assumptions) + "</ul>")
    if report.sensitivity is None:
        parts.append(f"<p class=\"missing\">{_with_code(text('sensitivity_missing', lang))}</p>")
    else:
        parts.append(f"<p class=\"note\">{_e(text('sensitivity_note', lang))}</p>{_table(report.sensitivity)}")
    parts.append(f"<h2>{_e(text('provenance', lang))}</h2><dl class=\"prov\">")
    parts += [f"<dt>{_e(k)}</dt><dd>{_with_code(v)}</dd>" for k, v in report.provenance.items()]
    parts.append(f"</dl><h3>{_e(text('cite', lang))}</h3><pre class=\"cite\" id=\"citation\">"
                 f"{_e(citation_text())}</pre>")
    parts.append(f"<footer>{_e(text('footer', lang, version=__version__))}</footer>")
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang=\"{_e(lang)}\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"jobsim {_e(__version__)}\">\n"
            f"<title>{_e(report.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n"
            "</main>\n</body>\n</html>\n")
