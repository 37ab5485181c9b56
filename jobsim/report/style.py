"""The house style of every jobsim figure: colours, markers, fonts, axes, captions and saving.

Colours are from the Okabe-Ito palette (colour-blind safe). A preparation
policy has the same colour and marker in every figure. Figures are made for
policy readers: axes carry units, shares are drawn as per cent, and a small
caption under the figure names the scenario, the replications, the seed and
the jobsim version (:func:`caption`, :func:`run_caption`). :func:`save_figure`
writes PNG (for reading) and SVG (for reports), each file atomically.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from ..model.kpis import KPIS, bound_interval
from ..runner.files import write_with
from .words import num, parameter_label, pct, phrase, policy_label, value_text

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
TIME_USE_ACTIVITIES = ("conversation", "contact", "prep", "wasted_prep", "documentation", "casework", "noncase",
                       "idle")
ACTIVITY_COLOURS = {"conversation": OKABE_ITO["blue"], "contact": "#00456B",   # a darker blue: direct contact too
                    "prep": OKABE_ITO["sky_blue"], "wasted_prep": OKABE_ITO["vermillion"],
                    "documentation": OKABE_ITO["orange"], "casework": OKABE_ITO["green"],
                    "noncase": OKABE_ITO["grey"], "idle": "#DDDDDD"}

#: Matplotlib settings of the house style: readable at report size, light grid, no top/right spines.
RC = {
    "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10,
    "legend.title_fontsize": 10, "xtick.labelsize": 10, "ytick.labelsize": 10, "figure.titlesize": 13,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "grid.linewidth": 0.6, "lines.linewidth": 2.0, "lines.markersize": 5, "legend.frameon": False,
    "figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "jobsim",
}


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
    label = None if by is None else f"{parameter_label(by, lang)}: {value_text(value, lang)}"
    return {"color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
            "marker": GROUP_MARKERS[index % len(GROUP_MARKERS)], "label": label}


def is_share(kpi: str) -> bool:
    """Is the KPI a share (drawn as per cent)?"""
    return KPIS.get(kpi, ("", ""))[0] == "share"


#: No confidence interval is drawn from fewer replications than this (two runs give a t interval
#: wider than the data and no sense of spread).
MIN_REPLICATIONS_FOR_INTERVAL = 3


def drawn_intervals(rows, kpi: str):
    """The rows of one KPI of a summary with the intervals a figure may draw.

    Intervals from fewer than :data:`MIN_REPLICATIONS_FOR_INTERVAL` replications
    (column ``n``) become NaN (none drawn); an interval is kept within the
    values the KPI can take (a share's within 0 and 1, any other's at 0 or
    more: :func:`jobsim.model.kpis.bound_interval`; a t interval near a bound
    would reach past it; the caption says so). Returns a copy; ``rows`` is left alone.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"mean": [0.01, 0.5], "ci_low": [-0.02, 0.4], "ci_high": [0.04, 0.6], "n": [5, 2]})
    >>> drawn_intervals(rows, "prepared_share")[["ci_low", "ci_high"]].values.tolist()
    [[0.0, 0.04], [nan, nan]]
    """
    out = rows.copy()
    if "n" in out.columns:
        few = out["n"] < MIN_REPLICATIONS_FOR_INTERVAL
        out.loc[few, ["ci_low", "ci_high"]] = float("nan")
    out["ci_low"], out["ci_high"] = bound_interval(KPIS.get(kpi, ("", ""))[0], out["ci_low"], out["ci_high"],
                                                  out["mean"] if "mean" in out.columns else None)
    return out


def number_ticks(lang: str = "en", share: bool = False, decimals: int | None = None):
    """A tick formatter: per cent for shares (``"40%"``, ``"40 %"``), else numbers with thousands separators.

    ``decimals=None``: as few decimals as each tick needs.
    """
    from matplotlib.ticker import FuncFormatter

    if share:
        return FuncFormatter(lambda v, _: pct(v, lang, decimals))
    return FuncFormatter(lambda v, _: num(v, lang, decimals))


def format_axis_for(ax, kpi: str, axis: str = "y", lang: str = "en") -> None:
    """Per-cent ticks for shares, thousands separators otherwise; a y axis starts at 0."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(number_ticks(lang, share=is_share(kpi)))
    if axis == "y":
        ax.set_ylim(bottom=0)
        if is_share(kpi) and ax.get_ylim()[1] > 0.9:
            ax.set_ylim(top=1.02)


def wrap_title(title: str, width_inches: float) -> str:
    """A figure title wrapped to the figure's width (about 9.5 characters an inch)."""
    return "\n".join(textwrap.wrap(title, width=int(width_inches * 9.5)))


def caption(fig, text: str, width: int = 150):
    """A small grey line (wrapped) under the figure: what made it (scenario, replications, seed, version).

    It goes below everything, figure legends included (those of jobsim's
    charts hang below the axes); saving with ``bbox_inches="tight"``, as
    :func:`save_figure` does, keeps it in the image.
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
    text = phrase("caption_run", lang, scenario=scenario, replications=replications, seed=seed,
                  version=version or __version__)
    return f"{text} {extra}".strip()


#: The colour of the quick-run mark (dark amber: a warning, not a policy's colour).
QUICK_COLOUR = "#8a4b00"


def mark_quick(fig, lang: str = "en") -> None:
    """Replace the figure's title (a finding) by the quick-run mark: a quick run's few short runs state no finding."""
    fig.suptitle(wrap_title(phrase("quick_mark", lang), 0.85 * fig.get_figwidth()), color=QUICK_COLOUR,
                 fontweight="bold", fontsize=13)


def save_figure(fig, out: str | Path, stem: str) -> list[Path]:
    """Save a figure as PNG (for reading) and SVG (for reports), each atomically; close it; return the paths."""
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = out / f"{stem}.{ext}"
        write_with(path, lambda tmp, ext=ext: fig.savefig(tmp, format=ext, dpi=150 if ext == "png" else None,
                                                          bbox_inches="tight"))
        paths.append(path)
    plt.close(fig)
    return paths

