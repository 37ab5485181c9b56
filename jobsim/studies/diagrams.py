"""Analyses and figures of three experiments: no-show sensitivity, Odense's exemption, a week in the life.

The scripts ``experiments/noshow_sensitivity.py``, ``experiments/odense.py``
and ``experiments/week_in_the_life.py`` only call the functions here:

* **No-show sensitivity** (:func:`noshow_sweep`, :func:`noshow_differences`,
  :func:`noshow_figure`): when does the Lærkevej rule (``after_checkin``) pay
  against preparing ahead (``ahead``)? Heatmaps over no-show probability x
  caseload of the paired difference (common random numbers) in casework
  coverage and prepared share, with and without SMS reminders.
* **Odense** (:func:`odense_runs`, :func:`odense_gaps_figure`,
  :func:`staffing_sweep`, :func:`staffing_answer`, :func:`odense_staffing_figure`):
  the exemption (``odense_frikommune``) against the law restored
  (``odense_2017``): follow-up gaps, citizens a year without a conversation,
  and the extra caseworkers (and DKK a year) the law needs.
* **A week in the life** (:func:`week_diary`, :func:`week_summary`,
  :func:`diary_gantt`, :func:`week_figure`): one caseworker's week as a diary,
  from :func:`jobsim.simulate` with ``trace=True``.

Units: times in **minutes** (from Monday 00:00 of week 1 unless said to be
minutes after midnight), spans in **days**, money in **DKK**, shares as
fractions (figures show percentage points where they show differences).
The house style, colours and caption come from :mod:`jobsim.plots`; words
from :mod:`jobsim.labels`, plus the phrases in :data:`PHRASES`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.calendar import DAY_END, DAY_START, MINUTES_PER_DAY, MINUTES_PER_WEEK
from ..report.words import activity_label, kpi_label, parameter_label, policy_label, word
from ..report.charts import ACTIVITY_COLOURS, OKABE_ITO, caption, house_style, new_figure
from ..model.scenario import Scenario
from ..runner.pool import map_tasks

# --------------------------------------------------------------------------- words

#: Figure phrases that :mod:`jobsim.labels` does not have; the same keys in both languages.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "weekdays": "Mon,Tue,Wed,Thu,Fri",
        "difference": "{kpi}:\n{a} minus {b}, percentage points",
        "sms_panel": "SMS reminders: {value}",
        "sms_effect": " (no-shows cut {effect:.0%})",
        "ci_frame": "Framed cells: the 95% confidence interval of the paired difference excludes 0.",
        "noshow_caption": ("Scenario {scenario!r} with noshow_probability and caseload varied; "
                           "noshow_spread = min({cap:g}, 0.9·sqrt(p(1−p))) ({spreads}); {replications} replications "
                           "per cell, paired by replication (common random numbers), seed {seed}; jobsim {version}."),
        "coverage_title": ("The Lærkevej rule frees casework time only from {threshold:g} cases up: up to "
                           "{gain:+.1f} points more casework done on time ({where}){trend}"),
        "coverage_title_none": "The Lærkevej rule buys no casework time anywhere in this grid",
        "coverage_trend_p": ", more the more citizens miss",
        "coverage_trend_sms": "; SMS reminders shrink the gain",
        "prepared_title": ("The Lærkevej rule costs {loss} points of fully prepared conversations in every "
                           "cell: {after} are fully prepared, against {ahead} when preparing ahead"),
        "where": "{p:.0%} no-shows, {c:g} cases",
        "exemption": "Exemption (odense_frikommune)",
        "law": "Law restored (odense_2017)",
        "gap_axis": "Follow-up gap between held conversations (days)",
        "ecdf_axis": "Share of follow-up gaps at most this long",
        "rule_91": "91 days: the legal maximum",
        "year": "365 days: a year",
        "over": "{over91:.0%} of gaps over 91 days, {over365:.1%} over a year",
        "no_contact_axis": ("Citizens without a conversation for over a year\n"
                            "(team of {citizens:,.0f} citizens at a time, {days:,} days)"),
        "gaps_title": ("Under the exemption {over91:.0%} of follow-up gaps exceed the legal 91 days and {count} "
                       "citizens go over a year without a conversation in {years:g} years (a team of {citizens:,.0f} "
                       "citizens at a time); with the law restored, {law_over91:.0%} and {law_count}"),
        "gaps_caption": ("Scenarios 'odense_frikommune' and 'odense_2017', both over {days:,} days after a "
                         "{warmup}-day warm-up; {replications} replications each, seed {seed}; gaps pooled over "
                         "replications, first conversations after entry left out; bars: mean, whiskers: 95% "
                         "confidence interval; jobsim {version}."),
        "workers_axis": "Caseworkers (cases per caseworker), {citizens:,.0f} citizens in all",
        "target": "Target: under {target:.0%} overdue",
        "frikommune_level": "Level under the exemption ({value:.0%})",
        "staffing_title": ("Keeping the restored law with under {target:.0%} of conversations overdue takes "
                           "{extra} more caseworker{s} per {citizens:,.0f} citizens ({cost:.1f} million DKK a year)"),
        "staffing_title_none": ("Even {extra} more caseworkers per {citizens:,.0f} citizens do not bring the overdue "
                                "share under {target:.0%}"),
        "staffing_note": ("Extra cost per 1,000 citizens: {per1000:,.0f} DKK a year with the mean under the target; "
                          "{strict} if the whole 95% confidence interval must be under it."),
        "strict": "{extra} more caseworkers ({per1000:,.0f} DKK per 1,000 citizens)",
        "strict_none": "more caseworkers than tried",
        "odense_note": ("Odense expected about {odense:.0f} million DKK a year ({fte:.0f} caseworkers at "
                        "{fte_cost:,.0f} DKK): at these ratios enough for about {served:,.0f} citizens{parity}."),
        "odense_parity": " (about {served:,.0f} if casework must also get back to its level under the exemption)",
        "staffing_parity": ("To also bring casework coverage back to its level under the exemption: "
                            "{extra} more caseworkers ({cost:.1f} million DKK a year, {per1000:,.0f} DKK per 1,000 "
                            "citizens)."),
        "staffing_parity_none": "Casework coverage does not get back to its level under the exemption in this range.",
        "staffing_caption": ("Scenario 'odense_2017' with workers varied and caseload = {citizens:,.0f} / workers; "
                             "{replications} replications per point, seed {seed}; the answer uses the mean; "
                             "whiskers: 95% confidence interval; jobsim {version}."),
        "clock_axis": "Time of day",
        "left_undone": ("Left undone this week: {undone:,.0f} of the {demand:,.0f} minutes of casework due "
                        "({undone_share:.0%}); {unprepared} of {held} conversations not fully prepared; "
                        "{wasted:,.0f} minutes of preparation wasted on {noshows} no-show{s}."),
        "panel": "{caseload:g} cases per caseworker, {policy} · scenario {scenario}",
        "week_title": ("One caseworker's week: at {c1:g} cases, {u1} of {h1} conversations unprepared and {l1:.0f} "
                       "hours of casework left undone; at {c2:g} cases, {u2} of {h2} unprepared and {l2:.0f} hours "
                       "left undone"),
        "week_caption": ("Scenarios {scenarios}; caseworker {worker}, week {week} (days {first}–{last}, after the "
                         "{warmup}-day warm-up), seed {seed}, replication {replication}; hatched: slots whose "
                         "citizen did not show; jobsim {version}."),
        "absent": "absent",
    },
    "da": {
        "weekdays": "Man,Tir,Ons,Tor,Fre",
        "difference": "{kpi}:\n{a} minus {b}, procentpoint",
        "sms_panel": "SMS-påmindelser: {value}",
        "sms_effect": " (udeblivelser −{effect:.0%})",
        "ci_frame": "Celler med ramme: 95 %-konfidensintervallet for den parrede forskel udelukker 0.",
        "noshow_caption": ("Scenarie {scenario!r} med noshow_probability og caseload varieret; "
                           "noshow_spread = min({cap:g}, 0,9·sqrt(p(1−p))) ({spreads}); {replications} replikationer "
                           "pr. celle, parret pr. replikation (fælles tilfældige tal), seed {seed}; jobsim {version}."),
        "coverage_title": ("Lærkevej-reglen giver kun mere tid til sagsarbejde fra {threshold:g} sager: op til "
                           "{gain:+.1f} point mere sagsarbejde nået til tiden ({where}){trend}"),
        "coverage_title_none": "Lærkevej-reglen giver ingen ekstra tid til sagsarbejde i dette gitter",
        "coverage_trend_p": ", mere jo flere der udebliver",
        "coverage_trend_sms": "; SMS-påmindelser mindsker gevinsten",
        "prepared_title": ("Lærkevej-reglen koster {loss} point fuldt forberedte samtaler i alle celler: "
                           "{after} er fuldt forberedt mod {ahead} ved forberedelse på forhånd"),
        "where": "{p:.0%} udeblivelser, {c:g} sager",
        "exemption": "Frikommune (odense_frikommune)",
        "law": "Loven genindført (odense_2017)",
        "gap_axis": "Opfølgningsinterval mellem afholdte samtaler (dage)",
        "ecdf_axis": "Andel af opfølgningsintervaller højst så lange",
        "rule_91": "91 dage: lovens maksimum",
        "year": "365 dage: et år",
        "over": "{over91:.0%} af intervallerne over 91 dage, {over365:.1%} over et år",
        "no_contact_axis": ("Borgere uden samtale i over et år\n"
                            "(team med {citizens:,.0f} borgere ad gangen, {days:,} dage)"),
        "gaps_title": ("I frikommuneforsøget er {over91:.0%} af opfølgningsintervallerne over lovens 91 dage, og "
                       "{count} borgere går over et år uden samtale på {years:g} år (et team med {citizens:,.0f} "
                       "borgere ad gangen); med loven genindført {law_over91:.0%} og {law_count}"),
        "gaps_caption": ("Scenarierne 'odense_frikommune' og 'odense_2017', begge over {days:,} dage efter "
                         "{warmup} dages indsvingning; {replications} replikationer hver, seed {seed}; intervaller "
                         "samlet over replikationer, første samtale efter indgang udeladt; søjler: gennemsnit, "
                         "streger: 95 %-konfidensinterval; jobsim {version}."),
        "workers_axis": "Sagsbehandlere (sager pr. sagsbehandler), {citizens:,.0f} borgere i alt",
        "target": "Mål: under {target:.0%} for sent",
        "frikommune_level": "Niveau i frikommuneforsøget ({value:.0%})",
        "staffing_title": ("At overholde loven med under {target:.0%} for sene samtaler kræver {extra} "
                           "sagsbehandler{s} mere pr. {citizens:,.0f} borgere ({cost:.1f} mio. kr. om året)"),
        "staffing_title_none": ("Selv {extra} sagsbehandlere mere pr. {citizens:,.0f} borgere får ikke andelen af for "
                                "sene samtaler under {target:.0%}"),
        "staffing_note": ("Ekstra udgift pr. 1.000 borgere: {per1000:,.0f} kr. om året med gennemsnittet under målet; "
                          "{strict}, hvis hele 95 %-konfidensintervallet skal være under det."),
        "strict": "{extra} sagsbehandlere mere ({per1000:,.0f} kr. pr. 1.000 borgere)",
        "strict_none": "flere sagsbehandlere end afprøvet",
        "odense_note": ("Odense ventede ca. {odense:.0f} mio. kr. om året ({fte:.0f} sagsbehandlere à "
                        "{fte_cost:,.0f} kr.): med disse forhold nok til ca. {served:,.0f} borgere{parity}."),
        "odense_parity": " (ca. {served:,.0f}, hvis sagsarbejdet også skal tilbage på niveauet fra frikommuneforsøget)",
        "staffing_parity": ("For også at få sagsarbejdet tilbage på niveauet fra frikommuneforsøget: "
                            "{extra} sagsbehandlere mere ({cost:.1f} mio. kr. om året, {per1000:,.0f} kr. pr. 1.000 "
                            "borgere)."),
        "staffing_parity_none": "Sagsarbejdet kommer ikke tilbage på niveauet fra frikommuneforsøget i dette interval.",
        "staffing_caption": ("Scenarie 'odense_2017' med workers varieret og caseload = {citizens:,.0f} / workers; "
                             "{replications} replikationer pr. punkt, seed {seed}; svaret bruger gennemsnittet; "
                             "streger: 95 %-konfidensinterval; jobsim {version}."),
        "clock_axis": "Klokkeslæt",
        "left_undone": ("Ikke nået i ugen: {undone:,.0f} af ugens {demand:,.0f} minutter sagsarbejde "
                        "({undone_share:.0%}); {unprepared} af {held} samtaler ikke fuldt forberedt; "
                        "{wasted:,.0f} minutters forberedelse spildt på {noshows} udeblivelse{s}."),
        "panel": "{caseload:g} sager pr. sagsbehandler, {policy} · scenarie {scenario}",
        "week_title": ("En sagsbehandlers uge: ved {c1:g} sager er {u1} af {h1} samtaler uforberedte og {l1:.0f} "
                       "timers sagsarbejde bliver liggende; ved {c2:g} sager {u2} af {h2} uforberedte og {l2:.0f} "
                       "timer bliver liggende"),
        "week_caption": ("Scenarierne {scenarios}; sagsbehandler {worker}, uge {week} (dag {first}–{last}, efter "
                         "{warmup} dages indsvingning), seed {seed}, replikation {replication}; skraveret: tider hvor "
                         "borgeren udeblev; jobsim {version}."),
        "absent": "fraværende",
    },
}

#: Danish number formatting swaps the separators: 1,234.5 -> 1.234,5.
_DA_TRANS = str.maketrans({",": ".", ".": ","})


def phrase(key: str, lang: str = "en", **fmt: Any) -> str:
    """A figure phrase from :data:`PHRASES` in ``lang``, formatted with ``fmt``.

    Danish text gets Danish number separators (``1.234,5``) in the formatted values.
    """
    word("yes", lang)  # refuses an unknown language with labels.py's message
    text = PHRASES[lang][key]
    if not fmt:
        return text
    if lang == "da":
        fmt = {k: _DaNumber(v) if isinstance(v, (int, float, np.integer, np.floating))
               and not isinstance(v, bool) else v for k, v in fmt.items()}
    return text.format(**fmt)


class _DaNumber(float):
    """A number that formats with Danish separators (used by :func:`phrase`)."""

    def __new__(cls, value):
        obj = super().__new__(cls, float(value))
        obj._int = isinstance(value, (int, np.integer))
        return obj

    def __format__(self, spec: str) -> str:
        value = int(self) if self._int and not spec.endswith(("f", "%", "e", "g")) else float(self)
        return format(value, spec).translate(_DA_TRANS)


def _version() -> str:
    from .. import __version__

    return __version__


def _bool_text(value: Any, lang: str) -> str:
    return word("yes" if bool(value) else "no", lang)


# --------------------------------------------------------------------------- statistics

def mean_interval(values: Sequence[float], confidence: float = 0.95) -> dict[str, float]:
    """Mean, sample sd, t-based confidence interval and n of ``values`` (NaN values left out).

    Returns a dict with ``mean``, ``sd``, ``ci_low``, ``ci_high`` (in the
    values' unit) and ``n``; with n < 2 the sd and interval are NaN.
    """
    from ..runner.stats import t_interval

    x = np.asarray([v for v in values if not math.isnan(float(v))], dtype=float)
    n = len(x)
    m = float(x.mean()) if n else math.nan
    s = float(x.std(ddof=1)) if n > 1 else math.nan
    low, high = t_interval(m, s, n, confidence)
    return {"mean": m, "sd": s, "ci_low": low, "ci_high": high, "n": n}


def interval_table(runs: pd.DataFrame, by: str | Sequence[str], kpis: Sequence[str],
                   confidence: float = 0.95) -> pd.DataFrame:
    """Per group of ``by`` and per KPI: mean, sd, t interval and n over the rows (replications) of ``runs``."""
    by = [by] if isinstance(by, str) else list(by)
    rows = []
    for key, g in runs.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        for kpi in kpis:
            rows.append({**dict(zip(by, key)), "kpi": kpi, **mean_interval(g[kpi].to_numpy(), confidence)})
    return pd.DataFrame(rows)


def excludes_zero(table: pd.DataFrame) -> pd.Series:
    """True where a difference's confidence interval (``ci_low``, ``ci_high``) lies wholly above or below 0."""
    return (table["ci_low"] > 0) | (table["ci_high"] < 0)


# --------------------------------------------------------------------------- no-show sensitivity

#: The default grid: no-show probability (share) x caseload (citizens per caseworker).
NOSHOW_PROBABILITIES = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40)
NOSHOW_CASELOADS = (30.0, 40.0, 50.0, 60.0, 80.0, 100.0, 140.0, 180.0, 220.0)
#: The two policies compared: the Lærkevej rule and preparing ahead.
LAERKEVEJ_POLICY, AHEAD_POLICY = "after_checkin", "ahead"
#: The KPIs whose paired difference the heatmaps show.
NOSHOW_KPIS = ("casework_coverage", "prepared_share")


