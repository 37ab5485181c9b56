"""General charts of sweep results: lines with confidence bands, KPI panels, time use, the standard figures.

The charts every experiment and ``jobsim plot`` use; the house style (colours,
fonts, captions, saving) is :mod:`jobsim.report.style`, the words
:mod:`jobsim.report.words`. Titles state a finding in words, computed from
the data where possible; axes carry units; every line and band is in the legend.

Input shapes:

* a *summary* is the tidy table of :meth:`jobsim.runner.sweep.SweepResult.summary`:
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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.calendar import WORKDAY_MINUTES
from ..model.kpis import KPIS
from .facts import DS_BAND, LAERKEVEJ_CASELOAD
from .style import (ACTIVITY_COLOURS, OKABE_ITO, POLICY_COLOURS, POLICY_MARKERS, TIME_USE_ACTIVITIES, caption,
                    drawn_intervals, format_axis_for, group_style, house_style, is_share, new_figure, number_ticks, policy_colour,
                    run_caption, save_figure, wrap_title)
from .words import activity_label, kpi_label, num, parameter_label, pct, phrase, policy_label, span, value_text

#: Summary columns that are not varied parameters.
SUMMARY_COLUMNS = ("kpi", "unit", "mean", "sd", "ci_low", "ci_high", "n", "point")

#: The key KPIs of jobsim, in order: preparation, follow-up, casework, waste, then the rest the notebooks
#: show. :func:`standard_figures` draws the first six in its overview and one figure for each.
KEY_KPIS = ("prepared_share", "prep_minutes_mean", "followup_gap_days_mean", "followup_gap_days_p90",
            "overdue_share", "casework_coverage", "wasted_prep_minutes_per_worker_week", "utilization",
            "conversation_minutes_mean", "noshow_rate", "cost_dkk_per_citizen_year", "direct_contact_share",
            "overdue_days_mean", "first_conversation_days_mean")

#: Minutes in a full 37-hour working week (5 days of 8:00-15:24).
WEEK_MINUTES = 5 * WORKDAY_MINUTES


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
    """The rows of one KPI, with the intervals a figure may draw (:func:`~jobsim.report.style.drawn_intervals`:
    shares within 0–100%, none below 3 replications), or a clear error naming the KPIs there are."""
    rows = summary[summary["kpi"] == kpi]
    if rows.empty:
        raise ValueError(f"kpi: {kpi!r} is not in the summary; there are: {', '.join(summary['kpi'].unique())}")
    return drawn_intervals(rows, kpi)


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


def nice(value: float, lang: str = "en", step: float = 5.0) -> str:
    """A rounded number for titles ("~55")."""
    return num(step * round(value / step), lang, None)



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
        ax.legend(title=legend_title(by, lang))
    return lines


def _category_text(param: str, value: Any, lang: str) -> str:
    """A tick label for a non-numeric parameter value (policies by their label, wrapped)."""
    text = policy_label(str(value), lang) if param == "prep_policy" else value_text(value, lang)
    return "\n".join(textwrap.wrap(text, 13))


def mark_reference_caseloads(ax, lang: str = "en") -> None:
    """Shade DS's recommended caseload (40–50) and draw a line at Lærkevej's 220, both in the legend.

    The x axis must be the caseload (citizens per caseworker). An existing
    legend is redrawn so that it includes the two marks.
    """
    ax.axvspan(*DS_BAND, color="#777777", alpha=0.22, linewidth=0, zorder=1, label=phrase("ds_band", lang))
    ax.axvline(LAERKEVEJ_CASELOAD, color="#333333", linestyle="--", linewidth=1.3, zorder=1,
               label=phrase("laerkevej", lang))
    old = ax.get_legend()
    if old is not None:
        title = old.get_title().get_text()
        ax.legend(title=title or None)



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
    ax.set_ylabel(phrase("minutes_per_week", lang, total=num(WEEK_MINUTES, lang)))
    ax.set_xticks(xs)
    ax.set_xticklabels([num(v, lang, None) for v in xs])
    ax.yaxis.set_major_formatter(number_ticks(lang, decimals=0))
    ax.grid(axis="x", visible=False)
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return table



# --------------------------------------------------------------------------- findings (titles)

def span_text(values: pd.Series, lang: str) -> str:
    """Shares as ``"19%–23%"``, or one per cent if they round alike."""
    return span(pct(values.min(), lang), pct(values.max(), lang))


def finding_casework(summary: pd.DataFrame, x: str = "caseload", level: float = 0.95, lang: str = "en") -> str:
    """Title for casework coverage vs caseload: where it drops below ``level`` (mean over other groups)."""
    rows = kpi_rows(summary, "casework_coverage")
    mean = rows.groupby(x)["mean"].mean().sort_index()
    at = crossing(mean.index, mean.to_numpy(), level)
    xmax = mean.index[-1]
    span = span_text(rows[rows[x] == xmax]["mean"], lang)
    if at is None:
        if lang == "da":
            return f"Sagsarbejdet nås til tiden: {span} ved {num(xmax, lang, None)} sager"
        return f"Casework gets done on time: {span} at {num(xmax, lang, None)} cases"
    if lang == "da":
        return (f"Over ~{nice(at, lang)} sager kan sagsarbejdet ikke længere nås på ugen; "
                f"ved {num(xmax, lang, None)} sager nås kun {span} til tiden")
    return (f"Above ~{nice(at, lang)} cases, casework no longer fits in the week; at {num(xmax, lang, None)} cases "
            f"only {span} is done on time")


# --------------------------------------------------------------------------- composed figures

def kpi_panels(summary: pd.DataFrame, x: str, kpis: Sequence[str], by: str | None = None, lang: str = "en",
               *, title: str | None = None, reference_caseloads: bool | None = None,
               rule_days: float | None = None, ncols: int | None = None, width: float = 11.0,
               legend_columns: int | None = None):
    """A figure with one panel per KPI against ``x``, lines per ``by`` with CI bands, one legend below.

    ``reference_caseloads`` (default: when ``x`` is the caseload) marks DS's
    band and Lærkevej; ``rule_days`` draws the follow-up rule on panels whose
    KPI is in days. ``ncols`` panels a row (default: up to 3), ``width`` in inches, ``legend_columns``
    (default: up to 3) the legend's columns.
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
            if len(lines) > 1 and lines_coincide(summary, x, kpi, by):
                note_coincide(ax, len(lines), lang)
            if reference_caseloads:
                mark_reference_caseloads(ax, lang)
            if rule_days is not None and KPIS.get(kpi, ("",))[0] == "days":
                ax.axhline(rule_days, color=OKABE_ITO["black"], linestyle=":", linewidth=1.3, zorder=1,
                           label=phrase("rule", lang, days=rule_days))
                ax.set_ylim(top=max(ax.get_ylim()[1], 1.08 * rule_days))
            if n > 1:  # the panel title names the KPI; the y label gives its unit
                ax.set_title(kpi_label(kpi, lang), fontsize=11)
                ax.set_ylabel(unit_label(kpi, lang))
        for ax in axes[n:]:
            ax.set_visible(False)
        figure_legend(fig, axes[:n], by, lang, legend_columns)
        if title:
            fig.suptitle(wrap_title(title, width))
    return fig


