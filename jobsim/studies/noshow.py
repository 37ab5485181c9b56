"""No-show sensitivity: when does the Lærkevej rule (no preparation before check-in) pay against preparing ahead?

Heatmaps over no-show probability x caseload of the paired difference
(common random numbers) in casework coverage and prepared share, with and
without SMS reminders (:func:`noshow_sweep`, :func:`noshow_differences`,
:func:`noshow_figure`). The script is ``experiments/noshow_sensitivity.py``.
Shares are fractions; the figures show differences in percentage points.
"""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..model.scenario import Scenario
from ..report.style import caption, house_style, new_figure, wrap_title
from ..report.words import kpi_label, lower_first, num, parameter_label, pct, phrase, policy_label, span, value_text
from ..runner.sweep import sweep
from .intervals import excludes_zero

#: The default grid: no-show probability (share) x caseload (citizens per caseworker).
NOSHOW_PROBABILITIES = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40)
NOSHOW_CASELOADS = (30.0, 40.0, 50.0, 60.0, 80.0, 100.0, 140.0, 180.0, 220.0)
#: The two policies compared: the Lærkevej rule and preparing ahead.
LAERKEVEJ_POLICY, AHEAD_POLICY = "after_checkin", "ahead"
#: The KPIs whose paired difference the heatmaps show.
NOSHOW_KPIS = ("casework_coverage", "prepared_share")
#: The cap of the no-show spread (see :func:`noshow_spread_for`).
SPREAD_CAP = 0.15
#: --quick: two probabilities, two caseloads, a short run.
QUICK_PROBABILITIES = (0.10, 0.30)
QUICK_CASELOADS = (45.0, 160.0)
QUICK_CHANGES = {"horizon_days": 91, "warmup_days": 28}


def noshow_grid(probabilities: Sequence[float], caseloads: Sequence[float]) -> dict[str, list]:
    """The sweep grid: no-show probability x caseload x SMS reminders (off, on) x policy (ahead, after_checkin)."""
    return {"noshow_probability": [float(p) for p in probabilities], "caseload": [float(c) for c in caseloads],
            "sms_reminders": [False, True], "prep_policy": [AHEAD_POLICY, LAERKEVEJ_POLICY]}


def noshow_spread_for(p: float, cap: float = SPREAD_CAP, factor: float = 0.9) -> float:
    """The spread of no-show propensities used at mean probability ``p``: ``min(cap, factor·sqrt(p(1−p)))``.

    A Beta distribution with mean p has a standard deviation below
    ``sqrt(p(1−p))`` (the scenario refuses wider), so the spread is scaled
    down where ``cap`` would be too wide. Both are probabilities.

    >>> noshow_spread_for(0.15)
    0.15
    >>> round(noshow_spread_for(0.02), 4)
    0.126
    """
    if not 0 <= p <= 1:
        raise ValueError(f"noshow_probability: {p!r} must lie in 0..1")
    return float(min(cap, factor * math.sqrt(p * (1 - p))))


def noshow_sweep(base: Scenario, probabilities: Sequence[float] = NOSHOW_PROBABILITIES,
                 caseloads: Sequence[float] = NOSHOW_CASELOADS, replications: int = 20, seed: int = 0,
                 jobs: int = 1, out: str | Path | None = None, progress: bool | None = None,
                 spread_cap: float = SPREAD_CAP, executor: str = "local", scheduler: Any = None) -> list:
    """Sweep no-show probability x caseload x policy (ahead, after_checkin) x SMS reminders (off, on).

    The no-show spread follows :func:`noshow_spread_for`; probabilities that
    share a spread run as one :func:`jobsim.sweep` (usually all of them, so
    one sweep), stored in ``out/sweep`` (or ``out/sweep_spread<s>``) so a killed
    run resumes. Replication ``r`` uses the same random streams in every cell
    (common random numbers). ``executor`` and ``scheduler`` are :func:`jobsim.sweep`'s.
    Returns the list of :class:`~jobsim.runner.sweep.SweepResult`.
    """
    groups: dict[float, list[float]] = {}
    for p in probabilities:
        groups.setdefault(round(noshow_spread_for(float(p), spread_cap), 6), []).append(float(p))
    results = []
    for spread, ps in groups.items():
        folder = None
        if out is not None:
            folder = Path(out) / ("sweep" if len(groups) == 1 else f"sweep_spread{spread:.3f}")
        grid = noshow_grid(ps, caseloads)
        results.append(sweep(base.replace(noshow_spread=spread), grid, replications=replications, seed=seed,
                             jobs=jobs, out=folder, progress=progress, executor=executor, scheduler=scheduler))
    return results


