"""Figures: the house style and the plots every experiment uses.

All plotting logic lives here; the scripts in ``experiments/`` only call it.
The figures are made for policy readers: titles state the finding in words
(computed from the data where possible), axes carry units, every line and
band is in the legend, and a small caption under the figure names the
scenario, the number of replications, the seed and the jobsim version.

Colours are from the Okabe-Ito palette (colour-blind safe). A preparation
policy has the same colour and marker in every figure.

Input shapes:

* a *summary* is the tidy table of :meth:`jobsim.experiment.SweepResult.summary`:
  one row per scenario point and KPI, with the varied parameters as columns and
  ``kpi, unit, mean, sd, ci_low, ci_high, n``;
* *worker-days* are :attr:`jobsim.SimulationResult.worker_days` (minutes by
  activity per caseworker and working day), concatenated over runs with a
  column naming the varied parameter (e.g. ``caseload``).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> summary = pd.DataFrame({"caseload": [40.0, 220.0], "kpi": "overdue_share", "unit": "share",
...                         "mean": [0.05, 0.4], "sd": 0.01, "ci_low": [0.04, 0.38], "ci_high": [0.06, 0.42],
...                         "n": 20})
>>> fig, ax = new_figure()
>>> lines = line_with_bands(ax, summary, "caseload", "overdue_share")
>>> ax.get_ylabel()
'Share of conversations overdue'
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .words import activity_label, kpi_label, parameter_label, policy_label, word
from ..model.kpis import KPIS

# --------------------------------------------------------------------------- style

#: Okabe-Ito colours (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
             "grey": "#999999"}

#: One colour per preparation policy, the same in every figure.
POLICY_COLOURS = {"after_checkin": OKABE_ITO["vermillion"], "ahead": OKABE_ITO["blue"],
                  "none": OKABE_ITO["grey"], "confirmed_ahead": OKABE_ITO["green"]}
#: Markers too, so the lines can be told apart in black and white.
POLICY_MARKERS = {"after_checkin": "o", "ahead": "s", "none": "^", "confirmed_ahead": "D"}
#: Colours for anything else that is grouped (other policies, other parameters), in order.
GROUP_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"],
                 OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"], OKABE_ITO["black"], OKABE_ITO["yellow"])
GROUP_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Activities of a caseworker's week, bottom to top in stacked bars, and their colours.
TIME_USE_ACTIVITIES = ("conversation", "prep", "wasted_prep", "documentation", "casework", "idle")
ACTIVITY_COLOURS = {"conversation": OKABE_ITO["blue"], "prep": OKABE_ITO["sky_blue"],
                    "wasted_prep": OKABE_ITO["vermillion"], "documentation": OKABE_ITO["orange"],
                    "casework": OKABE_ITO["green"], "idle": "#DDDDDD"}

#: DS's recommended caseload band and Lærkevej's caseload (citizens per caseworker; DOMAIN.md).
DS_BAND = (40.0, 50.0)
LAERKEVEJ_CASELOAD = 220.0

#: Matplotlib settings of the house style: readable at report size, light grid, no top/right spines.
RC = {
    "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10,
    "legend.title_fontsize": 10, "xtick.labelsize": 10, "ytick.labelsize": 10, "figure.titlesize": 13,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "grid.linewidth": 0.6, "lines.linewidth": 2.0, "lines.markersize": 5, "legend.frameon": False,
    "figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "jobsim",
}

#: Figure words that labels.py does not have (yet); same keys in both languages.
EXTRA_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "rule": "Follow-up rule: at most {days:g} days",
        "minutes_per_week": "Minutes per caseworker per week at work\n(a 37-hour week = {total} minutes)",
        "caption_run": "Scenario {scenario!r}; {replications} replications per point, seed {seed}; "
                       "mean and 95% confidence interval; jobsim {version}.",
        "caption_one": "Scenario {scenario!r} with policy \u201c{policy}\u201d; one run per bar, seed {seed}; "
                       "days of absence left out; jobsim {version}.",
        "coincide": "All {n} policies lie on one line",
        "coincide_2": "Both policies lie on one line",
        "held_fixed": "Held fixed: {fixed}.",
        "cost_axis": "Caseworkers' cost, million DKK per year (for {citizens} citizens)",
        "ds_budget": "Lærkevej + DS's {million} million DKK a year",
        "assumptions": "Assumptions: {citizens} citizens on the caseload (Copenhagen-scale); {fte} DKK a year per "
                       "full-time caseworker incl. overhead; caseworkers = citizens / caseload (full-time "
                       "equivalents, not rounded). Outcomes per caseload from the model.",
    },
    "da": {
        "rule": "Opfølgningsregel: højst {days:g} dage",
        "minutes_per_week": "Minutter pr. sagsbehandler pr. uge på arbejde\n(en 37-timers uge = {total} minutter)",
        "caption_run": "Scenarie {scenario!r}; {replications} replikationer pr. punkt, seed {seed}; "
                       "gennemsnit og 95 % konfidensinterval; jobsim {version}.",
        "caption_one": "Scenarie {scenario!r} med politikken \u201c{policy}\u201d; én kørsel pr. søjle, seed {seed}; "
                       "fraværsdage udeladt; jobsim {version}.",
        "coincide": "Alle {n} politikker ligger oven i hinanden",
        "coincide_2": "Begge politikker ligger oven i hinanden",
        "held_fixed": "Holdt fast: {fixed}.",
        "cost_axis": "Udgift til sagsbehandlere, mio. kr. pr. år (for {citizens} borgere)",
        "ds_budget": "Lærkevej + DS' {million} mio. kr. om året",
        "assumptions": "Antagelser: {citizens} borgere i sagsstammen (som i København); {fte} kr. om året pr. "
                       "fuldtidssagsbehandler inkl. overhead; sagsbehandlere = borgere / sagstal (fuldtidsstillinger, "
                       "ikke afrundet). Udfald pr. sagstal fra modellen.",
    },
}

#: Summary columns that are not varied parameters.
SUMMARY_COLUMNS = ("kpi", "unit", "mean", "sd", "ci_low", "ci_high", "n", "point")

#: KPIs drawn by :func:`standard_figures`, in order.
KEY_KPIS = ("prepared_share", "prep_minutes_mean", "followup_gap_days_mean", "followup_gap_days_p90",
            "overdue_share", "casework_coverage", "wasted_prep_minutes_per_worker_week", "utilization")

#: Minutes in a full 37-hour working week (5 days of 8:00-15:24).
WEEK_MINUTES = 5 * (15 * 60 + 24 - 8 * 60)


def extra_word(key: str, lang: str = "en", **fmt: Any) -> str:
    """A figure phrase from :data:`EXTRA_WORDS`, formatted with ``fmt``."""
    word("yes", lang)  # validates lang with labels.py's message
    text = EXTRA_WORDS[lang][key]
    return text.format(**fmt) if fmt else text


@contextmanager
def house_style():
    """Context in which figures get the house style (fonts, grid, spines)."""
    import matplotlib.pyplot as plt

    with plt.rc_context(RC):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, width: float = 10.0, height: float | None = None, **kw):
    """A figure in the house style with constrained layout; returns ``(fig, ax)`` or ``(fig, axes)``."""
    import matplotlib
    import matplotlib.pyplot as plt

    height = height if height is not None else (4.6 if ncols > 1 else 5.2) * nrows
    # resolve the backend outside the style context: in a fresh Jupyter kernel, choosing it inside
    # would switch interactive mode off again on exit and hide every figure after the first
    matplotlib.get_backend()
    with house_style():
        fig, ax = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", squeeze=True, **kw)
    return fig, ax


def policy_colour(name: str, index: int = 0) -> str:
    """The colour of a policy (a fixed one for built-in policies, else by position)."""
    return POLICY_COLOURS.get(name, GROUP_COLOURS[index % len(GROUP_COLOURS)])


def group_style(by: str | None, value: Any, index: int, lang: str = "en") -> dict[str, Any]:
    """Colour, marker and legend label of one group of lines (policy colours are fixed)."""
    if by == "prep_policy":
        return {"color": policy_colour(str(value), index),
                "marker": POLICY_MARKERS.get(str(value), GROUP_MARKERS[index % len(GROUP_MARKERS)]),
                "label": policy_label(str(value), lang)}
    label = None if by is None else f"{parameter_label(by, lang)}: {_value_text(value, lang)}"
    return {"color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
            "marker": GROUP_MARKERS[index % len(GROUP_MARKERS)], "label": label}


def _value_text(value: Any, lang: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return word("yes" if value else "no", lang)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return str(value)


def is_share(kpi: str) -> bool:
    """Is the KPI a share (drawn as per cent)?"""
    return KPIS.get(kpi, ("", ""))[0] == "share"


def pct(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A share as per cent text: ``0.41`` -> ``"41%"`` (``"41 %"`` in Danish)."""
    text = f"{100 * value:.{decimals}f}"
    return text + "%" if lang == "en" else text.replace(".", ",") + "\u00a0%"  # no line break before %