def noshow_spread_for(p: float, cap: float = 0.15, factor: float = 0.9) -> float:
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
                 spread_cap: float = 0.15) -> list:
    """Sweep no-show probability x caseload x policy (ahead, after_checkin) x SMS reminders (off, on).

    The no-show spread follows :func:`noshow_spread_for`; probabilities that
    share a spread run as one :func:`jobsim.sweep` (usually all of them, so
    one sweep), stored in ``out/sweep`` (or ``out/sweep_spread<s>``) so a killed
    run resumes. Replication ``r`` uses the same random streams in every cell
    (common random numbers). Returns the list of :class:`~jobsim.experiment.SweepResult`.
    """
    from ..runner.sweep import sweep

    groups: dict[float, list[float]] = {}
    for p in probabilities:
        groups.setdefault(round(noshow_spread_for(float(p), spread_cap), 6), []).append(float(p))
    results = []
    for spread, ps in groups.items():
        folder = None
        if out is not None:
            folder = Path(out) / ("sweep" if len(groups) == 1 else f"sweep_spread{spread:.3f}")
        grid = {"noshow_probability": ps, "caseload": [float(c) for c in caseloads],
                "sms_reminders": [False, True], "prep_policy": [AHEAD_POLICY, LAERKEVEJ_POLICY]}
        results.append(sweep(base.replace(noshow_spread=spread), grid, replications=replications, seed=seed,
                             jobs=jobs, out=folder, progress=progress))
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
                       lang: str = "en", decimals: int = 1):
    """One heatmap of paired differences: a cell per (``x``, ``y``), its value written in it.

    ``cells`` has one row per cell with ``mean``, ``ci_low``, ``ci_high``
    (shares) and ``excludes_zero``. Values are multiplied by ``scale`` (100:
    percentage points). Cells whose interval excludes 0 get a black frame;
    the others have grey text. The colour scale is symmetric around 0 (blue
    above, red below; ``vmax`` in scaled units, default the largest |value|).
    Returns the :class:`~matplotlib.collections.QuadMesh` (one face per cell).
    """
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
    norm = Normalize(-vmax, vmax)
    mesh = ax.pcolormesh(np.arange(len(xs) + 1), np.arange(len(ys) + 1), z, cmap=cmap, norm=norm,
                         edgecolors="white", linewidth=0.6)
    for i in range(len(ys)):
        for j in range(len(xs)):
            v = z[i, j]
            if not np.isfinite(v):
                continue
            text = _cell_text(v, decimals, sig[i, j])
            if lang == "da":
                text = text.replace(".", ",")
            dark = abs(v) / vmax > 0.55
            colour = ("white" if dark else "black") if sig[i, j] else "#777777"
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=8.5, color=colour,
                    fontweight="bold" if sig[i, j] else "normal")
            if sig[i, j]:
                ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False, edgecolor="black",
                                       linewidth=1.0, zorder=3))
    ax.set_xticks(np.arange(len(xs)) + 0.5)
    ax.set_xticklabels([f"{v:g}" for v in xs])
    ax.set_yticks(np.arange(len(ys)) + 0.5)
    ax.set_yticklabels([f"{v:.0%}" if y == "noshow_probability" else f"{v:g}" for v in ys])
    ax.set_xlabel(parameter_label(x, lang))
    ax.set_ylabel(parameter_label(y, lang))
    ax.set_xlim(0, len(xs))
    ax.set_ylim(0, len(ys))
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return mesh