def noshow_runs(results: Sequence) -> pd.DataFrame:
    """All runs of :func:`noshow_sweep` in one table, with the ``noshow_spread`` of each."""
    frames = [r.runs.assign(noshow_spread=r.scenario.noshow_spread) for r in results]
    return pd.concat(frames, ignore_index=True)


def noshow_differences(results: Sequence, kpis: Sequence[str] = NOSHOW_KPIS,
                       confidence: float = 0.95) -> pd.DataFrame:
    """Paired differences ``after_checkin − ahead`` per cell (probability, caseload, SMS) and KPI.

    Uses :meth:`SweepResult.paired_difference` (paired by replication, t
    interval on the differences). Columns: ``noshow_probability``,
    ``caseload``, ``sms_reminders``, ``noshow_spread``, ``kpi``, ``unit``,
    ``mean_a`` (after_checkin), ``mean_b`` (ahead), ``mean`` (the difference,
    in the KPI's unit: a share), ``sd``, ``ci_low``, ``ci_high``, ``n``,
    ``excludes_zero``. A positive casework difference means the Lærkevej
    rule gets more casework done on time.
    """
    frames = []
    for r in results:
        for kpi in kpis:
            d = r.paired_difference(kpi, "prep_policy", LAERKEVEJ_POLICY, AHEAD_POLICY, confidence=confidence)
            frames.append(d.assign(noshow_spread=r.scenario.noshow_spread))
    table = pd.concat(frames, ignore_index=True)
    table["excludes_zero"] = excludes_zero(table)
    cols = ["noshow_probability", "caseload", "sms_reminders", "noshow_spread", "kpi", "unit", "param", "a", "b",
            "mean_a", "mean_b", "mean", "sd", "ci_low", "ci_high", "n", "unpaired_ci_low", "unpaired_ci_high",
            "excludes_zero"]
    return table[cols].sort_values(["kpi", "sms_reminders", "noshow_probability", "caseload"], ignore_index=True)


def difference_heatmap(ax, cells: pd.DataFrame, x: str = "caseload", y: str = "noshow_probability",
                       *, scale: float = 100.0, vmax: float | None = None, cmap: str = "RdBu",
                       lang: str = "en", decimals: int = 1, vrange: tuple[float, float] | None = None):
    """One heatmap of paired differences: a cell per (``x``, ``y``), its value written in it.

    ``cells`` has one row per cell with ``mean``, ``ci_low``, ``ci_high``
    (shares) and ``excludes_zero``. Values are multiplied by ``scale`` (100:
    percentage points). Cells whose interval excludes 0 get a black frame;
    the others have grey text. The colour scale is symmetric around 0 (blue
    above, red below; ``vmax`` in scaled units, default the largest |value|),
    unless ``vrange`` (low, high; scaled units) gives the range of a one-sided
    scale (with ``cmap`` such as ``"Reds_r"``), so that cells that all lie on one
    side of 0 still differ in colour. Text is white on dark cells. Returns the :class:`~matplotlib.collections.QuadMesh` (one face per cell).
    """
    import matplotlib
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    xs = sorted(cells[x].unique())
    ys = sorted(cells[y].unique())
    grid = cells.set_index([y, x])
    z = np.full((len(ys), len(xs)), np.nan)
    sig = np.zeros((len(ys), len(xs)), dtype=bool)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            if (yv, xv) in grid.index:
                row = grid.loc[(yv, xv)]
                z[i, j] = float(row["mean"]) * scale
                sig[i, j] = bool(row["excludes_zero"])
    if vmax is None:
        vmax = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    vmax = vmax or 1.0
    norm = Normalize(*vrange) if vrange is not None else Normalize(-vmax, vmax)
    colours = matplotlib.colormaps[cmap]
    mesh = ax.pcolormesh(np.arange(len(xs) + 1), np.arange(len(ys) + 1), z, cmap=cmap, norm=norm,
                         edgecolors="white", linewidth=0.6)
    for i in range(len(ys)):
        for j in range(len(xs)):
            v = z[i, j]
            if not np.isfinite(v):
                continue
            text = _cell_text(v, decimals, sig[i, j], lang)
            r, g, b, _ = colours(norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # perceived lightness of the cell
            colour = ("white" if dark else "black") if sig[i, j] else "#777777"
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=8.5, color=colour,
                    fontweight="bold" if sig[i, j] else "normal")
            if sig[i, j]:
                ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False, edgecolor="black",
                                       linewidth=1.0, zorder=3))
    ax.set_xticks(np.arange(len(xs)) + 0.5)
    ax.set_xticklabels([num(v, lang, None) for v in xs])
    ax.set_yticks(np.arange(len(ys)) + 0.5)
    ax.set_yticklabels([pct(v, lang) if y == "noshow_probability" else num(v, lang, None) for v in ys])
    ax.set_xlabel(parameter_label(x, lang))
    ax.set_ylabel(parameter_label(y, lang))
    ax.set_xlim(0, len(xs))
    ax.set_ylim(0, len(ys))
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return mesh