def num(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A number with thousands separators: ``1408.2`` -> ``"1,408"`` (``"1.408"`` in Danish)."""
    text = f"{value:,.{decimals}f}"
    return text if lang == "en" else text.translate(str.maketrans(",.", ".,"))


def tick_text(value: float, lang: str = "en", share: bool = False) -> str:
    """A tick label with as few decimals as it needs: ``0.025`` -> ``"2.5%"``, ``1500`` -> ``"1,500"``."""
    v = 100 * value if share else value
    if abs(v) >= 100:
        text = num(v, lang)
    else:
        text = f"{v:.2f}".rstrip("0").rstrip(".")
        text = "0" if text in ("-0", "") else text
        text = text if lang == "en" else text.replace(".", ",")
    if share:
        text += "%" if lang == "en" else "\u00a0%"
    return text


def format_axis_for(ax, kpi: str, axis: str = "y", lang: str = "en") -> None:
    """Per-cent ticks for shares, thousands separators otherwise; a y axis starts at 0."""
    from matplotlib.ticker import FuncFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: tick_text(v, lang, share=is_share(kpi))))
    if axis == "y":
        ax.set_ylim(bottom=0)
        if is_share(kpi) and ax.get_ylim()[1] > 0.9:
            ax.set_ylim(top=1.02)


# --------------------------------------------------------------------------- summaries

def varied_parameters(summary: pd.DataFrame) -> list[str]:
    """The columns of a summary that are scenario parameters (everything but kpi, unit, mean, ...)."""
    return [c for c in summary.columns if c not in SUMMARY_COLUMNS]


def is_numeric_parameter(values: Iterable[Any]) -> bool:
    """True if every value is a number (booleans are not)."""
    vals = list(values)
    return bool(vals) and all(isinstance(v, (int, float, np.integer, np.floating))
                              and not isinstance(v, (bool, np.bool_)) for v in vals)


def kpi_rows(summary: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """The rows of one KPI, or a clear error naming the KPIs there are."""
    rows = summary[summary["kpi"] == kpi]
    if rows.empty:
        raise ValueError(f"kpi: {kpi!r} is not in the summary; there are: {', '.join(summary['kpi'].unique())}")
    return rows


def kpi_table(summary: pd.DataFrame, x: str, kpi: str, by: str | None = None,
              column: str = "mean") -> pd.DataFrame:
    """One KPI as a table: index ``x``, one column per value of ``by`` (or a single column ``kpi``)."""
    rows = kpi_rows(summary, kpi)
    if by is None:
        return rows.set_index(x)[[column]].rename(columns={column: kpi}).sort_index()
    return rows.pivot(index=x, columns=by, values=column).sort_index()


def crossing(x: Sequence[float], y: Sequence[float], level: float) -> float | None:
    """The first x at which y crosses ``level`` (linear interpolation between points), or None.

    >>> round(crossing([40, 60, 80], [1.0, 0.9, 0.5], 0.95), 6)
    50.0
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    above = ys >= level
    for i in range(1, len(xs)):
        if above[i] != above[i - 1]:
            y0, y1 = ys[i - 1], ys[i]
            return float(xs[i - 1] + (level - y0) / (y1 - y0) * (xs[i] - xs[i - 1]))
    return None


def _nice(value: float, step: float = 5.0) -> str:
    """A rounded number for titles ("~55")."""
    return f"{step * round(value / step):g}"


# --------------------------------------------------------------------------- plot primitives

def line_with_bands(ax, summary: pd.DataFrame, x: str, kpi: str, by: str | None = None, lang: str = "en",
                    *, legend: bool = True, band_alpha: float = 0.18):
    """Mean line and shaded confidence band of ``kpi`` against ``x``, one line per value of ``by``.

    ``summary`` is a sweep summary (see the module docstring); the band is
    ``ci_low`` to ``ci_high`` (95% by default). Any other varied parameter must
    have a single value in ``summary`` (filter first), so that lines never mix
    scenario points. If ``x`` is not numeric (e.g. the policy), its values
    become labelled positions and each mean gets an error bar instead of a
    band. Axes are labelled with the parameter and KPI labels (with units) in
    ``lang``; with ``legend=True`` the legend shows one entry per line.
    Returns the lines drawn.
    """
    rows = kpi_rows(summary, kpi)
    for other in varied_parameters(rows):
        if other not in (x, by) and rows[other].nunique() > 1:
            raise ValueError(f"{other!r} varies in the summary; filter it to one value or pass by={other!r}")
    categorical = not is_numeric_parameter(rows[x].unique())
    order = list(dict.fromkeys(rows[x]))
    groups = [(None, rows)] if by is None else list(rows.groupby(by, sort=False))
    lines = []
    for i, (value, g) in enumerate(groups):
        style = group_style(by, value, i, lang)
        label = style["label"]  # None without groups: nothing to tell apart
        if categorical:
            dodge = (i - (len(groups) - 1) / 2) * 0.12
            g = g.assign(_pos=g[x].map({v: k for k, v in enumerate(order)}) + dodge).sort_values("_pos")
            mean = g["mean"].to_numpy(dtype=float)
            err = np.vstack([mean - g["ci_low"].to_numpy(dtype=float), g["ci_high"].to_numpy(dtype=float) - mean])
            if by is None and x == "prep_policy":  # each policy in its own colour, as everywhere
                for k, (pos, m, e, v) in enumerate(zip(g["_pos"], mean, err.T, g[x])):
                    container = ax.errorbar([pos], [m], yerr=np.nan_to_num(e).reshape(2, 1),
                                            color=policy_colour(str(v), k), marker=POLICY_MARKERS.get(str(v), "o"),
                                            linestyle="none", capsize=4, markersize=7, zorder=3, clip_on=False)
                    lines.append(container.lines[0])
                continue
            container = ax.errorbar(g["_pos"].to_numpy(), mean, yerr=np.nan_to_num(err), color=style["color"],
                                    marker=style["marker"], linestyle="none", capsize=4, markersize=7,
                                    label=label, zorder=3, clip_on=False)
            lines.append(container.lines[0])
            continue
        g = g.sort_values(x)
        (line,) = ax.plot(g[x].to_numpy(), g["mean"].to_numpy(), color=style["color"], marker=style["marker"],
                          label=label, zorder=3, clip_on=False)  # lines on 0 or 100% stay fully visible
        ax.fill_between(g[x].to_numpy(dtype=float), g["ci_low"].to_numpy(dtype=float),
                        g["ci_high"].to_numpy(dtype=float), color=style["color"], alpha=band_alpha,
                        linewidth=0, zorder=2)
        lines.append(line)
    if categorical:
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels([_category_text(x, v, lang) for v in order], fontsize=9)
        ax.set_xlim(-0.5, len(order) - 0.5)
        ax.grid(axis="x", visible=False)
    ax.set_xlabel(parameter_label(x, lang))
    ax.set_ylabel(kpi_label(kpi, lang))
    format_axis_for(ax, kpi, lang=lang)
    if legend and by is not None:
        ax.legend(title=parameter_label(by, lang))
    return lines


def _category_text(param: str, value: Any, lang: str) -> str:
    """A tick label for a non-numeric parameter value (policies by their label, wrapped)."""
    text = policy_label(str(value), lang) if param == "prep_policy" else _value_text(value, lang)
    return "\n".join(textwrap.wrap(text, 13))


def mark_reference_caseloads(ax, lang: str = "en") -> None:
    """Shade DS's recommended caseload (40–50) and draw a line at Lærkevej's 220, both in the legend.

    The x axis must be the caseload (citizens per caseworker). An existing
    legend is redrawn so that it includes the two marks.
    """
    ax.axvspan(*DS_BAND, color="#777777", alpha=0.22, linewidth=0, zorder=1, label=word("ds_band", lang))
    ax.axvline(LAERKEVEJ_CASELOAD, color="#333333", linestyle="--", linewidth=1.3, zorder=1,
               label=word("laerkevej", lang))
    old = ax.get_legend()
    if old is not None:
        title = old.get_title().get_text()
        ax.legend(title=title or None)


def caption(fig, text: str, width: int = 150):
    """A small grey line (wrapped) under the figure: what made it (scenario, replications, seed, version).

    It goes below everything, figure legends included (those of this module
    hang below the axes); saving with ``bbox_inches="tight"``, as
    :func:`jobsim.scripts.save_figure` does, keeps it in the image.
    """
    wrapped = "\n".join(textwrap.wrap(text, width=width))
    y = 0.0
    if fig.legends:
        fig.canvas.draw()  # legends know their size only once drawn
        to_fig = fig.transFigure.inverted()
        y = min(y, *(leg.get_window_extent().transformed(to_fig).y0 for leg in fig.legends))
    y -= 0.08 / fig.get_figheight()  # a small gap (inches)
    return fig.text(0.5, y, wrapped, ha="center", va="top", fontsize=8.5, color="#555555")


def run_caption(scenario: str, replications: int | str, seed: int | str, lang: str = "en",
                extra: str = "", version: str | None = None) -> str:
    """The standard caption text: scenario, replications, seed, jobsim version (plus ``extra``)."""
    if version is None:
        from .. import __version__ as version
    text = extra_word("caption_run", lang, scenario=scenario, replications=replications, seed=seed,
                      version=version)
    return f"{text} {extra}".strip()


def time_use_table(worker_days: pd.DataFrame, by: str = "caseload") -> pd.DataFrame:
    """Minutes by activity per caseworker per week at work, one row per value of ``by``.

    ``worker_days`` are worker-day rows (``SimulationResult.worker_days``)
    with a column ``by``. Days of absence are left out and minutes are scaled
    to a five-day week, so each row adds up to 37 hours (2,220 minutes) plus
    overtime. Columns: :data:`TIME_USE_ACTIVITIES` (minutes per week).
    """
    present = worker_days[worker_days["present_minutes"] > 0]
    out = {}
    for value, g in present.groupby(by, sort=True):
        weeks = len(g) / 5.0  # worker-days at work / 5 = caseworker-weeks at work
        out[value] = {a: g[f"{a}_minutes"].sum() / weeks for a in TIME_USE_ACTIVITIES}
    table = pd.DataFrame.from_dict(out, orient="index")[list(TIME_USE_ACTIVITIES)]
    table.index.name = by
    return table


def stacked_time_use(ax, worker_days_or_summary: pd.DataFrame, by: str = "caseload", lang: str = "en",
                     *, legend: bool = True, width: float | None = None):
    """Stacked bars: a caseworker's week by activity, one bar per value of ``by`` (e.g. caseload).

    Accepts worker-day rows (with a column ``by``; see :func:`time_use_table`)
    or a table already in minutes per caseworker per week (index ``by``,
    columns from :data:`TIME_USE_ACTIVITIES`). Activities, bottom to top:
    conversation, preparation, wasted preparation (for citizens who did not
    show), documentation, casework, idle. Returns the table drawn.
    """
    data = worker_days_or_summary
    table = time_use_table(data, by) if "present_minutes" in data.columns else data
    missing = [a for a in TIME_USE_ACTIVITIES if a not in table.columns]
    if missing:
        raise ValueError(f"time use: columns {missing} are missing; expected {list(TIME_USE_ACTIVITIES)}")
    xs = np.asarray(table.index, dtype=float)
    if width is None:
        width = 0.7 * (np.min(np.diff(np.sort(xs))) if len(xs) > 1 else 1.0)
    bottom = np.zeros(len(table))
    for activity in TIME_USE_ACTIVITIES:
        values = table[activity].to_numpy(dtype=float)
        ax.bar(xs, values, width=width, bottom=bottom, color=ACTIVITY_COLOURS[activity],
               label=activity_label(activity, lang), edgecolor="white", linewidth=0.5, zorder=2)
        bottom += values
    ax.set_xlabel(parameter_label(by, lang))
    ax.set_ylabel(extra_word("minutes_per_week", lang, total=num(WEEK_MINUTES, lang)))
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{v:g}" for v in xs])
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.grid(axis="x", visible=False)
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return table


def _thousands(lang: str = "en"):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: num(v, lang))


