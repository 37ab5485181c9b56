"""The charts of a sensitivity analysis, in the house style, in English and Danish.

* :func:`morris_chart`: one panel per KPI, mu* (how much a parameter matters) against sigma
  (how much its effect depends on the other parameters), the most influential named;
* :func:`sobol_chart`: one panel per KPI, bars of S1 (alone) and ST (with interactions) with
  their intervals, parameters ordered by ST;
* :func:`figures`: the chart that fits the method, saved as PNG and SVG.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .. import __version__
from ..report.style import OKABE_ITO, caption, new_figure, save_figure, wrap_title
from ..report.words import kpi_label
from .analysis import SensitivityResult

TEXT = {
    "en": {"morris_title": "What drives each answer: Morris screening of {k} assumptions ({scenario})",
           "sobol_title": "Share of each answer's variance due to each assumption: Sobol indices ({scenario})",
           "lhs_title": "Share of each answer's variance due to each assumption alone: RBD-FAST on a Latin "
                        "hypercube ({scenario})",
           "mu_star": "μ*: mean absolute effect over the whole range (KPI units)",
           "mu_star_levels": "μ*: mean absolute effect over the whole range, or of a switch of level (KPI units)",
           "sigma": "σ: spread of the effects (interactions, non-linearity)",
           "share": "share of the KPI's variance", "S1": "S1: alone", "ST": "ST: with interactions",
           "noise": "model noise: {pct} of the variance",
           "line": "σ = μ* (effects vary as much as they matter)",
           "caption": "Scenario '{scenario}'; {n} design points x {r} replications each (common random numbers), "
                      "seed {seed}; intervals: 95% bootstrap; jobsim {version}."},
    "da": {"morris_title": "Hvad afgør hvert svar: Morris-screening af {k} antagelser ({scenario})",
           "sobol_title": "Andel af hvert svars varians, der skyldes hver antagelse: Sobol-indeks ({scenario})",
           "lhs_title": "Andel af hvert svars varians, der skyldes hver antagelse alene: RBD-FAST på en latinsk "
                        "hyperkube ({scenario})",
           "mu_star": "μ*: gennemsnitlig absolut effekt over hele intervallet (KPI-enheder)",
           "mu_star_levels": "μ*: gennemsnitlig absolut effekt over hele intervallet eller af et skift af niveau "
                             "(KPI-enheder)",
           "sigma": "σ: spredning i effekterne (samspil, ikke-linearitet)",
           "share": "andel af KPI'ens varians", "S1": "S1: alene", "ST": "ST: med samspil",
           "noise": "modelstøj: {pct} af variansen",
           "line": "σ = μ* (effekterne varierer lige så meget, som de betyder)",
           "caption": "Scenarie '{scenario}'; {n} designpunkter x {r} replikationer hver (fælles tilfældige tal), "
                      "seed {seed}; intervaller: 95 % bootstrap; jobsim {version}."},
}
#: Parameters named in each Morris panel (the most influential by mu*).
LABELLED = 4


def _pct(x: float, lang: str) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    text = f"{100 * x:.0f}" if x >= 0.01 else f"{100 * x:.1f}"
    return f"{text}%" if lang == "en" else f"{text.replace('.', ',')} %"


def _panels(n: int):
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = new_figure(rows, cols, width=5.2 * cols, height=4.2 * rows + 0.8)
    flat = list(np.atleast_1d(axes).ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _noise_text(result: SensitivityResult, kpi: str, lang: str) -> str:
    row = result.noise[result.noise["kpi"] == kpi]
    share = float(row["noise_share"].iloc[0]) if len(row) else math.nan
    return TEXT[lang]["noise"].format(pct=_pct(share, lang)) if math.isfinite(share) else ""


def morris_chart(result: SensitivityResult, lang: str = "en"):
    """mu* against sigma per KPI; the :data:`LABELLED` most influential parameters are named (a categorical
    one with its levels; its mu* is the effect of a switch of level)."""
    t = TEXT[lang]
    labels = {r.name: r.label(lang) for r in result.ranges}
    mu_star = t["mu_star_levels"] if any(r.categorical for r in result.ranges) else t["mu_star"]
    fig, axes = _panels(len(result.kpis))
    for ax, kpi in zip(axes, result.kpis):
        table = result.indices[result.indices["kpi"] == kpi].pivot(index="parameter", columns="index", values="value")
        table = table.sort_values("mu_star", ascending=False)
        x, y = table["mu_star"].to_numpy(float), table["sigma"].to_numpy(float)
        ax.scatter(x, y, s=28, color=OKABE_ITO["blue"], zorder=3)
        top = float(np.nanmax(np.r_[x, y, 0.0])) or 1.0
        ax.plot([0, top * 1.05], [0, top * 1.05], color="#999999", lw=1, ls="--", label=t["line"])
        for name, xi, yi in list(zip(table.index, x, y))[:LABELLED]:
            if xi > 0:
                ax.annotate(labels[name], (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=8)
        ax.set_xlim(0, top * 1.6)  # room for the names
        ax.set_ylim(0, top * 1.1)
        _panel_title(ax, result, kpi, lang)
        ax.set_xlabel(mu_star, fontsize=8.5)
        ax.set_ylabel(t["sigma"], fontsize=8.5)
    axes[0].legend(loc="upper left", fontsize=8, frameon=False)
    fig.suptitle(wrap_title(t["morris_title"].format(k=len(result.ranges), scenario=result.scenario.name),
                            5.2 * min(3, len(result.kpis))))
    _caption(fig, result, lang)
    return fig


def sobol_chart(result: SensitivityResult, lang: str = "en"):
    """Bars of S1 and ST (Sobol) or S1 (Latin hypercube) per KPI with their intervals, by ST (or S1)."""
    t = TEXT[lang]
    labels = {r.name: r.label(lang) for r in result.ranges}
    indices = [i for i in ("S1", "ST") if i in set(result.indices["index"])]
    colours = {"S1": OKABE_ITO["sky_blue"], "ST": OKABE_ITO["blue"]}
    fig, axes = _panels(len(result.kpis))
    for ax, kpi in zip(axes, result.kpis):
        rows = result.indices[result.indices["kpi"] == kpi]
        order = rows[rows["index"] == indices[-1]].sort_values("value", ascending=True)["parameter"].tolist()
        pos = np.arange(len(order))
        height = 0.8 / len(indices)
        for j, index in enumerate(indices):
            sel = rows[rows["index"] == index].set_index("parameter").loc[order]
            value = sel["value"].to_numpy(float)
            err = np.vstack([value - sel["ci_low"].to_numpy(float), sel["ci_high"].to_numpy(float) - value])
            ax.barh(pos + (j - (len(indices) - 1) / 2) * height, value, height=height, color=colours[index],
                    xerr=np.where(np.isfinite(err), np.abs(err), 0), error_kw={"lw": 0.8, "ecolor": "#333333"},
                    label=t[index])
        ax.set_yticks(pos, [labels[p] for p in order], fontsize=7.5)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_xlim(min(-0.05, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
        _panel_title(ax, result, kpi, lang)
        ax.set_xlabel(t["share"], fontsize=8.5)
    axes[0].legend(loc="lower right", fontsize=8)
    title = t["sobol_title"] if result.method == "sobol" else t["lhs_title"]
    fig.suptitle(wrap_title(title.format(scenario=result.scenario.name), 5.2 * min(3, len(result.kpis))))
    _caption(fig, result, lang)
    return fig


def _panel_title(ax, result: SensitivityResult, kpi: str, lang: str) -> None:
    note = _noise_text(result, kpi, lang)
    title = wrap_title(kpi_label(kpi, lang), 5.0)
    ax.set_title(f"{title}\n({note})" if note else title, fontsize=10)


def _caption(fig, result: SensitivityResult, lang: str) -> None:
    caption(fig, TEXT[lang]["caption"].format(scenario=result.scenario.name, n=len(result.design),
                                              r=result.replications, seed=result.seed, version=__version__))


def figures(result: SensitivityResult, out: str | Path, lang: str = "en") -> list[Path]:
    """Draw the chart of ``result.method`` and save it to ``out`` (``morris.png``/``.svg`` or ``sobol``/``lhs``)."""
    fig = morris_chart(result, lang) if result.method == "morris" else sobol_chart(result, lang)
    return save_figure(fig, out, f"{result.method}{'' if lang == 'en' else '_' + lang}")