def _cell_text(value: float, decimals: int, significant: bool) -> str:
    """A cell's value: signed, ``decimals`` places; a significant value too small for them gets two places."""
    if round(value, decimals) != 0:
        return f"{value:+.{decimals}f}"
    if significant and value != 0:
        return f"{value:+.2f}" if round(value, 2) != 0 else ("+<0.01" if value > 0 else "−<0.01")
    return f"{0:.{decimals}f}"


def _span(lo: float, hi: float, spec: str) -> str:
    """``lo–hi`` formatted with ``spec``, or one value if both read the same."""
    a, b = format(lo, spec), format(hi, spec)
    return a if a == b else f"{a}–{b}"


def finding_noshow(diffs: pd.DataFrame, kpi: str, lang: str = "en", min_gain: float = 0.5) -> str:
    """The title of a no-show heatmap, computed from the paired differences.

    Casework coverage: the smallest caseload at which the Lærkevej rule gets
    more casework done (without SMS), its interval excluding 0 and the gain at
    least ``min_gain`` percentage points (smaller gains, however certain, do
    not matter to a reader), the largest gain (points)
    and where, whether the gain grows with the no-show probability and
    shrinks with SMS reminders. Prepared share: the range of the loss in
    points over all cells.
    """
    d = diffs[diffs["kpi"] == kpi]
    if kpi == "prepared_share":
        loss = -100 * d["mean"]
        sep = (lambda t: t.replace(".", ",")) if lang == "da" else (lambda t: t)
        return phrase("prepared_title", lang, loss=sep(_span(float(loss.min()), float(loss.max()), ".0f")),
                      after=_span(float(d["mean_a"].min()), float(d["mean_a"].max()), ".0%"),
                      ahead=_span(float(d["mean_b"].min()), float(d["mean_b"].max()), ".0%"))
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
                  trend=trend)