# --------------------------------------------------------------------------- findings (titles)

def _at_max(summary: pd.DataFrame, x: str, kpi: str, by: str) -> tuple[float, pd.Series]:
    table = kpi_table(summary, x, kpi, by)
    return float(table.index.max()), table.loc[table.index.max()]


def _span(values: pd.Series, lang: str) -> str:
    """``"19%–23%"``, or one number if they round alike."""
    lo, hi = pct(values.min(), lang), pct(values.max(), lang)
    return lo if lo == hi else f"{lo}–{hi}"


def finding_preparation(summary: pd.DataFrame, x: str = "caseload", by: str = "prep_policy",
                        lang: str = "en") -> str:
    """Title for preparation vs caseload: who still prepares at the largest caseload, who does not."""
    table = kpi_table(summary, x, "prepared_share", by)
    xmax, last = float(table.index.max()), table.iloc[-1]
    prepping = last.drop(labels=[p for p in ("none",) if p in last.index])
    best = prepping.idxmax()
    worst = "after_checkin" if "after_checkin" in prepping.index else prepping.idxmin()
    if lang == "da":
        return (f"{policy_label(best, lang)}: {pct(last[best], lang)} af samtalerne er fuldt forberedt selv ved "
                f"{xmax:g} sager. {policy_label(worst, lang)}: {_span(table[worst], lang)} ved alle sagstal")
    return (f"{policy_label(best, lang)}: {pct(last[best], lang)} of conversations fully prepared even at "
            f"{xmax:g} cases. {policy_label(worst, lang)}: {_span(table[worst], lang)} at any caseload")