def note_coincide(ax, n: int, lang: str, corner: str = "left") -> None:
    """Write in a panel's top ``corner`` ("left" or "right") that its ``n`` group lines lie on one line."""
    text = phrase("coincide_2", lang) if n == 2 else phrase("coincide", lang, n=n)
    ax.text(0.03 if corner == "left" else 0.97, 0.97, text, transform=ax.transAxes, ha=corner, va="top",
            fontsize=9.5, color="#333333", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 2})


#: Groups' lines lie on one line when, at every x, their means are this share of the panel's height apart
#: or less (1.5% of a panel about 3 inches high is under 3 px on a laptop screen: about a line's width).
COINCIDE_SHARE = 0.015


def lines_coincide(summary: pd.DataFrame, x: str, kpi: str, by: str | None) -> bool:
    """True if, at every x, the groups' means are at most :data:`COINCIDE_SHARE` of the panel's height apart
    (the y axis from 0 to the top of the means and confidence bands), or half a percent of the largest mean:
    the lines hide each other, so the figure says so. Lines that differ visibly are not said to coincide,
    however wide their bands."""
    rows = kpi_rows(summary, kpi)
    if by is None or not is_numeric_parameter(rows[x].unique()):
        return False
    stats = rows.groupby(x).agg(lo=("mean", "min"), hi=("mean", "max"))
    drawn = pd.concat([rows["mean"], rows["ci_low"], rows["ci_high"]]).dropna()
    height = float(max(drawn.max(), 0.0) - min(drawn.min(), 0.0)) if len(drawn) else 0.0  # (axes start at 0)
    scale = rows["mean"].abs().max() or 1.0
    return bool(((stats["hi"] - stats["lo"]) <= max(COINCIDE_SHARE * height, 0.005 * scale)).all())