def noshow_figure(diffs: pd.DataFrame, kpi: str, lang: str = "en", *, caption_text: str = "",
                  title: str | None = None, sms_effect: float | None = None, width: float = 11.0):
    """Two heatmaps side by side (SMS reminders off, on) of the paired difference in ``kpi``.

    ``diffs`` is :func:`noshow_differences`; the colour scale is shared by the
    two panels; one colour bar says what is shown (after_checkin minus ahead,
    in percentage points). The title states the finding (:func:`finding_noshow`).
    """
    d = diffs[diffs["kpi"] == kpi]
    if d.empty:
        raise ValueError(f"kpi: {kpi!r} is not in the differences; there are: {', '.join(diffs['kpi'].unique())}")
    vmax = float((100 * d["mean"]).abs().max()) or 1.0
    fig, axes = new_figure(1, 2, width=width, height=5.6, sharey=True)
    with house_style():
        mesh = None
        for ax, sms in zip(axes, (False, True)):
            cells = d[d["sms_reminders"].astype(bool) == sms]
            mesh = difference_heatmap(ax, cells, vmax=vmax, lang=lang)
            label = phrase("sms_panel", lang, value=_bool_text(sms, lang))
            if sms and sms_effect is not None:
                label += phrase("sms_effect", lang, effect=sms_effect)
            ax.set_title(label, fontsize=11)
        axes[1].set_ylabel("")
        for ax in axes:
            ax.tick_params(left=False, bottom=False)
        bar = fig.colorbar(mesh, ax=list(axes), shrink=0.9, pad=0.02)
        bar.set_label(phrase("difference", lang, kpi=kpi_label(kpi, lang), a=policy_label(LAERKEVEJ_POLICY, lang),
                             b=lower_first(policy_label(AHEAD_POLICY, lang))), fontsize=9.5)
        fig.suptitle(_wrap(title if title is not None else finding_noshow(diffs, kpi, lang), width))
        caption(fig, f"{phrase('ci_frame', lang)} {caption_text}".strip())
    return fig


# --------------------------------------------------------------------------- Odense

#: Odense's expected extra cost of complying with the law again, DKK per year (DOMAIN.md).
ODENSE_EXPECTED_DKK = 25_000_000.0
#: The two scenarios compared and their colours.
ODENSE_SCENARIOS = ("odense_frikommune", "odense_2017")
ODENSE_COLOURS = {"odense_frikommune": OKABE_ITO["orange"], "odense_2017": OKABE_ITO["blue"]}
ODENSE_PHRASE = {"odense_frikommune": "exemption", "odense_2017": "law"}
#: Reference follow-up gaps drawn on the distributions: the legal maximum and a year (days).
GAP_MARKS = (91.0, 365.0)
#: KPIs kept from each Odense run.
ODENSE_KPIS = ("no_contact_over_year_count", "overdue_share", "followup_gap_days_mean", "followup_gap_days_p90",
               "followup_gap_days_max", "casework_coverage", "meetings_held_per_worker_week", "caseload_mean")


def follow_up_gaps(result, follow_ups_only: bool = True) -> pd.DataFrame:
    """The follow-up gaps (days) of a run's held conversations, from ``result.meetings.gap_days``.

    Columns ``citizen``, ``gap_days`` and ``first`` (True for a citizen's
    first conversation after entering during the run, whose gap counts from
    entry). With ``follow_ups_only`` those first conversations are left out,
    so the distribution is of gaps between conversations.
    """
    m = result.meetings
    held = m[m["outcome"] == "held"][["citizen", "conversation_start", "gap_days"]]
    entry = result.citizens.set_index("citizen")["entry_day"]
    entry_day = held["citizen"].map(entry)
    since_entry = held["conversation_start"] / MINUTES_PER_DAY - entry_day
    first = (entry_day > 0) & (np.abs(since_entry - held["gap_days"]) < 1e-6)
    out = pd.DataFrame({"citizen": held["citizen"].to_numpy(), "gap_days": held["gap_days"].to_numpy(dtype=float),
                        "first": first.to_numpy(dtype=bool)})
    return out[~out["first"]].reset_index(drop=True) if follow_ups_only else out


def _odense_task(task: tuple[str, Scenario, int, int]) -> tuple[dict[str, Any], pd.DataFrame]:
    name, scenario, seed, replication = task
    from ..runner.simulate import simulate

    result = simulate(scenario, seed=seed, replication=replication)
    gaps = follow_up_gaps(result, follow_ups_only=False)[["gap_days", "first"]]
    row = {"scenario": name, "replication": replication, "seed": seed, "run_seconds": result.wall_seconds,
           **{k: result.kpis[k] for k in ODENSE_KPIS}}
    return row, gaps.assign(scenario=name, replication=replication)


