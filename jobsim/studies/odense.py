"""Odense: the frikommune exemption against the law restored in 2017, and the caseworkers the law needs.

The exemption (``odense_frikommune``) against the law restored
(``odense_2017``): follow-up gaps and citizens a year without a conversation
(:func:`odense_runs`, :func:`odense_gaps_figure`), then the extra
caseworkers (and DKK a year) the law needs for the same citizens
(:func:`staffing_sweep`, :func:`staffing_answer`, :func:`odense_staffing_figure`).
The script is ``experiments/odense.py``. Spans in days, money in DKK a year.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..model.calendar import MINUTES_PER_DAY
from ..model.scenario import Scenario, load_scenario
from ..report.facts import FTE_COST_DKK, GAP_MARKS, ODENSE_EXPECTED_DKK
from ..report.style import OKABE_ITO, caption, house_style, new_figure, number_ticks, wrap_title
from ..report.words import kpi_label, num, pct, phrase
from ..runner.engine import map_runs
from ..runner.simulate import simulate
from ..runner.sweep import sweep
from .intervals import interval_table, mean_interval

#: The two scenarios compared and their colours.
ODENSE_SCENARIOS = ("odense_frikommune", "odense_2017")
ODENSE_COLOURS = {"odense_frikommune": OKABE_ITO["orange"], "odense_2017": OKABE_ITO["blue"]}
ODENSE_PHRASE = {"odense_frikommune": "exemption", "odense_2017": "law"}
#: Reference follow-up gaps drawn on the distributions: the legal maximum and a year (days).
#: KPIs kept from each Odense run.
ODENSE_KPIS = ("no_contact_over_year_count", "no_contact_over_year_pre_run_count", "need_wait_days_mean",
               "need_waiting_at_end_count", "overdue_share", "followup_gap_days_mean", "followup_gap_days_p90",
               "followup_gap_days_max", "casework_coverage", "meetings_held_per_worker_week", "caseload_mean")


def follow_up_gaps(result, follow_ups_only: bool = True) -> pd.DataFrame:
    """The follow-up gaps (days) of a run's held conversations, from ``result.meetings.gap_days``.

    Columns ``citizen``, ``gap_days``, ``first`` (True for a citizen's
    first conversation after entering during the run, whose gap counts from
    entry) and ``pre_run`` (True for a gap that began before the run: a
    pre-filled citizen's history, which the run inherits rather than
    produces). With ``follow_ups_only`` those first conversations are left
    out, so the distribution is of gaps between conversations.
    """
    m = result.meetings
    held = m[m["outcome"] == "held"][["citizen", "conversation_start", "gap_days"]]
    entry = result.citizens.set_index("citizen")["entry_day"]
    entry_day = held["citizen"].map(entry)
    since_entry = held["conversation_start"] / MINUTES_PER_DAY - entry_day
    first = (entry_day > 0) & (np.abs(since_entry - held["gap_days"]) < 1e-6)
    began = held["conversation_start"] / MINUTES_PER_DAY - held["gap_days"]
    out = pd.DataFrame({"citizen": held["citizen"].to_numpy(), "gap_days": held["gap_days"].to_numpy(dtype=float),
                        "first": first.to_numpy(dtype=bool), "pre_run": (began < -1e-6).to_numpy(dtype=bool)})
    return out[~out["first"]].reset_index(drop=True) if follow_ups_only else out


def _odense_task(task: tuple[str, Scenario, int, int]) -> tuple[dict[str, Any], pd.DataFrame]:
    name, scenario, seed, replication = task
    result = simulate(scenario, seed=seed, replication=replication)
    gaps = follow_up_gaps(result, follow_ups_only=False)[["gap_days", "first", "pre_run"]]
    produced = run_gaps(gaps)["gap_days"].to_numpy(dtype=float)
    bands = {f"gaps_{key}": float(((produced > lo) & (produced <= hi)).mean()) if len(produced) else math.nan
             for lo, hi, key in GAP_BANDS}
    row = {"scenario": name, "replication": replication, "seed": seed, "run_seconds": result.wall_seconds,
           **{k: result.kpis[k] for k in ODENSE_KPIS}, **bands}
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
    out = map_runs(_odense_task, tasks, jobs=jobs)
    kpis = pd.DataFrame([row for row, _ in out])
    gaps = pd.concat([g for _, g in out], ignore_index=True)
    return kpis, gaps


def run_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """The follow-up gaps the run produced: first conversations after entry and gaps that began before the run
    (``pre_run``, when the column is there) left out."""
    keep = ~gaps["first"]
    if "pre_run" in gaps:
        keep &= ~gaps["pre_run"]
    return gaps[keep]


def gap_shares(gaps: pd.DataFrame, marks: Sequence[float] = GAP_MARKS) -> pd.DataFrame:
    """Per scenario: the number of follow-up gaps the run produced (:func:`run_gaps`) and the share longer than
    each mark (days)."""
    rows = []
    for name, g in run_gaps(gaps).groupby("scenario", sort=False):
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
    gaps = run_gaps(gaps)
    for name in order:
        x = np.sort(gaps.loc[gaps["scenario"] == name, "gap_days"].to_numpy(dtype=float))
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
        colour, ls, label = styles.get(float(m), ("#333333", "-.", f"{num(m, lang, None)} {phrase('days', lang)}"))
        ax.axvline(m, color=colour, linestyle=ls, linewidth=1.3, label=label, zorder=2)
    ax.set_xlim(0, max(upper, max(marks)) * 1.03)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(phrase("gap_axis", lang))
    ax.set_ylabel(phrase("ecdf_axis", lang))
    ax.yaxis.set_major_formatter(number_ticks(lang, share=True, decimals=0))
    # under the axes (anchored to them, so a tight save keeps it there): no curve runs through the text
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2, fontsize=9)
    return lines


#: Bands of follow-up gaps (days) for lay readers: within the law, up to half a year, up to a year, over a year.
GAP_BANDS = ((0.0, 91.0, "band_91"), (91.0, 182.0, "band_182"), (182.0, 365.0, "band_365"),
             (365.0, math.inf, "band_over"))


def gap_bands(ax, gaps: pd.DataFrame, lang: str = "en", order: Sequence[str] = ODENSE_SCENARIOS) -> pd.DataFrame:
    """Grouped bars: the share of follow-up gaps in each band of :data:`GAP_BANDS`, one colour per scenario.

    ``gaps`` has ``scenario``, ``gap_days`` and ``first`` (first conversations after entry are left
    out). Each bar is labelled with its per cent. Returns the shares (rows: scenarios, columns: bands).
    """
    names = [n for n in order if n in set(gaps["scenario"])]
    rows = {}
    gaps = run_gaps(gaps)
    for name in names:
        g = gaps.loc[gaps["scenario"] == name, "gap_days"].to_numpy(dtype=float)
        rows[name] = {key: float(((g > lo) & (g <= hi)).mean()) if len(g) else math.nan for lo, hi, key in GAP_BANDS}
    shares = pd.DataFrame.from_dict(rows, orient="index")
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        xs = np.arange(len(GAP_BANDS)) + (i - (len(names) - 1) / 2) * width
        values = shares.loc[name].to_numpy(dtype=float)
        label = phrase(ODENSE_PHRASE[name], lang) if name in ODENSE_PHRASE else name
        ax.bar(xs, values, width=width * 0.95, color=ODENSE_COLOURS.get(name, OKABE_ITO["grey"]), label=label,
               zorder=2)
        for x, v in zip(xs, values):
            text = pct(v, lang, 0 if v == 0 or v >= 0.01 else 1) if v == 0 or v >= 0.0005 else "<" + pct(0.001, lang, 1)
            ax.annotate(text, (x, v), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(len(GAP_BANDS)))
    ax.set_xticklabels([phrase(key, lang) for _, _, key in GAP_BANDS], fontsize=9.5)
    ax.set_xlabel(phrase("gap_axis", lang))
    ax.set_ylabel(phrase("band_axis", lang))
    ax.yaxis.set_major_formatter(number_ticks(lang, share=True, decimals=0))
    ax.set_ylim(0, 1.1)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", ncols=len(names), fontsize=9.5)
    return shares


def _count_text(value: float, lang: str = "en") -> str:
    """A mean count: whole numbers from 10 up, one decimal below (0.15 is not 0)."""
    return num(value, lang, 0 if abs(value) >= 10 or value == 0 else 1)


def no_contact_bars(ax, table: pd.DataFrame, lang: str = "en", order: Sequence[str] = ODENSE_SCENARIOS,
                    citizens: float | None = None, days: int | None = None):
    """Bars of citizens without a conversation for over a year, in a gap the run produced (solid: mean over
    replications with 95% CI whiskers) and, stacked on them, hatched, in a gap that began before the run (the
    pre-filled citizens' history, when the table has it).

    ``table`` is :func:`interval_table` of the runs by ``scenario`` (rows with
    ``kpi == "no_contact_over_year_count"`` and ``"no_contact_over_year_pre_run_count"``). Returns the bar
    container of the solid bars.
    """
    t = table[table["kpi"] == "no_contact_over_year_count"].set_index("scenario")
    pre = table[table["kpi"] == "no_contact_over_year_pre_run_count"].set_index("scenario")
    names = [n for n in order if n in t.index]
    means = t.loc[names, "mean"].to_numpy(dtype=float)
    low = np.nan_to_num(means - t.loc[names, "ci_low"].to_numpy(dtype=float))
    high = np.nan_to_num(t.loc[names, "ci_high"].to_numpy(dtype=float) - means)
    colours = [ODENSE_COLOURS.get(n, OKABE_ITO["grey"]) for n in names]
    bars = ax.bar(range(len(names)), means, color=colours, yerr=[low, high], capsize=6, width=0.6, zorder=2,
                  error_kw={"elinewidth": 1.3, "ecolor": "#333333"}, label=phrase("run_gaps", lang))
    tops = means + high
    if len(pre):
        before = pre.reindex(names)["mean"].fillna(0.0).to_numpy(dtype=float)
        ax.bar(range(len(names)), before, bottom=means, color="white", edgecolor=colours, hatch="///", width=0.6,
               zorder=1, label=phrase("pre_run_gaps", lang))
        tops = np.maximum(tops, means + before)
        for i, v in enumerate(before):
            if v > 0:
                ax.annotate(_count_text(v, lang), (i + 0.32, means[i] + v / 2), ha="left", va="center", fontsize=9,
                            color="#333333")
        ax.legend(loc="upper right", fontsize=9)
    for i, v in enumerate(means):
        if len(pre):   # the hatched part sits on top: the count goes on the solid part, left of the whisker
            ax.annotate(_count_text(v, lang), (i - 0.15, v), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=10, zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        else:
            ax.annotate(_count_text(v, lang), (i, v + high[i]),
                        xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=10)
    ax.set_ylim(0, max(float(tops.max()) * 1.25, 1.0))
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([phrase(ODENSE_PHRASE[n], lang).replace(" (", "\n(") if n in ODENSE_PHRASE else n
                        for n in names])
    if citizens is not None and days is not None:
        ax.set_ylabel(phrase("no_contact_axis", lang, citizens=citizens, days=int(days)))
    else:
        ax.set_ylabel(kpi_label("no_contact_over_year_count", lang))
    ax.grid(axis="x", visible=False)
    return bars


def odense_gaps_figure(kpis: pd.DataFrame, gaps: pd.DataFrame, scenarios: Mapping[str, Scenario],
                       lang: str = "en", *, seed: int = 0, width: float = 11.0):
    """The exemption against the law: follow-up gaps by band (left) and citizens a year without a conversation.

    ``kpis`` and ``gaps`` come from :func:`odense_runs`; ``scenarios`` are the
    scenarios run (for the caption: horizon, warm-up, team size).
    """
    table = interval_table(kpis, "scenario", ["no_contact_over_year_count", "no_contact_over_year_pre_run_count"])
    shares = gap_shares(gaps).set_index("scenario")
    first = next(iter(scenarios.values()))
    fig, axes = new_figure(1, 2, width=width, height=5.8, gridspec_kw={"width_ratios": [2.0, 1]})
    with house_style():
        gap_bands(axes[0], gaps, lang)
        no_contact_bars(axes[1], table, lang, citizens=first.citizens, days=first.horizon_days)
        t = table[table["kpi"] == "no_contact_over_year_count"].set_index("scenario")["mean"]
        title = phrase("gaps_title", lang, over91=float(shares.at["odense_frikommune", "share_over_91_days"]),
                       count=_count_text(float(t.get("odense_frikommune", math.nan)), lang), citizens=first.citizens,
                       years=round(first.horizon_days / 364, 1),
                       law_over91=float(shares.at["odense_2017", "share_over_91_days"]),
                       law_count=_count_text(float(t.get("odense_2017", math.nan)), lang))
        fig.suptitle(wrap_title(title, width))
        caption(fig, phrase("gaps_caption", lang, days=first.horizon_days, warmup=first.warmup_days,
                            replications=int(kpis["replication"].nunique()), seed=seed, version=__version__))
    return fig


def staffing_points(scenario: Scenario, max_extra: int = 6) -> list[tuple[int, float]]:
    """``(workers, caseload)`` from the scenario's team to ``max_extra`` more, citizens (workers x caseload) fixed."""
    citizens = scenario.citizens
    return [(w, citizens / w) for w in range(scenario.workers, scenario.workers + max_extra + 1)]


def staffing_sweep(scenario: Scenario, max_extra: int = 6, replications: int = 20, seed: int = 0, jobs: int = 1,
                   out: str | Path | None = None, progress: bool | None = None, executor: str = "local",
                   scheduler: Any = None) -> pd.DataFrame:
    """Runs of ``scenario`` with more caseworkers for the same citizens (caseload = citizens / workers).

    One :func:`jobsim.sweep` per team size (stored in ``out/workers_<w>`` so a
    killed run resumes); replication ``r`` uses the same streams at every
    size. Returns the runs: ``workers``, ``caseload`` (citizens per
    caseworker), ``replication``, ``seed``, ``run_seconds`` and every KPI. ``executor`` and
    ``scheduler`` are :func:`jobsim.sweep`'s.
    """
    frames = []
    for w, caseload in staffing_points(scenario, max_extra):
        folder = Path(out) / f"workers_{w}" if out is not None else None
        r = sweep(scenario.replace(workers=w, caseload=caseload), {}, replications=replications, seed=seed,
                  jobs=jobs, out=folder, progress=progress, executor=executor, scheduler=scheduler)
        frames.append(r.runs.assign(workers=w, caseload=caseload))
    runs = pd.concat(frames, ignore_index=True)
    first = ["workers", "caseload"]
    return runs[first + [c for c in runs.columns if c not in first]]


def staffing_answer(runs: pd.DataFrame, target: float = 0.10, *, kpi: str = "overdue_share",
                    base_workers: int | None = None, fte_cost_dkk: float = FTE_COST_DKK,
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
    lines and the answer marked; what it costs is in :func:`staffing_notes`.
    """
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
            ax.yaxis.set_major_formatter(number_ticks(lang, share=True, decimals=None))  # 2.5% steps: "2.5%"
            ax.set_xticks(workers)
            ax.set_xticklabels([f"{w}\n({num(caseloads[w], lang)})" for w in workers])
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
        fig.suptitle(wrap_title(title, width))
        caption(fig, phrase("staffing_caption", lang, citizens=citizens,
                            replications=int(runs["replication"].nunique()), seed=seed, version=__version__))
    return fig


def _plural(n: int, lang: str) -> str:
    """The ending of "caseworker" / "sagsbehandler" for ``n``: none for one, else "s" or "e"."""
    return "" if n == 1 else ("s" if lang == "en" else "e")


def staffing_notes(answer: Mapping[str, Any], lang: str = "en") -> list[str]:
    """What the staffing answer costs, in sentences: per 1,000 citizens (mean and whole-interval answers),
    what bringing casework back to the exemption's level takes, and what Odense's expected sum buys.

    Written beside the figure (``odense_staffing_notes.txt``), not under its axes: a figure carries its
    title, axes, legend and a one-line caption; a paragraph is for the text around it.
    """
    notes: list[str] = []
    if answer["workers"] is not None and answer["extra_workers"]:
        if answer.get("strict_workers") is not None:
            strict = phrase("strict", lang, extra=answer["strict_extra_workers"],
                            s=_plural(answer["strict_extra_workers"], lang),
                            per1000=round(answer["strict_extra_cost_dkk_per_1000_citizens"], -3))
        else:
            strict = phrase("strict_none", lang)
        notes.append(phrase("staffing_note", lang, per1000=round(answer["extra_cost_dkk_per_1000_citizens"], -3),
                            strict=strict))
    parity = answer.get("parity_workers") is not None and answer.get("parity_extra_workers")
    if answer.get("reference_coverage") is not None:
        if parity:
            notes.append(phrase("staffing_parity", lang, extra=answer["parity_extra_workers"],
                                s=_plural(answer["parity_extra_workers"], lang),
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
    return notes


# ---------------------------------------------------------------- the exemption's mechanism and its assumptions

#: The assumptions of follow-up by need that decide the exemption's answer, and the values tried: how often a
#: caseworker judges that a citizen needs a conversation (days, mean) and the slots a day they offer.
NEED_GRID = {"need_interval_days": [91.0, 182.0, 364.0], "slots_per_day": [2, 3, 4]}
#: KPIs of the need grid, in the order of its table.
NEED_KPIS = ("no_contact_over_year_count", "no_contact_over_year_pre_run_count", "need_wait_days_mean",
             "followup_gap_days_p90", "overdue_share")


def need_sweep(scenario: Scenario, grid: Mapping[str, Sequence[Any]] = NEED_GRID, replications: int = 10,
               seed: int = 0, jobs: int = 1, out: str | Path | None = None, progress: bool | None = None,
               executor: str = "local", scheduler: Any = None) -> pd.DataFrame:
    """The exemption (``scenario``, follow-up by need) over its deciding assumptions: one :func:`jobsim.sweep`
    over ``grid`` (stored in ``out`` so a killed run resumes; common random numbers across the grid).

    Returns the runs: the grid's columns, ``replication``, ``seed`` and every KPI.
    """
    if scenario.followup_by != "need":
        raise ValueError(f"need_sweep: scenario {scenario.name!r} has followup_by = {scenario.followup_by!r}; "
                         "the need grid applies to follow-up by need")
    return sweep(scenario, grid, replications=replications, seed=seed, jobs=jobs, out=out, progress=progress,
                 executor=executor, scheduler=scheduler).runs


def need_table(runs: pd.DataFrame, kpis: Sequence[str] = NEED_KPIS) -> pd.DataFrame:
    """Mean, sd, 95% t interval and n per cell of the need grid and KPI (:func:`interval_table`)."""
    return interval_table(runs, list(NEED_GRID), list(kpis))


def need_range(table: pd.DataFrame, kpi: str = "no_contact_over_year_count") -> dict[str, Any]:
    """The answer's range over the need grid: the lowest and highest cell means of ``kpi`` and where they are."""
    t = table[table["kpi"] == kpi].reset_index(drop=True)
    lo, hi = t.loc[t["mean"].idxmin()], t.loc[t["mean"].idxmax()]
    return {"kpi": kpi, "low": float(lo["mean"]), "high": float(hi["mean"]),
            "low_at": {k: float(lo[k]) for k in NEED_GRID}, "high_at": {k: float(hi[k]) for k in NEED_GRID}}


def need_spans(table: pd.DataFrame, scenario: Scenario,
               kpi: str = "no_contact_over_year_count") -> tuple[float, float]:
    """How far each assumption of the need grid moves ``kpi`` with the other held fixed, at most over the grid:
    the largest span (max - min of the cell means) over need intervals at any one slots a day, and over slots a
    day at any one need interval."""
    t = table[table["kpi"] == kpi]
    def spans(fixed: str) -> float:
        return float(t.groupby(fixed)["mean"].agg(lambda m: m.max() - m.min()).max())
    return spans("slots_per_day"), spans("need_interval_days")


def need_figure(table: pd.DataFrame, scenario: Scenario, lang: str = "en", *, replications: int, seed: int = 0,
                width: float = 11.0):
    """Citizens a year without a conversation (left) and days a need waits for its conversation (right) under
    the exemption, by how often caseworkers judge a need (x) and the slots a day (one line each), with 95%
    confidence intervals."""
    fig, axes = new_figure(1, 2, width=width, height=5.2)
    intervals = NEED_GRID["need_interval_days"]
    colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["green"]]
    with house_style():
        for ax, kpi in zip(axes, ("no_contact_over_year_count", "need_wait_days_mean")):
            t = table[table["kpi"] == kpi]
            for i, slots in enumerate(NEED_GRID["slots_per_day"]):
                cell = t[t["slots_per_day"] == slots].sort_values("need_interval_days")
                m = cell["mean"].to_numpy(dtype=float)
                err = [np.nan_to_num(m - cell["ci_low"].to_numpy(dtype=float)),
                       np.nan_to_num(cell["ci_high"].to_numpy(dtype=float) - m)]
                ax.errorbar(cell["need_interval_days"].to_numpy(dtype=float) + (i - 1) * 4, m, yerr=err,
                            color=colours[i % len(colours)], marker="o", capsize=4, zorder=3,
                            label=phrase("slots_line", lang, slots=slots,
                                         mark=phrase("scenario_mark", lang) if slots == scenario.slots_per_day
                                         else ""))
            ax.set_xticks(intervals)
            ax.set_xticklabels([num(d, lang, 0) for d in intervals])
            ax.set_xlabel(phrase("need_axis", lang))
            ax.set_ylim(bottom=0)
            ax.legend(loc="upper left" if kpi == "no_contact_over_year_count" else "upper right", fontsize=9.5)
        axes[0].set_ylabel(phrase("no_contact_axis", lang, citizens=scenario.citizens, days=scenario.horizon_days))
        axes[1].set_ylabel(phrase("need_wait_axis", lang))
        rng = need_range(table)
        span_need, span_slots = need_spans(table, scenario)
        fig.suptitle(wrap_title(phrase("need_title", lang, low=_count_text(rng["low"], lang),
                                       high=_count_text(rng["high"], lang),
                                       driver=phrase("driver_need" if span_need >= span_slots else "driver_slots",
                                                     lang)), width))
        caption(fig, phrase("need_caption", lang, days=scenario.horizon_days, warmup=scenario.warmup_days,
                            replications=replications, seed=seed, version=__version__))
    return fig


def need_markdown(table: pd.DataFrame) -> str:
    """The need grid as a Markdown table (English, for docs): per cell, the mean and 95% interval of citizens over
    a year without a conversation (gaps the run produced, and apart those begun before it), the mean wait of a
    need and the overdue share against the law."""
    def cell(t, kpi, digits=0, share=False):
        return _interval_text(t[t["kpi"] == kpi].iloc[0], share, digits)

    lines = ["| need judged every (days, mean) | slots a day | citizens over a year without a conversation, "
             "gap begun in the run | the same, gap begun before the run | days a need waits | overdue against "
             "the law |", "|---|---|---|---|---|---|"]
    for (interval, slots), t in table.groupby(list(NEED_GRID), sort=True):
        lines.append(f"| {interval:g} | {slots:g} | {cell(t, 'no_contact_over_year_count')} | "
                     f"{cell(t, 'no_contact_over_year_pre_run_count')} | {cell(t, 'need_wait_days_mean', 1)} | "
                     f"{cell(t, 'overdue_share', share=True)} |")
    return "\n".join(lines) + "\n"


def _interval_text(r: Mapping[str, float], share: bool = False, digits: int = 0) -> str:
    """"mean (low–high)" of an interval row (``mean``, ``ci_low``, ``ci_high``): a per cent or ``digits`` decimals."""
    f = (lambda v: f"{v:.0%}") if share else (lambda v: f"{v:,.{digits}f}")
    return f"{f(r['mean'])} ({f(r['ci_low'])}–{f(r['ci_high'])})"


def _mean_ci(frame: pd.DataFrame, kpi: str, share: bool = False, digits: int = 0) -> str:
    return _interval_text(mean_interval(frame[kpi].to_numpy(dtype=float)), share, digits)


def odense_markdown(runs: pd.DataFrame, exemption: Scenario) -> dict[str, str]:
    """The Odense page's generated blocks (English), from the stored runs (``docs/odense_runs.csv``: column
    ``study`` is ``comparison`` for :func:`odense_runs` and ``need`` for :func:`need_sweep`).

    ``odense_comparison``: the exemption against the law restored, by gap length, with gaps begun before the run
    apart; ``odense_need``: the need grid's table and the answer's range with what moves it.
    """
    comp = runs[runs["study"] == "comparison"]
    ex, law = (comp[comp["scenario"] == n] for n in ODENSE_SCENARIOS)
    n = int(ex["replication"].nunique())
    text = (
        f"Under the exemption, with the scenario's assumptions (a need judged every "
        f"{exemption.need_interval_days:g} days on average, {exemption.slots_per_day} slots a day), "
        f"{ex['gaps_band_91'].rsub(1).mean():.0%} of the follow-up gaps the run produced exceed the legal 91 days "
        f"({ex['gaps_band_365'].mean() + ex['gaps_band_over'].mean():.0%} over half a year, "
        f"{ex['gaps_band_over'].mean():.1%} over a year). "
        f"{_mean_ci(ex, 'no_contact_over_year_count')} citizens go over a year without a conversation in a gap "
        f"that began during the run (the {exemption.warmup_days}-day warm-up and "
        f"{exemption.horizon_days / 364:.0f} measured years), and "
        f"{_mean_ci(ex, 'no_contact_over_year_pre_run_count')} more in a gap that began before the run (the "
        f"pre-filled citizens' history, counted apart), of a team holding {exemption.citizens:,.0f} citizens at "
        f"a time. A need that is met waits {_mean_ci(ex, 'need_wait_days_mean', digits=1)} days for its "
        f"conversation, and {_mean_ci(ex, 'need_waiting_at_end_count')} needs are still waiting at the end; "
        f"against the law the city was exempt from, {_mean_ci(ex, 'overdue_share', share=True)} of required "
        f"conversations would be overdue. With the law restored, "
        f"{law['gaps_band_91'].rsub(1).mean():.1%} of gaps exceed 91 days and "
        f"{_mean_ci(law, 'no_contact_over_year_count')} citizens go a year without a conversation "
        f"({_mean_ci(law, 'no_contact_over_year_pre_run_count')} in gaps begun before the run). "
        f"Means over {n} replications with 95% t intervals.\n")
    need = runs[runs["study"] == "need"]
    table = need_table(need)
    rng = need_range(table)
    span_need, span_slots = need_spans(table, exemption)
    stronger = ("how often caseworkers judge a need" if span_need >= span_slots
                else "the slots a day, that is, capacity")
    grid_text = (
        need_markdown(table) + "\n"
        f"Over needs judged every {min(NEED_GRID['need_interval_days']):g}–{max(NEED_GRID['need_interval_days']):g} "
        f"days and {min(NEED_GRID['slots_per_day'])}–{max(NEED_GRID['slots_per_day'])} slots a day, "
        f"{rng['low']:,.0f} to {rng['high']:,.0f} citizens go over a year without a conversation in a gap the run "
        f"produced (means of {int(need['replication'].nunique())} replications per cell). The answer moves most "
        f"with {stronger}: with the slots held fixed the need interval moves it by up to {span_need:,.0f} "
        f"citizens; with the need interval held fixed the slots move it by up to {span_slots:,.0f}. "
        f"{capacity_sentence(table, exemption)}\n")
    return {"odense_comparison": text, "odense_need": grid_text}


def capacity_sentence(table: pd.DataFrame, scenario: Scenario, kpi: str = "no_contact_over_year_count") -> str:
    """Where the slots a day matter most: the need interval at which fewer slots raise ``kpi`` the most, in words."""
    t = table[table["kpi"] == kpi]
    spans = t.groupby("need_interval_days")["mean"].agg(lambda m: float(m.max() - m.min()))
    interval = float(spans.idxmax())
    cells = t[t["need_interval_days"] == interval].set_index("slots_per_day")["mean"]
    fewest = int(cells.index.min())
    waits = table[(table["kpi"] == "need_wait_days_mean")
                  & (table["need_interval_days"] == interval)].set_index("slots_per_day")["mean"]
    return (f"Capacity matters where needs outrun the free slots: with a need every {interval:g} days, "
            f"{fewest} slots a day give {cells[fewest]:,.0f} citizens against {cells[scenario.slots_per_day]:,.0f} "
            f"at {scenario.slots_per_day}, and a need that is met waits {waits[fewest]:.0f} days on average against "
            f"{waits[scenario.slots_per_day]:.0f} (needs whose citizen left first are not in that mean).")


def page_blocks(docs: str | Path) -> dict[str, str]:
    """Every generated block of the Odense section, rendered from what ``experiments/odense.py --docs`` stored in
    the folder ``docs``: ``odense_runs.csv`` and ``odense_answer.json``."""
    docs = Path(docs)
    runs = pd.read_csv(docs / "odense_runs.csv")
    answer = json.loads((docs / "odense_answer.json").read_text(encoding="utf-8"))
    exemption = load_scenario("odense_frikommune")
    blocks = odense_markdown(runs, exemption)
    comp = runs[runs["study"] == "comparison"]
    need = runs[runs["study"] == "need"]
    blocks["odense_staffing"] = " ".join(staffing_notes(answer)) + "\n"
    blocks["odense_made"] = (
        f"Made by `python experiments/odense.py --jobs 2 --docs-img docs/img --docs docs`: 2 scenarios × "
        f"{comp['replication'].nunique()} replications over {exemption.horizon_days:,} days, the need grid "
        f"({need.groupby(list(NEED_GRID)).ngroups} cells × {need['replication'].nunique()} replications), then "
        f"{answer['max_workers'] - answer['base_workers'] + 1} team sizes × {comp['replication'].nunique()} "
        f"replications: {answer['wall_seconds'] / 60:.0f} minutes on 2 cores.\n")
    return blocks