def unit_label(kpi: str, lang: str) -> str:
    """A short y label for a panel whose title already names the KPI: its unit."""
    unit = KPIS.get(kpi, ("", ""))[0]
    if unit == "share":
        return "%"
    return phrase(unit, lang) if unit in ("days", "minutes", "DKK") else unit


def legend_title(by: str | None, lang: str) -> str | None:
    """The title of a legend of groups by ``by``: the policy parameter's name over the policies' names; none for
    other parameters, whose labels already say "parameter: value" (:func:`jobsim.report.style.group_style`)."""
    return parameter_label(by, lang) if by == "prep_policy" else None


def figure_legend(fig, axes, by: str | None, lang: str, columns: int | None = None) -> None:
    """One legend below all panels, each label once, in ``columns`` columns (default: up to 3)."""
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
                   ncols=min(len(seen), columns or 3), title=legend_title(by, lang))



# --------------------------------------------------------------------------- standard figures of any sweep

def _sweep_parameters(sweep_result, summary: pd.DataFrame) -> list[str]:
    names = list(getattr(sweep_result, "varied", None) or getattr(sweep_result, "grid", None) or [])
    return [p for p in names if p in summary.columns] or varied_parameters(summary)


#: Width of a figure drawn for a phone (inches): on a 390 px screen its 10 pt tick labels have a font size of
#: about 12 px.
PHONE_INCHES = 4.2


def standard_figures(sweep_result, out_dir, lang: str = "en", *, phone: bool = False,
                     overview_width: float = 13.0) -> list[Path]:
    """Draw the standard figures of any sweep into ``out_dir``; return the files written (PNG and SVG).

    The x axis is the first numeric varied parameter (else the first one);
    one line per value of the next varied parameter, with 95% confidence
    bands. Further varied parameters are held at their first value (the
    caption says so). Writes ``overview`` (the key KPIs in panels) and one
    figure per key KPI (``kpi_<name>``). Caseload sweeps get DS's band and
    Lærkevej's 220 marked. ``phone=True`` also writes ``overview_phone``: the overview's panels one under
    another, :data:`PHONE_INCHES` wide, for the HTML report on a phone. ``overview_width`` is the overview's
    width in inches.
    """
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
    extra = phrase("held_fixed", lang, fixed=", ".join(f"{parameter_label(p, lang)} = {value_text(v, lang)}"
                                                           for p, v in fixed.items())) if fixed else ""
    text = run_caption(name, getattr(sweep_result, "replications", "?"), getattr(sweep_result, "seed", "?"),
                       lang, extra=extra)
    refs = x == "caseload"

    paths: list[Path] = []
    overview = dict(reference_caseloads=refs, rule_days=rule, title=_standard_title(summary, x, by, lang))
    fig = kpi_panels(summary, x, kpis[:6], by, lang, width=overview_width, **overview)
    caption(fig, text)
    paths += save_figure(fig, out, "overview")
    if phone:   # the same panels one under another, the legend in one column
        fig = kpi_panels(summary, x, kpis[:6], by, lang, ncols=1, width=PHONE_INCHES, legend_columns=1, **overview)
        caption(fig, text, width=int(PHONE_INCHES * 12))   # about 12 characters an inch at 8.5 pt
        paths += save_figure(fig, out, "overview_phone")
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
    xa, xb = (num(v, lang, None) for v in (mean.index[0], mean.index[-1]))
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