def _cell_text(value: float, decimals: int, significant: bool, lang: str = "en") -> str:
    """A cell's value: signed, ``decimals`` places; a significant value too small for them gets two places."""
    if round(value, decimals) != 0:
        return num(value, lang, decimals, sign=True)
    if significant and value != 0:
        if round(value, 2) != 0:
            return num(value, lang, 2, sign=True)
        return ("+<" if value > 0 else "−<") + num(0.01, lang, 2)
    return num(0, lang, decimals)


def finding_noshow(diffs: pd.DataFrame, kpi: str, lang: str = "en", min_gain: float = 0.5,
                   desk_rule: str | None = None) -> str:
    """The title of a no-show heatmap, computed from the paired differences.

    Casework coverage: the smallest caseload at which the Lærkevej rule gets
    more casework done (without SMS), its interval excluding 0 and the gain at
    least ``min_gain`` percentage points (smaller gains, however certain, do
    not matter to a reader), the largest gain (points)
    and where, whether the gain grows with the no-show probability and
    shrinks with SMS reminders. Prepared share: the range of the loss in
    points over all cells (or of the change, if some cell does not lose).
    ``desk_rule`` (the scenario's ``desk_priority``) is named after either
    finding (other than ``casework_first``): both depend on it. Under ``casework_first`` the Lærkevej rule gains no
    casework, and preparing ahead prepares almost nothing from about 80 cases up (casework due this week always
    comes first), so the rule loses little preparation there (see docs/validation.md, "Headline findings
    under every desk rule").
    """
    d = diffs[diffs["kpi"] == kpi]
    note = phrase(f"{'prepared' if kpi == 'prepared_share' else 'coverage'}_desk_rule", lang, rule=desk_rule) \
        if desk_rule and desk_rule != "casework_first" else ""
    if kpi == "prepared_share":
        change = 100 * d["mean"]
        shares = dict(after=span(pct(d["mean_a"].min(), lang), pct(d["mean_a"].max(), lang)),
                      ahead=span(pct(d["mean_b"].min(), lang), pct(d["mean_b"].max(), lang)))
        if change.max() >= 0:   # not a loss in every cell (e.g. under casework_first): say what it is
            return phrase("prepared_title_mixed", lang, low=num(change.min(), lang, sign=True),
                          high=num(change.max(), lang, sign=True), **shares) + note
        loss = -change
        return phrase("prepared_title", lang, loss=span(num(loss.min(), lang), num(loss.max(), lang)),
                      **shares) + note
    plain = d[~d["sms_reminders"].astype(bool)]
    gains = plain[plain["excludes_zero"] & (plain["mean"] >= min_gain / 100)]
    if gains.empty:
        return phrase("coverage_title_none", lang)
    best = plain.loc[plain["mean"].idxmax()]
    threshold = float(gains["caseload"].min())
    trend = ""
    # does the gain grow with the no-show probability? compare lowest and highest p where it pays
    paying = plain[plain["caseload"].isin(gains["caseload"].unique())]
    by_p = paying.groupby("noshow_probability")["mean"].mean().sort_index()
    if len(by_p) > 1 and by_p.iloc[-1] > by_p.iloc[0]:
        trend += phrase("coverage_trend_p", lang)
    sms = d[d["sms_reminders"].astype(bool)]
    if len(sms) and sms["mean"].clip(lower=0).sum() < plain["mean"].clip(lower=0).sum():
        trend += phrase("coverage_trend_sms", lang)
    where = phrase("where", lang, p=float(best["noshow_probability"]), c=float(best["caseload"]))
    return phrase("coverage_title", lang, threshold=threshold, gain=100 * float(best["mean"]), where=where,
                  trend=trend) + note


