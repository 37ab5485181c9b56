"""What drives the answers: Morris screening of every assumption, then Sobol indices of the most influential.

At 82 cases (DS's 2013 average) and at 220 (Lærkevej), with preparation
ahead (``ds_norm``, only the caseload changed):

1. :func:`screen`: Morris over every parameter of ``jobsim/gsa/ranges.toml``
   for the headline KPIs (:data:`KPIS`);
2. :func:`most_influential`: the :data:`TOP` parameters with the largest
   relative mu* (mu* over the largest mu* of the same KPI and caseload) on any KPI;
3. :func:`sobol_stage`: Sobol first-order and total indices of those;
4. :func:`drivers_table`, :func:`findings` and :func:`drivers_figure`: the
   tidy table (``sensitivity.csv`` columns plus ``caseload`` and ``stage``), the
   sentences of ``docs/what_drives_the_answers.md`` (among them where the
   decisive choices rank, :data:`CHOICES`: the desk rule, the contact plan and
   the exit effect) and the headline heatmap;
5. :func:`desk_rules` and :func:`desk_rule_sentences`: the three desk rules
   compared directly at each caseload (:data:`DESK_KPIS`, means with t
   intervals over replications, a sweep with common random numbers).

The script is ``experiments/what_drives_the_answers.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..gsa import HEADLINE_KPIS, SensitivityResult, load_ranges, sensitivity
from ..model.scenario import Scenario
from ..report.style import caption, new_figure, wrap_title
from ..report.words import and_list, kpi_label, lower_first, pct
from ..runner.sweep import sweep
from .caseload import DESK_RULES

BASE_SCENARIO = "ds_norm"
#: DS's 2013 average caseload and Lærkevej's.
CASELOADS = (82.0, 220.0)
KPIS = tuple(HEADLINE_KPIS)
#: Full run: Morris r = 20 trajectories, 5 replications per point; Sobol N = 64 for the top five, 2 replications.
TRAJECTORIES, REPLICATIONS, SOBOL_SIZE, SOBOL_REPLICATIONS, TOP = 20, 5, 64, 2, 5
#: --quick: a small team over eight weeks, 3 trajectories, 2 replications; Sobol N = 8; 3 replications of
#: each desk rule.
QUICK = {"changes": {"workers": 2, "horizon_days": 56, "warmup_days": 14}, "trajectories": 3, "replications": 2,
         "sobol_size": 8, "sobol_replications": 1, "desk_replications": 3}
#: A parameter whose relative mu* stays below this for a KPI at both caseloads "does not matter" for it.
NEGLIGIBLE = 0.05
#: The choices no published figure settles, screened with the assumptions: where each ranks is a headline finding.
CHOICES = {"desk_priority": "the desk rule", "contact_interval_days": "the contact plan",
           "exit_effect": "the exit effect of follow-up", "exit_effect_days": "how long the exit effect lasts"}
#: How to read the sentences on the choices (printed and stored beside them).
CHOICES_NOTE = (f"Ranks by Morris μ* per answer and caseload (first = the largest effect); below {NEGLIGIBLE:.0%} of "
                "the strongest assumption's effect counts as not mattering.")
#: The desk rules compared directly: these KPIs, this many replications per rule and caseload (t intervals).
DESK_KPIS = ("prepared_share", "casework_coverage", "overdue_share")
DESK_REPLICATIONS = 10

TEXT = {
    "en": {"title": "Which assumptions decide each answer: Morris μ* relative to the strongest, at {a} and {b} cases",
           "panel": "{c:g} cases per caseworker", "colour": "μ* / largest μ* for the KPI (1 = the strongest)",
           "caption": "Scenario '{scenario}' (preparation ahead); {k} assumptions; {n} design points x {r} "
                      "replications per caseload (common random numbers), seed {seed}."},
    "da": {"title": "Hvilke antagelser afgør hvert svar: Morris μ* i forhold til den stærkeste, ved {a} og {b} sager",
           "panel": "{c:g} sager pr. sagsbehandler", "colour": "μ* / største μ* for KPI'en (1 = den stærkeste)",
           "caption": "Scenarie '{scenario}' (forberedelse på forhånd); {k} antagelser; {n} designpunkter x {r} "
                      "replikationer pr. sagstal (fælles tilfældige tal), seed {seed}."},
}


def screen(base: Scenario, caseloads: Sequence[float] = CASELOADS, trajectories: int = TRAJECTORIES,
           replications: int = REPLICATIONS, seed: int = 0, out: str | Path | None = None,
           **run: Any) -> dict[float, SensitivityResult]:
    """Morris over every parameter of the ranges file, one analysis per caseload (stored in ``out/morris_<c>``).

    ``run`` goes to :func:`jobsim.sensitivity` (``jobs``, ``executor``, ``scheduler``, ``progress``).
    """
    return {c: sensitivity(base.replace(caseload=c), "morris", kpis=KPIS, size=trajectories,
                           replications=replications, seed=seed,
                           out=Path(out) / f"morris_{c:g}" if out is not None else None, **run)
            for c in caseloads}


def relative_mu_star(results: Mapping[float, SensitivityResult]) -> pd.DataFrame:
    """mu* over the largest mu* of the same KPI and caseload: ``caseload``, ``kpi``, ``parameter``, ``relative``."""
    frames = []
    for c, res in results.items():
        mu = res.indices[res.indices["index"] == "mu_star"][["kpi", "parameter", "value"]].copy()
        top = mu.groupby("kpi")["value"].transform("max")
        mu["relative"] = np.where(top > 0, mu["value"] / top.where(top > 0, 1.0), 0.0)
        frames.append(mu.assign(caseload=c))
    return pd.concat(frames, ignore_index=True)[["caseload", "kpi", "parameter", "value", "relative"]]


def most_influential(results: Mapping[float, SensitivityResult], top: int = TOP) -> list[str]:
    """The ``top`` parameters with the largest relative mu* on any KPI at any caseload (ties: by the mean)."""
    rel = relative_mu_star(results).groupby("parameter")["relative"].agg(["max", "mean"])
    return rel.sort_values(["max", "mean"], ascending=False).index[:top].tolist()


def sobol_stage(base: Scenario, names: Sequence[str], caseloads: Sequence[float] = CASELOADS,
                size: int = SOBOL_SIZE, replications: int = SOBOL_REPLICATIONS, seed: int = 0,
                out: str | Path | None = None, **run: Any) -> dict[float, SensitivityResult]:
    """Sobol S1 and ST of ``names`` at each caseload (stored in ``out/sobol_<c>``)."""
    return {c: sensitivity(base.replace(caseload=c), "sobol", parameters=list(names), kpis=KPIS, size=size,
                           replications=replications, seed=seed,
                           out=Path(out) / f"sobol_{c:g}" if out is not None else None, **run)
            for c in caseloads}


def drivers_table(morris: Mapping[float, SensitivityResult],
                  sobol: Mapping[float, SensitivityResult]) -> pd.DataFrame:
    """Every index of both stages: ``stage``, ``caseload`` and the columns of ``sensitivity.csv``."""
    frames = [res.indices.assign(stage=stage, caseload=c)
              for stage, results in (("morris", morris), ("sobol", sobol)) for c, res in results.items()]
    table = pd.concat(frames, ignore_index=True)
    return table[["stage", "caseload", *[c for c in table.columns if c not in ("stage", "caseload")]]]


def findings(morris: Mapping[float, SensitivityResult], sobol: Mapping[float, SensitivityResult]) -> dict[str, Any]:
    """Per KPI and caseload: the deciding parameters (Sobol ST, largest first) and those that do not matter;
    where the decisive choices (:data:`CHOICES`) rank, in figures and in words.

    ``{"decides": {kpi: {caseload: [(parameter, ST), ...]}}, "negligible": {kpi: [parameter, ...]},
    "noise": {kpi: {caseload: share}}, "ranks": ..., "choices": [sentence, ...], "choices_note": ...}``;
    negligible: relative mu* below :data:`NEGLIGIBLE` at every caseload; ``ranks`` and ``choices``:
    :func:`choice_ranks` and :func:`choice_sentences`, ``choices_note`` how to read them.
    """
    rel = relative_mu_star(morris)
    ranks = choice_ranks(morris)
    out: dict[str, Any] = {"decides": {}, "negligible": {}, "noise": {}, "ranks": ranks,
                           "choices": choice_sentences(ranks), "choices_note": CHOICES_NOTE}
    for kpi in KPIS:
        out["decides"][kpi] = {}
        out["noise"][kpi] = {}
        for c, res in sobol.items():
            st = res.indices[(res.indices["kpi"] == kpi) & (res.indices["index"] == "ST")]
            st = st.sort_values("value", ascending=False)
            out["decides"][kpi][c] = [(p, float(v)) for p, v in zip(st["parameter"], st["value"]) if v >= 0.1]
        for c, res in morris.items():
            out["noise"][kpi][c] = float(res.noise.set_index("kpi").loc[kpi, "noise_share"])
        sel = rel[rel["kpi"] == kpi].groupby("parameter")["relative"].max()
        out["negligible"][kpi] = sorted(sel[sel < NEGLIGIBLE].index)
    return out


def choice_ranks(morris: Mapping[float, SensitivityResult],
                 choices: Sequence[str] = tuple(CHOICES)) -> dict[str, dict[str, dict[float, dict[str, Any]]]]:
    """Where each of ``choices`` ranks among all screened parameters by Morris mu*, per KPI and caseload.

    ``{parameter: {kpi: {caseload: {"rank": 1 for the largest mu*, "of": parameters screened,
    "relative": mu* over the largest mu* for that KPI and caseload}}}}``; a tie shares the better rank; a
    parameter that was not screened is left out.
    """
    rel = relative_mu_star(morris)
    out: dict[str, dict[str, dict[float, dict[str, Any]]]] = {}
    for name in choices:
        if name not in set(rel["parameter"]):
            continue
        out[name] = {}
        for kpi in KPIS:
            out[name][kpi] = {}
            for c in morris:
                table = rel[(rel["caseload"] == c) & (rel["kpi"] == kpi)]
                mine = table.loc[table["parameter"] == name, "value"]
                if table.empty or mine.empty:
                    continue
                value = float(mine.iloc[0])
                out[name][kpi][c] = {"rank": int((table["value"] > value).sum()) + 1, "of": len(table),
                                     "relative": float(table.loc[table["parameter"] == name, "relative"].iloc[0])}
    return out


def ordinal(n: int) -> str:
    """``1`` -> ``"first"`` ... ``10`` -> ``"tenth"``, then ``"11th"``, ``"21st"``, ``"22nd"``."""
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def choice_sentences(ranks: Mapping[str, Mapping[str, Mapping[float, Mapping[str, Any]]]]) -> list[str]:
    """One sentence per choice of :func:`choice_ranks`: where it ranks for each KPI at each caseload, in words.

    Ranked by Morris mu* (:data:`CHOICES_NOTE`). A KPI for which its relative mu* stays below
    :data:`NEGLIGIBLE` at every caseload is named as one it does not matter for. E.g. "Of the 25 assumptions
    screened, the desk rule (desk_priority) ranks first for the share of conversations fully prepared at 82
    and 220 cases, second at 82 and fifth at 220 cases for the share of casework done on time; it does not
    matter for the share of conversations overdue."
    """
    sentences = []
    for name, by_kpi in ranks.items():
        parts, negligible, total = [], [], 0
        for kpi, by_caseload in by_kpi.items():
            if not by_caseload:
                continue
            total = max(total, *(r["of"] for r in by_caseload.values()))
            label = lower_first(kpi_label(kpi, "en"))
            if all(r["relative"] < NEGLIGIBLE for r in by_caseload.values()):
                negligible.append(label)
                continue
            places = {c: ordinal(r["rank"]) for c, r in by_caseload.items()}
            if len(set(places.values())) == 1:
                parts.append(f"{next(iter(places.values()))} for the {label} at "
                             f"{and_list([f'{c:g}' for c in places])} cases")
            else:
                parts.append(f"{and_list([f'{p} at {c:g}' for c, p in places.items()])} cases for the {label}")
        text = f"Of the {total} assumptions screened, {CHOICES.get(name, name)} ({name})"
        if parts:
            text += f" ranks {', '.join(parts)}"
            if negligible:
                text += f"; it does not matter for the {and_list(negligible)}"
        else:
            text += f" does not matter for any of the {len(negligible)} answers screened"
        sentences.append(text + ".")
    return sentences


def desk_rules(base: Scenario, caseloads: Sequence[float] = CASELOADS, replications: int = DESK_REPLICATIONS,
               seed: int = 0, out: str | Path | None = None, confidence: float = 0.95, **run: Any) -> pd.DataFrame:
    """The three desk rules (:data:`~jobsim.studies.caseload.DESK_RULES`) compared at each caseload.

    A sweep of ``base`` over caseload x ``desk_priority`` with ``replications`` runs per point (common
    random numbers: replication ``r`` of every rule uses the same streams), stored in ``out/desk_rules``.
    ``run`` goes to :func:`jobsim.sweep` (``jobs``, ``executor``, ``scheduler``, ``progress``). Returns one
    row per caseload, rule and KPI of :data:`DESK_KPIS`: ``caseload``, ``desk_priority``, ``kpi``, ``mean``,
    ``sd``, ``ci_low``, ``ci_high`` (the t interval over replications, cut to 0-1 for a share) and ``n``.
    """
    result = sweep(base, {"caseload": list(caseloads), "desk_priority": list(DESK_RULES)}, replications=replications,
                   seed=seed, out=Path(out) / "desk_rules" if out is not None else None, **run)
    summary = result.summary(confidence=confidence)
    table = summary[summary["kpi"].isin(DESK_KPIS)]
    return table[["caseload", "desk_priority", "kpi", "mean", "sd", "ci_low", "ci_high", "n"]].reset_index(drop=True)


def desk_rule_sentences(table: pd.DataFrame) -> list[str]:
    """One sentence per caseload of :func:`desk_rules`: each KPI under each rule, mean (95% interval).

    E.g. "At 220 cases: share of conversations fully prepared 93% (92-94%) under edf, 100% (100-100%) under
    prep_first and 0% (0-0%) under casework_first; ..."
    """
    sentences = []
    for c, at in table.groupby("caseload", sort=True):
        parts = []
        for kpi in DESK_KPIS:
            rows = at[at["kpi"] == kpi].set_index("desk_priority")
            if rows.empty:
                continue
            rules = [f"{pct(r['mean'])} ({pct(r['ci_low'])}–{pct(r['ci_high'])}) under {rule}"
                     for rule in DESK_RULES if rule in rows.index for r in [rows.loc[rule]]]
            parts.append(f"{lower_first(kpi_label(kpi, 'en'))} {and_list(rules)}")
        n = int(at["n"].min())
        sentences.append(f"At {c:g} cases ({n} replications, 95% t intervals): {'; '.join(parts)}.")
    return sentences


def drivers_figure(morris: Mapping[float, SensitivityResult], lang: str = "en", seed: int = 0):
    """Heatmap of relative mu*: parameters down, KPIs across, one panel per caseload."""
    t = TEXT[lang]
    rel = relative_mu_star(morris)
    order = rel.groupby("parameter")["relative"].max().sort_values(ascending=True).index.tolist()
    ranges = load_ranges()
    labels = [ranges[p].label(lang) if p in ranges else p for p in order]
    caseloads = list(morris)
    fig, axes = new_figure(1, len(caseloads), width=6.4 * len(caseloads), height=0.32 * len(order) + 3.4)
    axes = np.atleast_1d(axes)
    image = None
    for ax, c in zip(axes, caseloads):
        grid = rel[rel["caseload"] == c].pivot(index="parameter", columns="kpi", values="relative")
        grid = grid.loc[order, list(KPIS)]
        image = ax.imshow(grid.to_numpy(float), aspect="auto", cmap="Blues", vmin=0, vmax=1)
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = grid.iat[i, j]
                if v >= 0.2:
                    ax.text(j, i, f"{v:.1f}".replace(".", "," if lang == "da" else "."), ha="center",
                            va="center", fontsize=7, color="white" if v > 0.6 else "#222222")
        ax.set_xticks(range(len(KPIS)), [wrap_title(kpi_label(k, lang), 1.6) for k in KPIS], fontsize=7,
                      rotation=0)
        ax.set_yticks(range(len(order)), labels if ax is axes[0] else [], fontsize=7.5)
        ax.set_title(t["panel"].format(c=c), fontsize=10)
        ax.grid(False)
    fig.colorbar(image, ax=list(axes), shrink=0.6, label=t["colour"])
    first = next(iter(morris.values()))
    fig.suptitle(wrap_title(t["title"].format(a=f"{caseloads[0]:g}", b=f"{caseloads[-1]:g}"),
                            6.4 * len(caseloads)))
    caption(fig, t["caption"].format(scenario=first.scenario.name, k=len(first.ranges), n=len(first.design),
                                     r=first.replications, seed=seed))
    return fig