def finding_followup(summary: pd.DataFrame, x: str = "caseload", level: float = 0.10, lang: str = "en") -> str:
    """Title for follow-up vs caseload: where the overdue share passes ``level`` (mean over other groups)."""
    rows = kpi_rows(summary, "overdue_share")
    mean = rows.groupby(x)["mean"].mean().sort_index()
    at = crossing(mean.index, mean.to_numpy(), level)
    lo, hi, xmax = mean.iloc[0], mean.iloc[-1], mean.index[-1]
    if at is None:
        if lang == "da":
            return f"Andelen af for sene samtaler går fra {pct(lo, lang)} til {pct(hi, lang)}"
        return f"The overdue share goes from {pct(lo, lang)} to {pct(hi, lang)}"
    # "whatever the policy" only when the groups' lines coincide (an SMS reminder, for one, cuts no-shows)
    spread = rows.groupby(x)["mean"].agg(lambda v: v.max() - v.min()).max()
    alike = bool(spread < 0.01)
    if lang == "da":
        return (f"Over ~{_nice(at)} sager er kalenderen fuld: mere end hver tiende samtale holdes for sent "
                f"({pct(hi, lang)} ved {xmax:g})" + (", uanset forberedelsespolitik" if alike else ""))
    return (f"Above ~{_nice(at)} cases the diary is full: more than 1 in 10 conversations is held late "
            f"({pct(hi, lang)} at {xmax:g})" + (", whatever the preparation policy" if alike else ""))