def odense_runs(scenarios: Mapping[str, Scenario], replications: int = 20, seed: int = 0,
                jobs: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run each scenario ``replications`` times with tables; return ``(kpis, gaps)``.

    ``kpis``: one row per scenario and replication (``scenario``,
    ``replication``, ``seed``, ``run_seconds`` and :data:`ODENSE_KPIS`).
    ``gaps``: one row per held conversation in the horizon (``scenario``,
    ``replication``, ``gap_days``, ``first``; see :func:`follow_up_gaps`).
    Replication ``r`` uses the same random streams in both scenarios.
    """
    tasks = [(name, s, seed, r) for name, s in scenarios.items() for r in range(replications)]
    out = map_tasks(_odense_task, tasks, jobs)
    kpis = pd.DataFrame([row for row, _ in out])
    gaps = pd.concat([g for _, g in out], ignore_index=True)
    return kpis, gaps


def gap_shares(gaps: pd.DataFrame, marks: Sequence[float] = GAP_MARKS) -> pd.DataFrame:
    """Per scenario: the number of follow-up gaps and the share longer than each mark (days)."""
    rows = []
    for name, g in gaps[~gaps["first"]].groupby("scenario", sort=False):
        x = g["gap_days"].to_numpy()
        rows.append({"scenario": name, "gaps": len(x), "gap_days_median": float(np.median(x)),
                     **{f"share_over_{m:g}_days": float((x > m).mean()) for m in marks}})
    return pd.DataFrame(rows)


def gap_ecdf(ax, gaps: pd.DataFrame, lang: str = "en", marks: Sequence[float] = GAP_MARKS,
             order: Sequence[str] = ODENSE_SCENARIOS) -> list:
    """Empirical distribution functions of follow-up gaps (days), one line per scenario, marks as vertical lines.

    ``gaps`` has ``scenario``, ``gap_days`` and ``first`` (first conversations
    after entry are left out). The legend gives each scenario's share of gaps
    over 91 days and over a year. Returns the ECDF lines (each ends at 1).
    """
    lines = []
    shares = gap_shares(gaps, marks).set_index("scenario")
    upper = 0.0
    for name in order:
        x = np.sort(gaps.loc[(gaps["scenario"] == name) & ~gaps["first"], "gap_days"].to_numpy(dtype=float))
        if not len(x):
            continue
        y = np.arange(1, len(x) + 1) / len(x)
        over = phrase("over", lang, over91=shares.at[name, "share_over_91_days"],
                      over365=shares.at[name, "share_over_365_days"])
        (line,) = ax.step(np.r_[0.0, x], np.r_[0.0, y], where="post", color=ODENSE_COLOURS.get(name),
                          label=f"{phrase(ODENSE_PHRASE.get(name, name), lang) if name in ODENSE_PHRASE else name}"
                                f"\n{over}", zorder=3)
        lines.append(line)
        upper = max(upper, float(x[-1]))
    styles = {91.0: ("#333333", "--", phrase("rule_91", lang)), 365.0: ("#333333", ":", phrase("year", lang))}
    for m in marks:
        colour, ls, label = styles.get(float(m), ("#333333", "-.", f"{m:g} {word('days', lang)}"))
        ax.axvline(m, color=colour, linestyle=ls, linewidth=1.3, label=label, zorder=2)
    ax.set_xlim(0, max(upper, max(marks)) * 1.03)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(phrase("gap_axis", lang))
    ax.set_ylabel(phrase("ecdf_axis", lang))
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    # under the axes (anchored to them, so a tight save keeps it there): no curve runs through the text
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2, fontsize=9)
    return lines


def _count_text(value: float, lang: str = "en") -> str:
    """A mean count: whole numbers from 10 up, one decimal below (0.15 is not 0)."""
    text = f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:.1f}"
    return text.translate(_DA_TRANS) if lang == "da" else text


def no_contact_bars(ax, table: pd.DataFrame, lang: str = "en", order: Sequence[str] = ODENSE_SCENARIOS,
                    citizens: float | None = None, days: int | None = None):
    """Bars of citizens without a conversation for over a year: mean over replications with 95% CI whiskers.

    ``table`` is :func:`interval_table` of the runs by ``scenario`` (rows with
    ``kpi == "no_contact_over_year_count"``). Returns the bar container.
    """
    t = table[table["kpi"] == "no_contact_over_year_count"].set_index("scenario")
    names = [n for n in order if n in t.index]
    means = t.loc[names, "mean"].to_numpy(dtype=float)
    low = np.nan_to_num(means - t.loc[names, "ci_low"].to_numpy(dtype=float))
    high = np.nan_to_num(t.loc[names, "ci_high"].to_numpy(dtype=float) - means)
    bars = ax.bar(range(len(names)), means, color=[ODENSE_COLOURS.get(n, OKABE_ITO["grey"]) for n in names],
                  yerr=[low, high], capsize=6, width=0.6, zorder=2,
                  error_kw={"elinewidth": 1.3, "ecolor": "#333333"})
    for i, v in enumerate(means):
        ax.annotate(_count_text(v, lang), (i, v + high[i]),
                    xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=10)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([phrase(ODENSE_PHRASE[n], lang).replace(" (", "\n(") if n in ODENSE_PHRASE else n
                        for n in names])
    if citizens is not None and days is not None:
        ax.set_ylabel(phrase("no_contact_axis", lang, citizens=citizens, days=int(days)))
    else:
        ax.set_ylabel(kpi_label("no_contact_over_year_count", lang))
    ax.set_ylim(bottom=0)
    ax.grid(axis="x", visible=False)
    return bars


def odense_gaps_figure(kpis: pd.DataFrame, gaps: pd.DataFrame, scenarios: Mapping[str, Scenario],
                       lang: str = "en", *, seed: int = 0, width: float = 11.0):
    """The exemption against the law: follow-up gap distributions (left) and citizens a year without a conversation.

    ``kpis`` and ``gaps`` come from :func:`odense_runs`; ``scenarios`` are the
    scenarios run (for the caption: horizon, warm-up, team size).
    """
    table = interval_table(kpis, "scenario", ["no_contact_over_year_count"])
    shares = gap_shares(gaps).set_index("scenario")
    first = next(iter(scenarios.values()))
    fig, axes = new_figure(1, 2, width=width, height=5.8, gridspec_kw={"width_ratios": [2.0, 1]})
    with house_style():
        gap_ecdf(axes[0], gaps, lang)
        no_contact_bars(axes[1], table, lang, citizens=first.citizens, days=first.horizon_days)
        t = table.set_index("scenario")["mean"]
        title = phrase("gaps_title", lang, over91=float(shares.at["odense_frikommune", "share_over_91_days"]),
                       count=_count_text(float(t.get("odense_frikommune", math.nan)), lang), citizens=first.citizens,
                       years=round(first.horizon_days / 364, 1),
                       law_over91=float(shares.at["odense_2017", "share_over_91_days"]),
                       law_count=_count_text(float(t.get("odense_2017", math.nan)), lang))
        fig.suptitle(_wrap(title, width))
        caption(fig, phrase("gaps_caption", lang, days=first.horizon_days, warmup=first.warmup_days,
                            replications=int(kpis["replication"].nunique()), seed=seed, version=_version()))
    return fig


def staffing_points(scenario: Scenario, max_extra: int = 6) -> list[tuple[int, float]]:
    """``(workers, caseload)`` from the scenario's team to ``max_extra`` more, citizens (workers x caseload) fixed."""
    citizens = scenario.citizens
    return [(w, citizens / w) for w in range(scenario.workers, scenario.workers + max_extra + 1)]


def staffing_sweep(scenario: Scenario, max_extra: int = 6, replications: int = 20, seed: int = 0, jobs: int = 1,
                   out: str | Path | None = None, progress: bool | None = None) -> pd.DataFrame:
    """Runs of ``scenario`` with more caseworkers for the same citizens (caseload = citizens / workers).

    One :func:`jobsim.sweep` per team size (stored in ``out/workers_<w>`` so a
    killed run resumes); replication ``r`` uses the same streams at every
    size. Returns the runs: ``workers``, ``caseload`` (citizens per
    caseworker), ``replication``, ``seed``, ``run_seconds`` and every KPI.
    """
    from ..runner.sweep import sweep

    frames = []
    for w, caseload in staffing_points(scenario, max_extra):
        folder = Path(out) / f"workers_{w}" if out is not None else None
        r = sweep(scenario.replace(workers=w, caseload=caseload), {}, replications=replications, seed=seed,
                  jobs=jobs, out=folder, progress=progress)
        frames.append(r.runs.assign(workers=w, caseload=caseload))
    runs = pd.concat(frames, ignore_index=True)
    first = ["workers", "caseload"]
    return runs[first + [c for c in runs.columns if c not in first]]


def staffing_answer(runs: pd.DataFrame, target: float = 0.10, *, kpi: str = "overdue_share",
                    base_workers: int | None = None, fte_cost_dkk: float = 600_000.0,
                    reference_coverage: float | None = None,
                    odense_expected_dkk: float = ODENSE_EXPECTED_DKK) -> dict[str, Any]:
    """The smallest team at which the mean ``kpi`` (a share) falls below ``target``, and its cost.

    ``runs`` is :func:`staffing_sweep`. Returns a dict: ``target``,
    ``base_workers``, ``workers`` (smallest meeting the target, None if none
    does), ``extra_workers``, ``extra_cost_dkk_per_year`` (extra x
    ``fte_cost_dkk``), ``citizens``, ``extra_cost_dkk_per_1000_citizens``,
    ``odense_expected_dkk``, ``odense_expected_fte`` (that sum in caseworkers),
    ``citizens_served_by_odense_sum`` (citizens that sum would staff at the
    model's ratio), ``strict_workers`` / ``strict_extra_workers`` (the same
    answer if the whole 95% interval must be under the target), and, if
    ``reference_coverage`` (a casework coverage share, e.g. under the
    exemption) is given, the smallest team whose mean casework coverage
    reaches it (``parity_workers``, ``parity_extra_workers``,
    ``parity_cost_dkk_per_year``, ``parity_cost_dkk_per_1000_citizens``,
    ``citizens_served_by_odense_sum_parity``).
    """
    means = runs.groupby("workers")[[kpi, "casework_coverage"]].mean().sort_index()
    base = int(base_workers if base_workers is not None else means.index.min())
    citizens = float((runs["workers"] * runs["caseload"]).iloc[0])
    ok = means.index[means[kpi] < target]
    workers = int(ok.min()) if len(ok) else None
    extra = workers - base if workers is not None else None
    cost = extra * fte_cost_dkk if extra is not None else None
    highs = interval_table(runs, "workers", [kpi]).set_index("workers")["ci_high"]
    strict = highs.index[highs < target]
    strict_workers = int(strict.min()) if len(strict) else None
    answer: dict[str, Any] = {
        "kpi": kpi, "target": target, "base_workers": base, "workers": workers, "extra_workers": extra,
        "fte_cost_dkk": fte_cost_dkk, "extra_cost_dkk_per_year": cost, "citizens": citizens,
        "extra_cost_dkk_per_1000_citizens": cost / citizens * 1000 if cost is not None else None,
        "odense_expected_dkk": odense_expected_dkk,
        "odense_expected_fte": odense_expected_dkk / fte_cost_dkk if fte_cost_dkk else None,
        "citizens_served_by_odense_sum": (odense_expected_dkk / cost * citizens) if cost else None,
        "max_workers": int(means.index.max()),
        "strict_workers": strict_workers,
        "strict_extra_workers": strict_workers - base if strict_workers is not None else None,
        "strict_extra_cost_dkk_per_1000_citizens": ((strict_workers - base) * fte_cost_dkk / citizens * 1000
                                                    if strict_workers is not None else None),
    }
    if reference_coverage is not None:
        par = means.index[means["casework_coverage"] >= reference_coverage]
        pw = int(par.min()) if len(par) else None
        pcost = (pw - base) * fte_cost_dkk if pw is not None else None
        answer.update({"reference_coverage": reference_coverage, "parity_workers": pw,
                       "parity_extra_workers": pw - base if pw is not None else None,
                       "parity_cost_dkk_per_year": pcost,
                       "parity_cost_dkk_per_1000_citizens": pcost / citizens * 1000 if pcost is not None else None,
                       "citizens_served_by_odense_sum_parity": (odense_expected_dkk / pcost * citizens
                                                                if pcost else None)})
    return answer


def _errorbar(ax, table: pd.DataFrame, kpi: str, colour: str, label: str):
    t = table[table["kpi"] == kpi].sort_values("workers")
    x = t["workers"].to_numpy(dtype=float)
    m = t["mean"].to_numpy(dtype=float)
    err = [np.nan_to_num(m - t["ci_low"].to_numpy(dtype=float)), np.nan_to_num(t["ci_high"].to_numpy(dtype=float) - m)]
    return ax.errorbar(x, m, yerr=err, color=colour, marker="o", capsize=4, label=label, zorder=3)


def odense_staffing_figure(runs: pd.DataFrame, answer: Mapping[str, Any], lang: str = "en", *, seed: int = 0,
                           width: float = 11.0):
    """How many caseworkers the restored law needs: overdue share (left) and casework coverage (right) by team size.

    ``runs`` is :func:`staffing_sweep`, ``answer`` :func:`staffing_answer`.
    The target and the level under the exemption are drawn as horizontal
    lines, the answer marked, and its cost written under the panels.
    """
    from matplotlib.ticker import PercentFormatter

    table = interval_table(runs, ["workers", "caseload"], ["overdue_share", "casework_coverage"])
    workers = sorted(runs["workers"].unique())
    caseloads = runs.groupby("workers")["caseload"].first()
    citizens = answer["citizens"]
    fig, axes = new_figure(1, 2, width=width, height=5.4)
    with house_style():
        ax = axes[0]
        _errorbar(ax, table, "overdue_share", OKABE_ITO["blue"], kpi_label("overdue_share", lang))
        ax.axhline(answer["target"], color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.3,
                   label=phrase("target", lang, target=answer["target"]))
        if answer["workers"] is not None:
            m = table[(table["kpi"] == "overdue_share") & (table["workers"] == answer["workers"])]["mean"].iloc[0]
            ax.plot([answer["workers"]], [m], marker="o", markersize=14, markerfacecolor="none",
                    markeredgecolor=OKABE_ITO["vermillion"], markeredgewidth=2, zorder=4)
        ax.set_ylabel(kpi_label("overdue_share", lang))
        ax.set_ylim(bottom=0)
        ax = axes[1]
        _errorbar(ax, table, "casework_coverage", OKABE_ITO["green"], kpi_label("casework_coverage", lang))
        if answer.get("reference_coverage") is not None:
            ax.axhline(answer["reference_coverage"], color=ODENSE_COLOURS["odense_frikommune"], linestyle="--",
                       linewidth=1.3, label=phrase("frikommune_level", lang, value=answer["reference_coverage"]))
            if answer.get("parity_workers") is not None:
                m = table[(table["kpi"] == "casework_coverage")
                          & (table["workers"] == answer["parity_workers"])]["mean"].iloc[0]
                ax.plot([answer["parity_workers"]], [m], marker="o", markersize=14, markerfacecolor="none",
                        markeredgecolor=ODENSE_COLOURS["odense_frikommune"], markeredgewidth=2, zorder=4)
        ax.set_ylabel(kpi_label("casework_coverage", lang))
        ax.set_ylim(0, 1.0)
        for ax in axes:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
            ax.set_xticks(workers)
            ax.set_xticklabels([f"{w}\n({caseloads[w]:.0f})" for w in workers])
            ax.set_xlabel(phrase("workers_axis", lang, citizens=citizens))
            ax.legend(loc="lower left" if ax is axes[0] else "upper left", fontsize=9.5)
        if answer["workers"] is not None:
            extra = answer["extra_workers"]
            title = phrase("staffing_title", lang, target=answer["target"], extra=extra,
                           s="" if extra == 1 else ("s" if lang == "en" else "e"), citizens=citizens,
                           cost=answer["extra_cost_dkk_per_year"] / 1e6)
        else:
            title = phrase("staffing_title_none", lang, extra=answer["max_workers"] - answer["base_workers"],
                           citizens=citizens, target=answer["target"])
        fig.suptitle(_wrap(title, width))
        notes = []
        if answer["workers"] is not None and answer["extra_workers"]:
            if answer.get("strict_workers") is not None:
                strict = phrase("strict", lang, extra=answer["strict_extra_workers"],
                                per1000=round(answer["strict_extra_cost_dkk_per_1000_citizens"], -3))
            else:
                strict = phrase("strict_none", lang)
            notes.append(phrase("staffing_note", lang, per1000=round(answer["extra_cost_dkk_per_1000_citizens"], -3),
                                strict=strict))
        parity = answer.get("parity_workers") is not None and answer.get("parity_extra_workers")
        if answer.get("reference_coverage") is not None:
            if parity:
                notes.append(phrase("staffing_parity", lang, extra=answer["parity_extra_workers"],
                                    cost=answer["parity_cost_dkk_per_year"] / 1e6,
                                    per1000=round(answer["parity_cost_dkk_per_1000_citizens"], -3)))
            elif answer.get("parity_workers") is None:
                notes.append(phrase("staffing_parity_none", lang))
        if answer.get("citizens_served_by_odense_sum"):
            extra_text = ""
            if parity:
                extra_text = phrase("odense_parity", lang,
                                    served=round(answer["citizens_served_by_odense_sum_parity"], -2))
            notes.append(phrase("odense_note", lang, odense=answer["odense_expected_dkk"] / 1e6,
                                fte=answer["odense_expected_fte"], fte_cost=answer["fte_cost_dkk"],
                                served=round(answer["citizens_served_by_odense_sum"], -2), parity=extra_text))
        below = None
        if notes:
            import textwrap

            below = fig.text(0.5, -0.01, "\n".join(textwrap.fill(n, int(width * 12)) for n in notes), ha="center",
                             va="top", fontsize=10)
        text = caption(fig, phrase("staffing_caption", lang, citizens=citizens,
                                   replications=int(runs["replication"].nunique()), seed=seed, version=_version()))
        if below is not None:  # the caption goes under the notes
            fig.canvas.draw()
            box = below.get_window_extent().transformed(fig.transFigure.inverted())
            text.set_y(box.y0 - 0.015)
    return fig


# --------------------------------------------------------------------------- a week in the life

#: Activities drawn in a caseworker's diary, in legend order.
DIARY_ACTIVITIES = ("conversation", "skim", "prep", "wasted_prep", "documentation", "casework", "idle")
#: Their colours: the house colours of :mod:`jobsim.plots`, plus one for the skim after check-in.
DIARY_COLOURS = {**ACTIVITY_COLOURS, "skim": OKABE_ITO["purple"]}
#: Outcomes whose preparation was wasted (the citizen did not come).
WASTED_OUTCOMES = ("no_show", "withdrawn")


def first_full_week(result, worker: int = 0) -> int:
    """The first week (0 = the week of day 0) after the warm-up in which ``worker`` is present Monday to Friday.

    Uses ``result.worker_days`` (rows are kept for the horizon only); raises
    ValueError if there is none.
    """
    return first_full_week_from(result, worker, math.ceil(result.scenario.warmup_days / 7))


def common_full_week(results, worker: int = 0) -> int:
    """The first week after the warm-up in which ``worker`` is present every weekday in all ``results``."""
    results = list(results)
    week = max(first_full_week(r, worker) for r in results)
    for _ in range(60):
        try:
            if all(first_full_week_from(r, worker, week) == week for r in results):
                return week
            week = max(first_full_week_from(r, worker, week) for r in results)
        except ValueError:
            break
    raise ValueError(f"no week in which caseworker {worker} is present every day in every run")


def first_full_week_from(result, worker: int, week: int) -> int:
    """The first week at or after ``week`` in which ``worker`` is present Monday to Friday.

    See :func:`first_full_week`; raises ValueError if there is none before the end of the run.
    """
    wd = result.worker_days
    wd = wd[wd["worker"] == worker]
    last = (result.scenario.warmup_days + result.scenario.horizon_days) // 7
    for w in range(week, last):
        days = wd[(wd["day"] >= 7 * w) & (wd["day"] < 7 * w + 5)]
        if len(days) == 5 and not days["absent"].any():
            return w
    raise ValueError(f"caseworker {worker} is absent at least one day of every week from week {week}")


def week_diary(result, worker: int = 0, week: int | None = None) -> pd.DataFrame:
    """One caseworker's week from ``result.trace`` (run ``simulate(..., trace=True)``).

    One row per trace row of ``worker`` in the week: ``day`` (0 = Monday to
    4 = Friday), ``start`` and ``end`` (minutes after midnight),
    ``minutes``, ``activity`` (the trace's, with preparation for a citizen
    who then did not show, or left, renamed ``wasted_prep``) and ``meeting``.
    ``week`` defaults to :func:`first_full_week`.
    """
    if result.trace is None:
        raise ValueError("the result has no trace; run jobsim.simulate(..., trace=True)")
    if week is None:
        week = first_full_week(result, worker)
    t0 = week * MINUTES_PER_WEEK
    tr = result.trace
    tr = tr[(tr["worker"] == worker) & (tr["start"] >= t0) & (tr["start"] < t0 + MINUTES_PER_WEEK)].copy()
    outcome = result.meetings.set_index("meeting")["outcome"]
    wasted = (tr["activity"] == "prep") & tr["meeting"].map(outcome).isin(WASTED_OUTCOMES)
    tr.loc[wasted, "activity"] = "wasted_prep"
    day = ((tr["start"] - t0) // MINUTES_PER_DAY).astype(int)
    out = pd.DataFrame({"day": day.to_numpy(),
                        "start": (tr["start"] - t0 - day * MINUTES_PER_DAY).to_numpy(dtype=float),
                        "end": (tr["end"] - t0 - day * MINUTES_PER_DAY).to_numpy(dtype=float),
                        "activity": tr["activity"].to_numpy(dtype=object),
                        "meeting": tr["meeting"].to_numpy()})
    out["minutes"] = out["end"] - out["start"]
    return out.reset_index(drop=True)


def week_noshows(result, worker: int = 0, week: int | None = None) -> pd.DataFrame:
    """The slots of ``worker``'s week whose citizen did not show.

    Columns ``day`` (0 = Monday to 4 = Friday), ``start`` and ``end`` (minutes after midnight), ``meeting``.
    """
    if week is None:
        week = first_full_week(result, worker)
    t0 = week * MINUTES_PER_WEEK
    m = result.meetings
    m = m[(m["worker"] == worker) & (m["outcome"] == "no_show") & (m["slot_start"] >= t0)
          & (m["slot_start"] < t0 + MINUTES_PER_WEEK)]
    day = ((m["slot_start"] - t0) // MINUTES_PER_DAY).astype(int)
    start = m["slot_start"] - t0 - day * MINUTES_PER_DAY
    return pd.DataFrame({"day": day.to_numpy(), "start": start.to_numpy(dtype=float),
                         "end": (start + result.scenario.slot_minutes).to_numpy(dtype=float),
                         "meeting": m["meeting"].to_numpy()}).reset_index(drop=True)


def week_summary(result, worker: int = 0, week: int | None = None) -> dict[str, Any]:
    """What ``worker`` did and left undone in the week (minutes, counts).

    ``held`` and ``unprepared`` conversations (preparation short of the
    citizen's need), ``noshows``; minutes by activity (``conversation``,
    ``skim``, ``prep``, ``wasted_prep``, ``documentation``, ``casework``,
    ``idle``); ``citizens`` on the caseload at Monday 8:00; ``casework_due``
    (``casework_minutes`` x those citizens, the week's new casework),
    ``casework_undone`` (due minus casework done in the week, at least 0) and
    its share.
    """
    if week is None:
        week = first_full_week(result, worker)
    s = result.scenario
    t0 = week * MINUTES_PER_WEEK
    diary = week_diary(result, worker, week)
    minutes = diary.groupby("activity")["minutes"].sum()
    m = result.meetings
    m = m[(m["worker"] == worker) & (m["slot_start"] >= t0) & (m["slot_start"] < t0 + MINUTES_PER_WEEK)]
    held = m[m["outcome"] == "held"]
    monday = (t0 + DAY_START) / MINUTES_PER_DAY
    c = result.citizens
    on = c[(c["worker"] == worker) & (c["entry_day"] <= monday) & ~(c["exit_day"] <= monday)]
    due = s.casework_minutes * len(on)
    done = float(minutes.get("casework", 0.0))
    undone = max(0.0, due - done)
    out = {"week": week, "worker": worker, "first_day": 7 * week, "held": int(len(held)),
           "unprepared": int((~held["prepared"].astype(bool)).sum()),
           "noshows": int((m["outcome"] == "no_show").sum()), "citizens": int(len(on)),
           "casework_due": float(due), "casework_done": done, "casework_undone": undone,
           "casework_undone_share": undone / due if due else 0.0}
    out.update({f"{a}_minutes": float(minutes.get(a, 0.0)) for a in DIARY_ACTIVITIES})
    return out


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, for a label used mid-sentence.

    >>> lower_first("Prepare ahead")
    'prepare ahead'
    """
    return text[:1].lower() + text[1:]


def _clock(minutes: float) -> str:
    return f"{int(minutes // 60)}:{int(minutes % 60):02d}"


def diary_gantt(ax, diary: pd.DataFrame, noshows: pd.DataFrame | None = None, lang: str = "en",
                *, absent_days: Sequence[int] = ()) -> dict[str, Any]:
    """Draw a week's diary: days Monday–Friday down the y axis, 8:00–15:24 along x, a bar per trace row.

    Bars are coloured by activity (:data:`DIARY_COLOURS`); no-show slots
    (``noshows``) are hatched over the bars. Returns ``{activity: BarContainer}``
    (one bar per diary row of that activity) plus ``"no_show"``: the hatched
    patches.
    """
    from matplotlib.patches import Rectangle

    bars: dict[str, Any] = {}
    for activity in DIARY_ACTIVITIES:
        rows = diary[diary["activity"] == activity]
        if rows.empty:
            continue
        bars[activity] = ax.barh(rows["day"].to_numpy(), rows["minutes"].to_numpy(), left=rows["start"].to_numpy(),
                                 height=0.72, color=DIARY_COLOURS[activity], linewidth=0,
                                 label=activity_label(activity, lang), zorder=2)
    hatched = []
    if noshows is not None:
        for i, row in enumerate(noshows.itertuples()):
            patch = Rectangle((row.start, row.day - 0.40), row.end - row.start, 0.80, fill=False, hatch="////",
                              edgecolor="black", linewidth=0.9, zorder=3,
                              label=activity_label("no_show", lang) if i == 0 else "_nolegend_")
            ax.add_patch(patch)
            hatched.append(patch)
    bars["no_show"] = hatched
    for d in absent_days:
        ax.text((DAY_START + DAY_END) / 2, d, phrase("absent", lang), ha="center", va="center", color="#777777")
    days = phrase("weekdays", lang).split(",")
    ax.set_yticks(range(5))
    ax.set_yticklabels(days)
    ax.set_ylim(4.6, -0.6)
    hours = list(range(DAY_START, DAY_END + 1, 60))
    ax.set_xticks(hours + [DAY_END])
    ax.set_xticklabels([_clock(h) for h in hours] + [_clock(DAY_END)])
    ax.set_xlim(DAY_START, DAY_END)
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    return bars


def week_figure(panels: Sequence[Mapping[str, Any]], lang: str = "en", *, title: str | None = None,
                caption_text: str = "", width: float = 12.0):
    """Stacked week diaries (same time scale), each with what was left undone written under it.

    Each panel is a dict with ``diary`` (:func:`week_diary`), ``noshows``
    (:func:`week_noshows`), ``summary`` (:func:`week_summary`) and ``label``
    (the panel title). One legend of activities below the panels.
    """
    import textwrap

    n = len(panels)
    fig, axes = new_figure(n, 1, width=width, height=3.5 * n + 1.6, sharex=True)
    axes = np.atleast_1d(axes)
    with house_style():
        for ax, p in zip(axes, panels):
            diary_gantt(ax, p["diary"], p.get("noshows"), lang)
            ax.set_title(p["label"], fontsize=11, loc="left")
            s = p["summary"]
            text = phrase("left_undone", lang, undone=s["casework_undone"], demand=s["casework_due"],
                          undone_share=s["casework_undone_share"], unprepared=s["unprepared"], held=s["held"],
                          wasted=s["wasted_prep_minutes"], noshows=s["noshows"],
                          s="" if s["noshows"] == 1 else "s" if lang == "en" else "r")
            ax.set_xlabel(textwrap.fill(text, 140), fontsize=10, color="#222222")
            ax.tick_params(axis="x", labelbottom=True)
        handles: dict[str, Any] = {}
        for ax in axes:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if not lab.startswith("_"):
                    handles.setdefault(lab, h)
        order = [activity_label(a, lang) for a in (*DIARY_ACTIVITIES, "no_show")]
        labels = [lab for lab in order if lab in handles]
        # anchored to the axes, not the figure: a figure legend "outside" moves when saved with a tight bbox
        axes[0].legend([handles[lab] for lab in labels], labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       fontsize=9.5)
        end = max([DAY_END] + [float(p["diary"]["end"].max()) for p in panels if len(p["diary"])])
        for ax in axes:
            ax.set_xlim(DAY_START, end)
        if title:
            fig.suptitle(_wrap(title, width))
        if caption_text:
            caption(fig, caption_text)
    return fig


def finding_week(first: Mapping[str, Any], second: Mapping[str, Any], caseloads: tuple[float, float],
                 lang: str = "en") -> str:
    """The title of the week figure: unprepared conversations and hours of casework left, in each panel."""
    return phrase("week_title", lang, c1=caseloads[0], u1=first["unprepared"], h1=first["held"],
                  l1=first["casework_undone"] / 60, c2=caseloads[1], u2=second["unprepared"], h2=second["held"],
                  l2=second["casework_undone"] / 60)


# --------------------------------------------------------------------------- files

def _wrap(title: str, width_inches: float) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(title, width=int(width_inches * 9.5)))


def downscale_png(source: str | Path, target: str | Path, width: int = 900) -> Path:
    """Copy a PNG, scaled to ``width`` pixels wide (for docs/img: about 90 dpi from a 150 dpi figure)."""
    from PIL import Image

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as img:
        if img.width > width:
            img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
        img.save(target, optimize=True, dpi=(90, 90))
    return target


def experiment_manifest(experiment: str, scenarios: Mapping[str, Scenario], *, seed: int, replications: int | None,
                        grid: Mapping[str, Any], wall_seconds: float, files: Sequence[str],
                        args: Any = None, replication: int | None = None, **extra: Any) -> dict[str, Any]:
    """The manifest of an experiment script: every scenario in full, the grid, replications, seed,
    versions, wall time (seconds) and the files written (see :func:`jobsim.manifest.run_manifest`)."""
    from ..runner.manifest import run_manifest

    first = next(iter(scenarios.values()))
    command = None
    if args is not None:
        command = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    return run_manifest(first, seed, replication=replication, run_seconds=wall_seconds, experiment=experiment,
                        scenarios={name: s.to_dict() for name, s in scenarios.items()}, grid=dict(grid),
                        replications=replications, wall_seconds=round(wall_seconds, 2), files=list(files),
                        arguments=command, **extra)