def noshow_figure(diffs: pd.DataFrame, kpi: str, lang: str = "en", *, caption_text: str = "",
                  title: str | None = None, sms_effect: float | None = None, width: float = 11.0,
                  desk_rule: str | None = None):
    """Two heatmaps side by side (SMS reminders off, on) of the paired difference in ``kpi``.

    ``diffs`` is :func:`noshow_differences`; the colour scale is shared by the
    two panels; one colour bar says what is shown (after_checkin minus ahead,
    in percentage points). The title states the finding (:func:`finding_noshow`).
    """
    d = diffs[diffs["kpi"] == kpi]
    if d.empty:
        raise ValueError(f"kpi: {kpi!r} is not in the differences; there are: {', '.join(diffs['kpi'].unique())}")
    vmax = float((100 * d["mean"]).abs().max()) or 1.0
    scaled = 100 * d["mean"]
    one_sided = bool((scaled < 0).all() or (scaled > 0).all())
    # every cell on one side of 0 (the Lærkevej rule's loss of preparation): a one-sided scale over the
    # values' own range, else a symmetric scale would paint every cell the same dark colour
    shade = ({"cmap": "Reds_r" if scaled.max() < 0 else "Blues", "vrange": (float(scaled.min()), float(scaled.max()))}
             if one_sided and scaled.max() - scaled.min() > 0 else {})
    fig, axes = new_figure(1, 2, width=width, height=5.6, sharey=True)
    with house_style():
        mesh = None
        for ax, sms in zip(axes, (False, True)):
            cells = d[d["sms_reminders"].astype(bool) == sms]
            mesh = difference_heatmap(ax, cells, vmax=vmax, lang=lang, **shade)
            label = phrase("sms_panel", lang, value=value_text(sms, lang))
            if sms and sms_effect is not None:
                label += phrase("sms_effect", lang, effect=sms_effect)
            ax.set_title(label, fontsize=11)
        axes[1].set_ylabel("")
        for ax in axes:
            ax.tick_params(left=False, bottom=False)
        bar = fig.colorbar(mesh, ax=list(axes), shrink=0.9, pad=0.02)
        bar.set_label(phrase("difference", lang, kpi=kpi_label(kpi, lang), a=policy_label(LAERKEVEJ_POLICY, lang),
                             b=lower_first(policy_label(AHEAD_POLICY, lang))), fontsize=9.5)
        fig.suptitle(wrap_title(title if title is not None else finding_noshow(diffs, kpi, lang, desk_rule=desk_rule),
                                 width))
        caption(fig, f"{phrase('ci_frame', lang)} {caption_text}".strip())
    return fig


def noshow_caption(diffs: pd.DataFrame, scenario: str, replications: int, seed: int, lang: str = "en",
                   cap: float = SPREAD_CAP) -> str:
    """The caption of the no-show figures: scenario, the spreads used, replications, seed, version."""
    spreads = ", ".join(num(v, lang, None) for v in sorted(set(diffs["noshow_spread"])))
    return phrase("noshow_caption", lang, scenario=scenario, cap=cap, spreads=spreads, replications=replications,
                  seed=seed, version=__version__)