def finding_casework(summary: pd.DataFrame, x: str = "caseload", level: float = 0.95, lang: str = "en") -> str:
    """Title for casework coverage vs caseload: where it drops below ``level`` (mean over other groups)."""
    rows = kpi_rows(summary, "casework_coverage")
    mean = rows.groupby(x)["mean"].mean().sort_index()
    at = crossing(mean.index, mean.to_numpy(), level)
    xmax = mean.index[-1]
    span = _span(rows[rows[x] == xmax]["mean"], lang)
    if at is None:
        if lang == "da":
            return f"Sagsarbejdet nås til tiden: {span} ved {xmax:g} sager"
        return f"Casework gets done on time: {span} at {xmax:g} cases"
    if lang == "da":
        return (f"Over ~{_nice(at)} sager kan sagsarbejdet ikke længere nås på ugen; "
                f"ved {xmax:g} sager nås kun {span} til tiden")
    return (f"Above ~{_nice(at)} cases, casework no longer fits in the week; at {xmax:g} cases "
            f"only {span} is done on time")


def finding_time_use(table: pd.DataFrame, lang: str = "en") -> str:
    """Title for the time-use bars: how little of the week conversations take, and where idle time ends."""
    total = table.sum(axis=1)
    conv = table["conversation"]
    idle_gone = table.index[table["idle"] < 0.02 * total]
    at = f"{idle_gone[0]:g}" if len(idle_gone) else None
    c_lo, c_hi = num(conv.min(), lang), num(conv.max(), lang)
    if lang == "da":
        head = f"Samtaler fylder kun {c_lo}–{c_hi} minutter af en sagsbehandlers uge på {num(WEEK_MINUTES, lang)}"
        tail = (f"fra {at} sager fylder sagsarbejdet hvert ledigt minut" if at
                else f"ledig tid: {num(table['idle'].iloc[-1], lang)} minutter ved {table.index[-1]:g} sager")
        return f"{head}; {tail}"
    head = f"Conversations take only {c_lo}–{c_hi} minutes of a caseworker's {num(WEEK_MINUTES, lang)}-minute week"
    tail = (f"from {at} cases on, casework fills every free minute" if at
            else f"idle time left at {table.index[-1]:g} cases: {num(table['idle'].iloc[-1], lang)} minutes")
    return f"{head}; {tail}"


# --------------------------------------------------------------------------- composed figures

def kpi_panels(summary: pd.DataFrame, x: str, kpis: Sequence[str], by: str | None = None, lang: str = "en",
               *, title: str | None = None, reference_caseloads: bool | None = None,
               rule_days: float | None = None, ncols: int | None = None, width: float = 11.0):
    """A figure with one panel per KPI against ``x``, lines per ``by`` with CI bands, one legend below.

    ``reference_caseloads`` (default: when ``x`` is the caseload) marks DS's
    band and Lærkevej; ``rule_days`` draws the follow-up rule on panels whose
    KPI is in days.
    """
    n = len(kpis)
    ncols = ncols or min(n, 3)
    nrows = math.ceil(n / ncols)
    fig, axes = new_figure(nrows, ncols, width=width, height=3.9 * nrows + 1.0)
    axes = np.atleast_1d(axes).ravel()
    if reference_caseloads is None:
        reference_caseloads = x == "caseload"
    with house_style():
        for ax, kpi in zip(axes, kpis):
            lines = line_with_bands(ax, summary, x, kpi, by, lang, legend=False)
            if len(lines) > 1 and _lines_coincide(summary, x, kpi, by):
                ax.text(0.03, 0.97, _coincide_text(len(lines), lang), transform=ax.transAxes,
                        ha="left", va="top", fontsize=9.5, color="#333333",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 2})
            if reference_caseloads:
                mark_reference_caseloads(ax, lang)
            if rule_days is not None and KPIS.get(kpi, ("",))[0] == "days":
                ax.axhline(rule_days, color=OKABE_ITO["black"], linestyle=":", linewidth=1.3, zorder=1,
                           label=extra_word("rule", lang, days=rule_days))
                ax.set_ylim(top=max(ax.get_ylim()[1], 1.08 * rule_days))
            if n > 1:  # the panel title names the KPI; the y label gives its unit
                ax.set_title(kpi_label(kpi, lang), fontsize=11)
                ax.set_ylabel(_unit_label(kpi, lang))
        for ax in axes[n:]:
            ax.set_visible(False)
        _figure_legend(fig, axes[:n], by, lang)
        if title:
            fig.suptitle(_wrap_title(title, width))
    return fig


