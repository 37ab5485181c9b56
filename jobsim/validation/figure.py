"""The validation figure: one row per target, the model's mean and 95% interval against the reference band.

Each row has its own horizontal axis in the target's unit (shares as per cent,
citizens, odds ratios, cases), because the targets' units differ. The band is
shaded; the dot is blue when inside it, vermillion when outside, grey when the
target has no band ("not available"). Words come from
:mod:`jobsim.report.words`, colours and saving from :mod:`jobsim.report.style`.
"""

from __future__ import annotations

import math

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import __version__
from ..report.style import OKABE_ITO, house_style, number_ticks, save_figure, wrap_title
from ..report.words import num, phrase
from .run import band_text, value_text
from .targets import load_targets

VERDICT_COLOURS = {"inside": OKABE_ITO["blue"], "outside": OKABE_ITO["vermillion"], "not available": "#777777"}
VERDICT_PHRASES = {"inside": "validation_inside", "outside": "validation_outside", "not available": "validation_na"}
BAND_COLOUR = "#F0E442"


def _limits(row) -> tuple[float, float]:
    values = [v for v in (row.reference_low, row.reference_high, row.model_ci_low, row.model_ci_high, row.model_mean)
              if v is not None and not pd.isna(v) and math.isfinite(v)]   # a band with no upper end: drawn to the edge
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    low = low - pad
    if row.unit in ("share", "citizens", "cases", "ratio") and low < 0 <= min(values):
        low = 0.0
    return low, high + pad


def validation_figure(table: pd.DataFrame, lang: str = "en", *, replications: int | str = "", seed: int | str = 0,
                      quick: bool = False, width: float = 11.0):
    """The figure of a validation table (:func:`jobsim.validation.run.validation_table`) in ``lang``."""
    labels = {t.id: t.label(lang) for t in load_targets()}
    n = len(table)
    with house_style():  # not new_figure's constrained layout: the labels beside each row are placed by hand
        fig, axes = plt.subplots(n, 1, figsize=(width, 0.62 * n + 2.2), squeeze=False)
    axes = axes[:, 0]
    counts = table["verdict"].value_counts()
    with house_style():
        for ax, row in zip(axes, table.itertuples(index=False)):
            colour = VERDICT_COLOURS[row.verdict]
            if not pd.isna(row.reference_low):
                ax.axvspan(row.reference_low, min(row.reference_high, _limits(row)[1]), color=BAND_COLOUR, alpha=0.55,
                           lw=0, zorder=1)
            if not pd.isna(row.model_mean):
                err = None
                if not pd.isna(row.model_ci_low):   # an interval with no upper bound runs to the axis' edge
                    high = row.model_ci_high if not pd.isna(row.model_ci_high) else _limits(row)[1]
                    err = [[row.model_mean - row.model_ci_low], [high - row.model_mean]]
                ax.errorbar([row.model_mean], [0], xerr=err, fmt="o", color=colour, capsize=4, markersize=7, zorder=3)
            ax.set_xlim(*_limits(row))
            ax.set_ylim(-1, 1)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.grid(axis="y", visible=False)
            ax.tick_params(axis="x", labelsize=8.5, pad=1)
            if row.unit == "dkk":   # money in million DKK, as the label beside the row says
                ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: num(v / 1e6, lang, 1)))
            else:
                ax.xaxis.set_major_formatter(number_ticks(lang, share=row.unit == "share",
                                                          decimals=2 if row.unit == "ratio" else 0))
            ax.locator_params(axis="x", nbins=5)
            ax.text(-0.01, 0.62, labels.get(row.target, row.target), transform=ax.transAxes, ha="right",
                    va="center", fontsize=10)
            if hasattr(row, "role"):   # what the target can tell (tables made before roles have none)
                ax.text(-0.01, 0.0, phrase("validation_role_" + row.role, lang), transform=ax.transAxes, ha="right",
                        va="center", fontsize=8, color="#555555", style="italic")
            band = "—" if pd.isna(row.reference_low) else band_text(row.reference_low, row.reference_high, row.unit,
                                                                     lang, sep="–")
            ax.text(1.01, 0.5, phrase("validation_values", lang, model=value_text(row.model_mean, row.unit, lang),
                                      band=band) + f"\n{phrase('unit_' + row.unit, lang)}", transform=ax.transAxes, ha="left", va="center",
                    fontsize=8.5, color=colour)
        handles = [Patch(color=BAND_COLOUR, alpha=0.55, label=phrase("validation_band", lang))]
        handles += [Line2D([], [], marker="o", color=VERDICT_COLOURS[v], linestyle="-", label=phrase(p, lang))
                    for v, p in VERDICT_PHRASES.items()]
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2, fontsize=9)
        inside, outside = int(counts.get("inside", 0)), int(counts.get("outside", 0))
        title = phrase("validation_title", lang, inside=inside, banded=inside + outside, outside=outside,
                       na=int(counts.get("not available", 0)))
        fig.suptitle(wrap_title(title, width))
        fig.subplots_adjust(left=0.34, right=0.86, hspace=1.1, top=1 - 0.9 / fig.get_figheight(),
                            bottom=0.35 / fig.get_figheight())
        quick_text = phrase("validation_quick", lang) if quick else ""
        fig.canvas.draw()
        box = fig.legends[0].get_window_extent().transformed(fig.transFigure.inverted())
        fig.text(0.5, box.y0 - 0.08 / fig.get_figheight(),
                 "\n".join(textwrap.wrap(phrase("validation_caption", lang, replications=replications, seed=seed,
                                                quick=quick_text, version=__version__), 150)),
                 ha="center", va="top", fontsize=8.5, color="#555555")
    return fig


def save_validation_figures(table: pd.DataFrame, folder: str | Path, *, replications: int | str = "",
                            seed: int | str = 0, quick: bool = False) -> list[Path]:
    """``validation_en`` and ``validation_da`` as PNG and SVG in ``folder``; returns the paths."""
    paths = []
    for lang in ("en", "da"):
        fig = validation_figure(table, lang, replications=replications, seed=seed, quick=quick)
        paths += save_figure(fig, folder, f"validation_{lang}")
    return paths


__all__ = ["validation_figure", "save_validation_figures", "VERDICT_COLOURS"]