def _coincide_text(n: int, lang: str) -> str:
    return extra_word("coincide_2", lang) if n == 2 else extra_word("coincide", lang, n=n)


def _lines_coincide(summary: pd.DataFrame, x: str, kpi: str, by: str | None) -> bool:
    """True if, at every x, the groups' means differ by less than the widest confidence band there
    (the lines would hide each other, so the figure says so)."""
    rows = kpi_rows(summary, kpi)
    if by is None or not is_numeric_parameter(rows[x].unique()):
        return False
    stats = rows.groupby(x).agg(lo=("mean", "min"), hi=("mean", "max"))
    half = (rows.assign(h=rows["ci_high"] - rows["ci_low"]).groupby(x)["h"].max() / 2).fillna(0)
    scale = rows["mean"].abs().max() or 1.0
    return bool(((stats["hi"] - stats["lo"]) <= np.maximum(half, 0.005 * scale)).all())


def _unit_label(kpi: str, lang: str) -> str:
    """A short y label for a panel whose title already names the KPI: its unit."""
    unit = KPIS.get(kpi, ("", ""))[0]
    if unit == "share":
        return "%"
    return word(unit, lang) if unit in ("days", "minutes", "DKK") else unit


def _wrap_title(title: str, width_inches: float) -> str:
    return "\n".join(textwrap.wrap(title, width=int(width_inches * 9.5)))


def _figure_legend(fig, axes, by: str | None, lang: str) -> None:
    """One legend below all panels, each label once."""
    seen: dict[str, Any] = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab and not lab.startswith("_") and lab not in seen:
                seen[lab] = h
    if by == "prep_policy":  # the policies first, then the reference marks
        groups = {policy_label(p, lang) for p in POLICY_COLOURS}
        seen = dict(sorted(seen.items(), key=lambda item: item[0] not in groups))
    if seen:
        # hangs below the figure (the axes keep their size); saved with bbox_inches="tight"
        fig.legend(list(seen.values()), list(seen.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
                   ncols=min(len(seen), 3), title=parameter_label(by, lang) if by else None)


def time_use_figure(table: pd.DataFrame, by: str = "caseload", lang: str = "en", *, title: str | None = None,
                    width: float = 11.0):
    """Stacked time-use bars with reference marks for caseloads and a finding as title."""
    fig, ax = new_figure(width=width, height=5.6)
    with house_style():
        stacked_time_use(ax, table, by, lang)
        fig.suptitle(_wrap_title(title or finding_time_use(table, lang), width))
    return fig


def caseload_figures(summary: pd.DataFrame, time_use: pd.DataFrame | None, lang: str = "en", *,
                     caption_text: str = "", time_use_caption: str = "",
                     rule_days: float | None = 91.0) -> dict[str, Any]:
    """The headline figures of the caseload sweep, by file stem.

    * ``caseload_prep``: preparation minutes per conversation and prepared share;
    * ``caseload_followup``: mean and 90th-percentile follow-up gap and overdue share;
    * ``caseload_casework``: casework coverage;
    * ``caseload_time_use``: a caseworker's week by activity (if ``time_use`` is given).
    """
    by = "prep_policy" if "prep_policy" in varied_parameters(summary) else None
    figs = {
        "caseload_prep": kpi_panels(summary, "caseload", ["prep_minutes_mean", "prepared_share"], by, lang,
                                    title=finding_preparation(summary, lang=lang) if by else None, ncols=2),
        "caseload_followup": kpi_panels(summary, "caseload",
                                        ["followup_gap_days_mean", "followup_gap_days_p90", "overdue_share"], by,
                                        lang, title=finding_followup(summary, lang=lang), rule_days=rule_days,
                                        width=13.0),
        "caseload_casework": kpi_panels(summary, "caseload", ["casework_coverage"], by, lang,
                                        title=finding_casework(summary, lang=lang), width=9.0),
    }
    for fig in figs.values():
        if caption_text:
            caption(fig, caption_text)
    if time_use is not None:
        fig = time_use_figure(time_use, "caseload", lang)
        if time_use_caption:
            caption(fig, time_use_caption)
        figs["caseload_time_use"] = fig
    return figs


# --------------------------------------------------------------------------- standard figures of any sweep

def _sweep_parameters(sweep_result, summary: pd.DataFrame) -> list[str]:
    names = list(getattr(sweep_result, "varied", None) or getattr(sweep_result, "grid", None) or [])
    return [p for p in names if p in summary.columns] or varied_parameters(summary)


def standard_figures(sweep_result, out_dir, lang: str = "en") -> list[Path]:
    """Draw the standard figures of any sweep into ``out_dir``; return the files written (PNG and SVG).

    The x axis is the first numeric varied parameter (else the first one);
    one line per value of the next varied parameter, with 95% confidence
    bands. Further varied parameters are held at their first value (the
    caption says so). Writes ``overview`` (the key KPIs in panels) and one
    figure per key KPI (``kpi_<name>``). Caseload sweeps get DS's band and
    Lærkevej's 220 marked.
    """
    from ..studies.script import save_figure

    out = Path(out_dir)
    summary = sweep_result.summary(confidence=0.95)
    if "n" in summary.columns:  # a partial sweep: points without finished runs have nothing to show
        summary = summary[summary["n"] > 0]
    params = _sweep_parameters(sweep_result, summary)
    if not params:
        raise ValueError("standard_figures: the sweep varies no parameter; nothing to plot against")
    numeric = [p for p in params if is_numeric_parameter(summary[p].unique())]
    x = numeric[0] if numeric else params[0]
    others = [p for p in params if p != x]
    by = others[0] if others else None
    fixed = {p: summary[p].iloc[0] for p in others[1:]}
    for p, v in fixed.items():
        summary = summary[summary[p] == v]
    kpis = [k for k in KEY_KPIS if k in set(summary["kpi"])]
    scenario = getattr(sweep_result, "scenario", None)
    name = getattr(scenario, "name", "?")
    rule = float(getattr(scenario, "interval_days", 0)) or None
    extra = extra_word("held_fixed", lang, fixed=", ".join(f"{parameter_label(p, lang)} = {_value_text(v, lang)}"
                                                           for p, v in fixed.items())) if fixed else ""
    text = run_caption(name, getattr(sweep_result, "replications", "?"), getattr(sweep_result, "seed", "?"),
                       lang, extra=extra)
    refs = x == "caseload"

    paths: list[Path] = []
    fig = kpi_panels(summary, x, kpis[:6], by, lang, reference_caseloads=refs, rule_days=rule,
                     title=_standard_title(summary, x, by, lang), width=13.0)
    caption(fig, text)
    paths += save_figure(fig, out, "overview")
    for kpi in kpis:
        fig = kpi_panels(summary, x, [kpi], by, lang, reference_caseloads=refs, rule_days=rule,
                         title=_kpi_finding(summary, x, kpi, lang), width=9.0)
        caption(fig, text)
        paths += save_figure(fig, out, f"kpi_{kpi}")
    return paths


def _kpi_finding(summary: pd.DataFrame, x: str, kpi: str, lang: str) -> str:
    """A plain title for one KPI: how its mean moves from the first to the last x (averaged over groups),
    or, for a non-numeric x, where it is highest and lowest."""
    rows = kpi_rows(summary, kpi)
    fmt = (lambda v: pct(v, lang)) if is_share(kpi) else (lambda v: num(v, lang, 1))
    name = kpi_label(kpi, lang)
    if not is_numeric_parameter(rows[x].unique()):
        mean = rows.groupby(x, sort=False)["mean"].mean()
        hi, lo = mean.idxmax(), mean.idxmin()
        th, tl = (_category_text(x, v, lang).replace("\n", " ") for v in (hi, lo))
        if np.isclose(mean.max(), mean.min(), rtol=0.01, atol=1e-9):
            same = "næsten ens for alle" if lang == "da" else "about the same for all"
            return f"{name}: {fmt(mean.mean())}, {same}"
        if lang == "da":
            return f"{name}: højest med {th} ({fmt(mean.max())}), lavest med {tl} ({fmt(mean.min())})"
        return f"{name}: highest with {th} ({fmt(mean.max())}), lowest with {tl} ({fmt(mean.min())})"
    mean = rows.groupby(x)["mean"].mean().sort_index()
    a, b = mean.iloc[0], mean.iloc[-1]
    xa, xb = (f"{v:g}" for v in (mean.index[0], mean.index[-1]))
    if lang == "da":
        return f"{name}: {fmt(a)} ved {parameter_label(x, lang).lower()} {xa}, {fmt(b)} ved {xb}"
    return f"{name}: {fmt(a)} at {parameter_label(x, lang).lower()} {xa}, {fmt(b)} at {xb}"


def _standard_title(summary: pd.DataFrame, x: str, by: str | None, lang: str) -> str:
    if x == "caseload" and {"overdue_share", "casework_coverage"} <= set(summary["kpi"]):
        return finding_casework(summary, x, lang=lang)
    kpis = set(summary["kpi"])
    if x == "prep_policy" and "prepared_share" in kpis:
        return _kpi_finding(summary, x, "prepared_share", lang)
    k = "overdue_share" if "overdue_share" in kpis else summary["kpi"].iloc[0]
    return _kpi_finding(summary, x, k, lang)


# --------------------------------------------------------------------------- cost–outcome frontier

def finding_cost(frontier: pd.DataFrame, comparison, lang: str = "en", policy: str = "ahead") -> str:
    """Title of the cost–outcome figure: what going from 220 to DS's caseload costs and buys.

    ``frontier`` is :func:`jobsim.staffing.frontier_table`; ``comparison`` a
    :class:`jobsim.staffing.DSComparison`. Outcomes are read at the caseloads
    of the comparison (or the nearest in the sweep) under ``policy``.
    """
    rows = frontier[frontier["kpi"] == "overdue_share"]
    if "prep_policy" in rows.columns:
        pol = policy if policy in set(rows["prep_policy"]) else rows["prep_policy"].iloc[0]
        rows = rows[rows["prep_policy"] == pol]
    by_caseload = rows.set_index("caseload")["mean"]

    def at(c):
        return by_caseload.iloc[int(np.argmin(np.abs(by_caseload.index.to_numpy(dtype=float) - c)))]

    frm, to = comparison.caseload_from, comparison.caseload_to
    cost = num(comparison.model_extra_dkk / 1e6, lang)
    citizens = num(comparison.citizens, lang)
    if lang == "da":
        return (f"For {citizens} borgere koster {frm:g} → {to:g} sager {cost} mio. kr. mere om året og får "
                f"andelen af for sene samtaler ned fra {pct(at(frm), lang)} til {pct(at(to), lang)}; "
                f"forberedelsen afhænger af politikken, ikke af pengene")
    return (f"For {citizens} citizens, going from {frm:g} to {to:g} cases costs {cost} million DKK a year more and "
            f"cuts late conversations from {pct(at(frm), lang)} to {pct(at(to), lang)}; "
            f"preparation depends on the policy, not the money")


def cost_outcome_figure(frontier: pd.DataFrame, kpis: Sequence[str], comparison, lang: str = "en", *,
                        title: str | None = None, label_caseloads: Sequence[float] | None = None,
                        width: float = 13.0):
    """Cost–outcome frontier: each KPI against the caseworkers' cost (million DKK a year), one line per policy.

    ``frontier`` is :func:`jobsim.staffing.frontier_table` (summary rows plus
    ``cost_million_dkk``); ``comparison`` a :class:`jobsim.staffing.DSComparison`
    for the same citizens and cost per caseworker. Points carry 95% CI bars;
    a second x axis on top gives the caseload of each cost (the caseloads in
    ``label_caseloads`` are ticked). DS's band (40–50 cases), Lærkevej (220)
    and what DS's 65 million DKK would add to Lærkevej's cost are marked on
    the cost axis; a panel whose policy lines coincide says so.
    """
    from ..studies.staffing import staffing_cost_dkk

    by = "prep_policy" if "prep_policy" in frontier.columns and frontier["prep_policy"].nunique() > 1 else None
    citizens, fte = comparison.citizens, comparison.fte_cost_dkk
    fig, axes = new_figure(1, len(kpis), width=width, height=5.4)
    axes = np.atleast_1d(axes)
    caseloads = sorted(frontier["caseload"].unique())
    if label_caseloads is None:
        label_caseloads = caseloads
    cost_of = {c: staffing_cost_dkk(citizens, c, fte) / 1e6 for c in (*caseloads, *DS_BAND, LAERKEVEJ_CASELOAD)}
    ds_cost = cost_of[LAERKEVEJ_CASELOAD] + comparison.ds_extra_dkk / 1e6
    with house_style():
        for ax, kpi in zip(axes, kpis):
            rows = kpi_rows(frontier, kpi)
            groups = [(None, rows)] if by is None else list(rows.groupby(by, sort=False))
            for i, (value, g) in enumerate(groups):
                g = g.sort_values("cost_million_dkk")
                style = group_style(by, value, i, lang)
                xs, ys = g["cost_million_dkk"].to_numpy(dtype=float), g["mean"].to_numpy(dtype=float)
                err = np.nan_to_num(np.vstack([ys - g["ci_low"].to_numpy(dtype=float),
                                               g["ci_high"].to_numpy(dtype=float) - ys]))
                ax.errorbar(xs, ys, yerr=err, color=style["color"], marker=style["marker"], capsize=3,
                            label=style["label"], zorder=3, clip_on=False)
            if len(groups) > 1 and _lines_coincide(rows, "cost_million_dkk", kpi, by):
                ax.text(0.97, 0.97, _coincide_text(len(groups), lang), transform=ax.transAxes,
                        ha="right", va="top", fontsize=9.5, color="#333333",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 2})
            ax.axvspan(cost_of[max(DS_BAND)], cost_of[min(DS_BAND)], color="#777777", alpha=0.22, linewidth=0,
                       zorder=1, label=word("ds_band", lang))
            ax.axvline(cost_of[LAERKEVEJ_CASELOAD], color="#333333", linestyle="--", linewidth=1.3, zorder=1,
                       label=word("laerkevej", lang))
            ax.axvline(ds_cost, color=OKABE_ITO["purple"], linestyle="-.", linewidth=1.5, zorder=1,
                       label=extra_word("ds_budget", lang, million=num(comparison.ds_extra_dkk / 1e6, lang)))
            ax.set_title(kpi_label(kpi, lang), fontsize=11, pad=30)
            ax.set_ylabel(_unit_label(kpi, lang))
            format_axis_for(ax, kpi, lang=lang)
            ax.set_xlim(0, 1.05 * max(cost_of.values()))
            ax.xaxis.set_major_formatter(_thousands(lang))
            # the caseload of each point, on a top axis: cost = citizens x fte / caseload (its own inverse)
            k = citizens * fte / 1e6
            top = ax.secondary_xaxis("top", functions=(lambda v: k / np.maximum(v, 1e-9),
                                                       lambda v: k / np.maximum(v, 1e-9)))
            top.set_xticks([c for c in label_caseloads if c in caseloads or c in DS_BAND or c == LAERKEVEJ_CASELOAD])
            top.xaxis.set_major_formatter(_thousands(lang))
            top.tick_params(labelsize=8.5, colors="#444444")
            top.set_xlabel(parameter_label("caseload", lang), fontsize=9, color="#444444")
        fig.supxlabel(extra_word("cost_axis", lang, citizens=num(citizens, lang)), fontsize=11)
        _figure_legend(fig, axes, by, lang)
        fig.suptitle(_wrap_title(title or finding_cost(frontier, comparison, lang), width))
    return fig
