"""The questions ``jobsim report`` answers, each as a :class:`jobsim.report.html.Report`.

* :func:`staffing_report`: *what caseload, at what cost, meets the law and
  gives prepared conversations, and how sure are we?* for one scenario: a
  caseload sweep under the scenario's own preparation policy and under
  preparing ahead (it runs the sweep itself; a stored sweep is continued),
  with the cost arithmetic of :mod:`jobsim.studies.staffing`.
* :func:`sweep_report`: the standard figures and table of any finished sweep folder.
* :func:`validation_report`: the validation table of ``jobsim validate``'s folder.

The answer of the staffing question rests on two targets, both assumptions
stated in the report: fewer than :data:`OVERDUE_TARGET` of the required
conversations late (the follow-up rule kept), and at least
:data:`PREPARED_TARGET` of held conversations fully prepared (by default;
``overdue_below`` and ``prepared_at_least`` change them, and the report's
words say the targets it used).
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import JobsimError
from ..model.scenario import Scenario, load_scenario
from ..report.charts import KEY_KPIS, PHONE_INCHES, is_numeric_parameter, standard_figures
from ..report.html import Figure, Report, inline_svg, svg_of
from ..report.sources import (provenance, read_sensitivity, read_validation, scenario_table, sensitivity_table,
                              validation_table)
from ..report.style import is_share, run_caption
from ..report.texts import text
from ..report.words import (and_list, kpi_label, lower_first, no_break_percent, num, parameter_label,
                                parameter_name, pct, policy_label, value_text)
from ..runner.sweep import default_folder, load_sweep, sweep
from . import staffing

#: The targets of the staffing answer (assumptions): overdue share below, prepared share at least.
OVERDUE_TARGET = 0.10
PREPARED_TARGET = 0.90
#: Caseloads of the staffing question (citizens per caseworker), full and quick.
CASELOADS = (40.0, 45.0, 50.0, 60.0, 80.0, 100.0, 130.0, 160.0, 190.0, 220.0)
QUICK_CASELOADS = (45.0, 130.0, 220.0)
REPLICATIONS, QUICK_REPLICATIONS = 10, 3
QUICK_CHANGES = {"horizon_days": 91, "warmup_days": 28, "workers": 5}
KPIS_SHOWN = ("overdue_share", "prepared_share", "casework_coverage")
DEFAULT_CITIZENS = 10_000.0
#: The short answer of a sweep report gives the figures of each group of the other varied parameters' levels
#: (each policy, say); with more groups than this they would not read as one paragraph, and it says that the
#: table gives them point by point.
MAX_ANSWER_GROUPS = 4

_WORDS = {
    "en": {
        "meets": ("For {citizens} citizens, the smallest team that keeps fewer than {overdue} of follow-up "
                  "conversations late and at least {prepared} fully prepared, when caseworkers {policy}, is "
                  "{workers} caseworkers in the model ({workers_range}; 95% confidence interval over "
                  "{replications} replications): {c} cases each, {cost} million DKK a year ({cost_range}), {delta} "
                  "million DKK {more} than at the scenario's {base} cases. "),
        "law": "Keeping the follow-up rule alone takes {workers} caseworkers ({workers_range}), {c} cases each. ",
        "censored": ("In {k} of {n} replications even the study's largest caseload, {c}, met the targets, so the "
                     "team needed may be smaller. "),
        "failed": "In {k} of {n} replications no caseload in this study met them; they are left out. ",
        "budget": ("The team follows from how long conversations, preparation, documentation and other contact "
                   "take in the fitted time budget: with other times it moves. "),
        "none": ("For {citizens} citizens, no caseload in this study from {lo} to {hi} cases per caseworker keeps "
                 "fewer than {overdue} of follow-up conversations late and at least {prepared} fully prepared. "),
        "across": ("Across {n} time budgets the fitted posterior allows (preparing ahead), both targets take "
                   "{range} caseworkers{unmet}; the follow-up rule alone takes {rule}. "),
        "unmet": ", and under {k} of them no caseload down to {lo} meets them",
        "desk_rules": "By how caseworkers order desk work (an assumption): {rules}.",
        "desk_rule": "{rule}, {workers}",
        "desk_none": "{rule}, no caseload of the study",
        "rule_names": {"edf": "earliest deadline first", "prep_first": "preparation first",
                       "casework_first": "casework first"},
        "own": "When caseworkers {own}, as the scenario has it, the preparation target is met at no caseload. ",
        "own_ok": "When caseworkers {own}, as the scenario has it, the targets are met up to {c} cases. ",
        "casework": "At {c} cases {cov} of casework is done on time. ",
        "desk": (" This assumes caseworkers take desk work in the order the scenario gives ({rule}), an "
                 "assumption: if casework due this week always came first, preparing ahead would keep almost no "
                 "conversation prepared from about 80 cases up (docs/validation.md, desk rules)."),
        "more": "more", "less": "less",
        "prepare": {"ahead": "prepare ahead of each conversation",
                    "after_checkin": "prepare only after the citizen has checked in",
                    "none": "do not prepare", "confirmed_ahead": "prepare ahead for citizens who confirmed by SMS"},
        "fig_kpi": "{kpi} against what the caseworkers cost a year, for {citizens} citizens",
        "fig_caption": ("Each point is one caseload (top axis: citizens per caseworker); fewer cases cost more "
                        "(bottom axis); whiskers: 95% confidence interval."),
        "fig_sweep": "The main results against {x}, with the 95% confidence band",
        "a_target": "Targets: fewer than {overdue} of follow-up conversations late (the follow-up rule kept) and at "
                    "least {prepared} of held conversations fully prepared (an assumption; change it and the "
                    "answer moves).",
        "a_citizens": "{citizens} citizens on the caseload (an assumption of a large municipality's scale; "
                      "`--citizens`).",
        "a_cost": "{fte} DKK a year per full-time caseworker including overhead (an assumption; "
                  "`--set fte_cost_dkk=...`); caseworkers = citizens / caseload, not rounded.",
        "a_ranges": ("The ranges: {n} time budgets drawn from the posterior of the fitted time budget (`jobsim fit`) "
                     "and the three desk rules, {r} replications each, preparing ahead; a spread over assumptions, "
                     "not a confidence interval."),
        "a_scenario": "Everything else as in scenario {scenario} ({description}); `jobsim show {scenario}` lists "
                      "every value with its source.",
        "a_changes": "Changed for this report (--set, --with): {changes}.",
        "sweep_answer": "Scenario {scenario}: {points} scenario points varying {varied}, {replications}. {finding}",
        "reps_each": "{n} replications each",
        "reps_so_far": "{n} replications each so far ({planned} planned)",
        "reps_range": "{n} replications per point so far ({planned} planned)",
        "sweep_walk": "{kpi}, from {x} {xa} to {xb}",
        "sweep_many": ("With {n} combinations of {factors}, one paragraph cannot hold the results: the table below "
                       "gives them point by point."),
        "validation_answer": "{summary} The table below says, figure by figure, what the model can and cannot say.",
    },
    "da": {
        "meets": ("For {citizens} borgere er det mindste hold, der holder færre end {overdue} af "
                  "opfølgningssamtalerne for sent og mindst {prepared} fuldt forberedt, når sagsbehandlerne "
                  "{policy}, {workers} sagsbehandlere i modellen ({workers_range}; 95 %-konfidensinterval over "
                  "{replications} replikationer): {c} sager hver, {cost} mio. kr. om året ({cost_range}), {delta} "
                  "mio. kr. {more} end ved scenariets {base} sager. "),
        "law": "Alene at overholde opfølgningsreglen kræver {workers} sagsbehandlere ({workers_range}), {c} sager hver. ",
        "censored": ("I {k} af {n} replikationer nåede selv analysens største sagstal, {c}, målene, så det nødvendige "
                     "hold kan være mindre. "),
        "failed": "I {k} af {n} replikationer nåede intet sagstal i analysen målene; de er udeladt. ",
        "budget": ("Holdet følger af, hvor lang tid samtaler, forberedelse, dokumentation og anden kontakt tager i "
                   "det tilpassede tidsbudget: med andre tider flytter det sig. "),
        "none": ("For {citizens} borgere holder intet sagstal i denne analyse fra {lo} til {hi} sager pr. "
                 "sagsbehandler færre end {overdue} af opfølgningssamtalerne for sent og mindst {prepared} fuldt "
                 "forberedt. "),
        "across": ("På tværs af {n} tidsbudgetter, som den tilpassede posteriorfordeling tillader (forberedelse på "
                   "forhånd), kræver begge mål {range} sagsbehandlere{unmet}; opfølgningsreglen alene kræver {rule}. "),
        "unmet": ", og under {k} af dem når intet sagstal ned til {lo} målene",
        "desk_rules": "Efter hvordan sagsbehandlerne ordner skrivebordsarbejdet (en antagelse): {rules}.",
        "desk_rule": "{rule}: {workers}",
        "desk_none": "{rule}: intet sagstal i analysen",
        "rule_names": {"edf": "tidligste frist først", "prep_first": "forberedelse først",
                       "casework_first": "sagsarbejde først"},
        "own": "Når sagsbehandlerne {own}, som i scenariet, nås forberedelsesmålet ved intet sagstal. ",
        "own_ok": "Når sagsbehandlerne {own}, som i scenariet, nås målene op til {c} sager. ",
        "casework": "Ved {c} sager nås {cov} af sagsarbejdet til tiden. ",
        "desk": (" Det forudsætter, at sagsbehandlerne tager skrivebordsarbejdet i den rækkefølge, scenariet "
                 "angiver ({rule}), hvilket er en antagelse: kom sagsarbejdet med frist i denne uge altid først, ville "
                 "forberedelse på forhånd næsten ingen samtaler nå at forberede fra omkring 80 sager "
                 "(docs/validation.md, skrivebordsregler)."),
        "more": "mere", "less": "mindre",
        "prepare": {"ahead": "forbereder sig før hver samtale",
                    "after_checkin": "først forbereder sig, når borgeren er tjekket ind",
                    "none": "ikke forbereder sig", "confirmed_ahead": "forbereder sig på forhånd til borgere, "
                    "der har bekræftet via SMS"},
        "fig_kpi": "{kpi} mod udgiften til sagsbehandlere om året for {citizens} borgere",
        "fig_caption": ("Hvert punkt er ét sagstal (øverste akse: borgere pr. sagsbehandler); færre sager koster "
                        "mere (nederste akse); streger: 95 %-konfidensinterval."),
        "fig_sweep": "Hovedresultaterne mod {x} med 95 %-konfidensbåndet",
        "a_target": "Mål: færre end {overdue} af opfølgningssamtalerne for sent (opfølgningsreglen overholdt) og "
                    "mindst {prepared} af de afholdte samtaler fuldt forberedt (en antagelse; ændres den, flytter "
                    "svaret sig).",
        "a_citizens": "{citizens} borgere i sagsstammen (en antagelse på størrelse med en stor kommune; "
                      "`--citizens`).",
        "a_cost": "{fte} kr. om året pr. fuldtidssagsbehandler inkl. overhead (en antagelse; "
                  "`--set fte_cost_dkk=...`); sagsbehandlere = borgere / sagstal, ikke afrundet.",
        "a_ranges": ("Spændene: {n} tidsbudgetter trukket fra posteriorfordelingen for det tilpassede tidsbudget "
                     "(`jobsim fit`) og de tre skrivebordsregler, {r} replikationer hver, forberedelse på forhånd; en "
                     "spredning over antagelser, ikke et konfidensinterval."),
        "a_scenario": "Alt andet som i scenarie {scenario}; `jobsim show {scenario}` viser hver værdi med kilde.",
        "a_changes": "Ændret i denne rapport (--set, --with): {changes}.",
        "sweep_answer": ("Scenarie {scenario}: {points} scenariepunkter, hvor {varied} varieres, {replications}. "
                         "{finding}"),
        "reps_each": "{n} replikationer hver",
        "reps_so_far": "{n} replikationer hver indtil videre ({planned} planlagt)",
        "reps_range": "{n} replikationer pr. punkt indtil videre ({planned} planlagt)",
        "sweep_walk": "{kpi}, fra {x} {xa} til {xb}",
        "sweep_many": ("Med {n} kombinationer af {factors} kan ét afsnit ikke rumme resultaterne: tabellen nedenfor "
                       "viser dem punkt for punkt."),
        "validation_answer": "{summary} Tabellen nedenfor viser tal for tal, hvad modellen kan og ikke kan udtale "
                             "sig om.",
    },
}


_WORDS["da"] = {k: no_break_percent(v) if isinstance(v, str) else v for k, v in _WORDS["da"].items()}


def _w(key: str, lang: str) -> Any:
    return _WORDS[lang][key]


def check_target(name: str, value: float | str, *, above_zero: bool) -> float:
    """``value`` (a number, or its text from the command line) as a target share, or :class:`JobsimError`.

    A share is 0–1 (0.1 is 10%); with ``above_zero`` it must be above 0 (an overdue share below 0 cannot
    be met). The error names ``name`` (``overdue_below``, or the option ``--overdue-below``).
    """
    try:
        share = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        share = math.nan
    if not (math.isfinite(share) and (share > 0 if above_zero else share >= 0) and share <= 1):
        allowed = "a share above 0 and at most 1" if above_zero else "a share from 0 to 1"
        raise JobsimError(f"{name}: {value!r} is not allowed; allowed: {allowed}, e.g. 0.1 for 10%")
    return share


def _target_words(overdue_below: float, prepared_at_least: float, lang: str) -> dict[str, str]:
    # as many decimals as the target has (up to two of a per cent): the words name the target actually used
    return {"overdue": pct(overdue_below, lang, None), "prepared": pct(prepared_at_least, lang, None)}


def _range(low: float, high: float, lang: str, decimals: int | None = 0) -> str:
    if math.isnan(low) or math.isnan(high):
        return "n/a"
    return f"{num(low, lang, decimals)}–{num(high, lang, decimals)}"


def _span(values, lang: str) -> str:
    low, high = num(min(values), lang, 0), num(max(values), lang, 0)
    return low if low == high else f"{low}–{high}"


def across_text(across: pd.DataFrame, citizens: float, fte_cost_dkk: float, lang: str, *,
                overdue_below: float = OVERDUE_TARGET, prepared_at_least: float = PREPARED_TARGET) -> str:
    """The answer's sentences on the team across the assumptions that decide it: the time budgets drawn from the
    fitted posterior, and the desk rules (``across``: :func:`jobsim.studies.staffing.assumption_runs`)."""
    teams = staffing.assumption_teams(across, citizens, fte_cost_dkk, overdue_below=overdue_below,
                                      prepared_at_least=prepared_at_least)
    out = ""
    budget = teams[teams["assumption"] == "time budget"]
    if len(budget):
        met, rule = budget["workers"].dropna(), budget["rule_workers"].dropna()
        unmet = len(budget) - len(met)
        lowest = across.loc[across["assumption"] == "time budget", "caseload"].min()
        out += _w("across", lang).format(
            n=len(budget), range=_span(met, lang) if len(met) else "–",
            unmet=_w("unmet", lang).format(k=unmet, lo=num(lowest, lang, None)) if unmet else "",
            rule=_span(rule, lang) if len(rule) else "–")
    desk = teams[teams["assumption"] == "desk rule"]
    if len(desk):
        names = _w("rule_names", lang)
        parts = [_w("desk_rule", lang).format(rule=names.get(r.value, r.value), workers=num(r.workers, lang, 0))
                 if r.workers == r.workers else _w("desk_none", lang).format(rule=names.get(r.value, r.value))
                 for r in desk.itertuples()]
        out += _w("desk_rules", lang).format(rules="; ".join(parts)) + " "
    return out


def staffing_answer(runs: pd.DataFrame, base: Scenario, citizens: float, lang: str, *,
                    overdue_below: float = OVERDUE_TARGET, prepared_at_least: float = PREPARED_TARGET,
                    across: pd.DataFrame | None = None) -> str:
    """The one-paragraph answer of the staffing question from its sweep's ``runs`` (caseload x prep_policy).

    The team is found on the model (:func:`jobsim.studies.staffing.team_needed`): in each replication the
    largest caseload that meets the targets, an overdue share below ``overdue_below`` and a prepared share of
    at least ``prepared_at_least`` (shares, 0–1), then its mean and 95% interval; the paragraph names the
    targets, the team, its cost and their intervals, and the team that keeps the follow-up rule alone. With
    ``across`` (:func:`jobsim.studies.staffing.assumption_runs`) it gives the team across the time budgets the
    fitted posterior allows and across the desk rules (:func:`across_text`) instead of saying only that they
    matter.
    """
    targets = {"overdue_below": overdue_below, "prepared_at_least": prepared_at_least}
    fmt = {"citizens": num(citizens, lang), **_target_words(overdue_below, prepared_at_least, lang)}
    policies = list(dict.fromkeys(runs["prep_policy"]))
    teams = {p: staffing.team_needed(runs, citizens, base.fte_cost_dkk, policy=p, **targets) for p in policies}
    candidates = [(t.caseload, p) for p, t in teams.items() if t.found]
    if not candidates:
        caseloads = sorted(runs["caseload"].unique())
        return _w("none", lang).format(lo=num(caseloads[0], lang, None), hi=num(caseloads[-1], lang, None),
                                       **fmt).strip()
    _, policy = max(candidates)
    team = teams[policy]
    delta = team.cost_dkk - staffing.staffing_cost_dkk(citizens, base.caseload, base.fte_cost_dkk)
    words = _w("prepare", lang)
    out = _w("meets", lang).format(
        policy=words.get(policy, lower_first(policy_label(policy, lang))), workers=num(team.workers, lang, 0),
        workers_range=_range(team.workers_low, team.workers_high, lang), replications=team.replications,
        c=num(team.caseload, lang, 0), cost=num(team.cost_dkk / 1e6, lang, 1),
        cost_range=_range(team.cost_low_dkk / 1e6, team.cost_high_dkk / 1e6, lang, 1),
        delta=num(abs(delta) / 1e6, lang, 1), more=_w("more" if delta >= 0 else "less", lang),
        base=num(base.caseload, lang, None), **fmt)
    cov = runs[runs["prep_policy"] == policy].groupby("caseload")["casework_coverage"].mean()
    out += _w("casework", lang).format(c=num(team.caseload, lang, 0), cov=pct(float(np.interp(
        team.caseload, cov.index.to_numpy(float), cov.to_numpy(float))), lang))
    if team.censored:
        out += _w("censored", lang).format(k=team.censored, n=team.replications,
                                           c=num(max(runs["caseload"]), lang, None))
    if team.failed:
        out += _w("failed", lang).format(k=team.failed, n=team.replications)
    if prepared_at_least > 0:
        law = staffing.team_needed(runs, citizens, base.fte_cost_dkk, policy=policy, overdue_below=overdue_below,
                                   prepared_at_least=0.0)
        if law.found and not math.isclose(law.caseload, team.caseload):
            out += _w("law", lang).format(workers=num(law.workers, lang, 0),
                                          workers_range=_range(law.workers_low, law.workers_high, lang),
                                          c=num(law.caseload, lang, 0))
    own = base.prep_policy
    if own != policy and own in teams:
        own_name = words.get(own, lower_first(policy_label(own, lang)))
        out += (_w("own_ok", lang).format(own=own_name, c=num(teams[own].caseload, lang, 0)) if teams[own].found
                else _w("own", lang).format(own=own_name))
    if across is not None and len(across):
        out += across_text(across, citizens, base.fte_cost_dkk, lang, **targets)
        return out.strip()
    out += _w("budget", lang)
    if policy in ("ahead", "confirmed_ahead") and base.desk_priority != "casework_first":
        out += _w("desk", lang).format(rule=base.desk_priority).lstrip()   # conditional on the desk rule
    return out.strip()


def staffing_request(scenario: str | Path, *, quick: bool = False, changes: dict[str, Any] | None = None,
                     replications: int | None = None) -> tuple[Scenario, dict[str, list[Any]], int]:
    """The sweep the staffing question runs: ``(base scenario, grid, replications)``.

    ``scenario`` (a built-in name or a TOML path) with ``changes`` (``--set``, ``--with``) applied;
    ``quick`` shortens the runs (:data:`QUICK_CHANGES`, except a value ``changes`` sets: what the user
    asked for wins). The grid: caseloads :data:`CASELOADS` (:data:`QUICK_CASELOADS` quick) plus the
    scenario's own, and the scenario's preparation policy and ``ahead``; ``replications`` per point
    (default 10; 3 quick).
    """
    changes = dict(changes or {})
    base = load_scenario(scenario, **changes)
    if quick:
        base = base.replace(**{k: v for k, v in QUICK_CHANGES.items() if k not in changes})
    caseloads = sorted({*(QUICK_CASELOADS if quick else CASELOADS), float(base.caseload)})
    policies = list(dict.fromkeys([base.prep_policy, "ahead"]))
    reps = replications or (QUICK_REPLICATIONS if quick else REPLICATIONS)
    return base, {"caseload": caseloads, "prep_policy": policies}, reps


def assumption_runs(base: Scenario, caseloads, *, quick: bool = False, changes: dict[str, Any] | None = None,
                    seed: int = 0, jobs: int = 1, out: str | Path | None = None,
                    progress: bool | None = False) -> pd.DataFrame:
    """The staffing question's sweeps across the assumptions that decide the team: :data:`DRAWS` time budgets from
    the fitted posterior (:func:`jobsim.studies.timeuse.posterior_draws`; a time-budget value the user set with
    ``changes`` is kept, not drawn) and the desk rules, stored under ``out/assumptions`` (continued if there)."""
    from .timeuse import posterior_draws

    draws = posterior_draws(staffing.QUICK_DRAWS if quick else staffing.DRAWS, seed=seed)
    draws = draws.drop(columns=[c for c in (changes or {}) if c in draws.columns])
    folder = None if out is None else Path(out) / "assumptions"
    return staffing.assumption_runs(base, caseloads, draws, seed=seed, out=folder, progress=progress, jobs=jobs,
                                    replications=staffing.QUICK_DRAW_REPLICATIONS if quick
                                    else staffing.DRAW_REPLICATIONS)


def staffing_folder(base: Scenario, grid: dict[str, list[Any]], replications: int, seed: int, label: str,
                    root: str | Path = "outputs") -> Path:
    """Where ``jobsim report staffing`` stores its runs: ``ROOT/report-staffing-<label>-<fingerprint>``.

    The fingerprint is :func:`jobsim.runner.sweep.default_folder`'s (ten hex digits of the whole
    request: every scenario value, so ``--set`` and ``--with`` count, the grid, the replications and
    the seed), so the same command started again continues in its folder and another seed or value
    gets a folder of its own.
    """
    folder = default_folder(base, grid, replications, seed, label=f"staffing-{label}", root=root)
    return folder.with_name("report-" + folder.name.removeprefix("sweep-"))


def read_studies(validation: str | Path | None, sensitivity: str | Path | None, *,
                 prefix: str = "") -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The validation and sensitivity tables a report adds, read and checked (before anything runs).

    ``validation``: ``jobsim validate``'s folder (holding ``validation.csv``); ``sensitivity``: the
    ``sensitivity.csv`` of ``jobsim sensitivity``, or its folder; None for none. One that does not
    exist, or breaks its format, is a :class:`JobsimError` naming it ``{prefix}validation`` or
    ``{prefix}sensitivity`` (``prefix="--"`` for the command line's options).
    """
    frames: list[pd.DataFrame | None] = [None, None]
    if validation is not None:
        try:
            frames[0] = read_validation(validation)
        except JobsimError as err:
            raise JobsimError(f"{prefix}validation: {err}") from None
        if frames[0] is None:
            raise JobsimError(f"{prefix}validation: {str(validation)!r} is not a folder holding validation.csv; "
                              "allowed: the folder 'jobsim validate' wrote")
    if sensitivity is not None:
        try:
            frames[1] = read_sensitivity(sensitivity)
        except JobsimError as err:
            raise JobsimError(f"{prefix}sensitivity: {err}") from None
        if frames[1] is None:
            problem = "is a folder without sensitivity.csv" if Path(sensitivity).is_dir() else "does not exist"
            raise JobsimError(f"{prefix}sensitivity: {str(sensitivity)!r} {problem}; allowed: the sensitivity.csv "
                              "'jobsim sensitivity' wrote, or its folder")
    return frames[0], frames[1]


def staffing_report(scenario: str | Path, lang: str = "en", *, quick: bool = False, citizens: float = DEFAULT_CITIZENS,
                    replications: int | None = None, seed: int = 0, jobs: int = 1, out: str | Path | None = None,
                    changes: dict[str, Any] | None = None, command: str = "", validation: str | Path | None = None,
                    sensitivity: str | Path | None = None, progress: bool | None = False,
                    overdue_below: float = OVERDUE_TARGET, prepared_at_least: float = PREPARED_TARGET) -> Report:
    """Run (or continue, from ``out``) the staffing question for ``scenario`` and return its report.

    The sweep is :func:`staffing_request`'s (``changes``: parameter values set on top of the scenario;
    ``quick``: small and short). ``citizens`` (people) sets the cost arithmetic; the targets are an
    overdue share below ``overdue_below`` and a prepared share of at least ``prepared_at_least`` (0–1).
    ``validation`` and ``sensitivity`` (see :func:`read_studies`) are read before anything runs.
    """
    targets = {"overdue_below": check_target("overdue_below", overdue_below, above_zero=True),
               "prepared_at_least": check_target("prepared_at_least", prepared_at_least, above_zero=False)}
    studies = read_studies(validation, sensitivity)
    base, grid, reps = staffing_request(scenario, quick=quick, changes=changes, replications=replications)
    result = sweep(base, grid, replications=reps, seed=seed, jobs=jobs, out=out, progress=progress)
    across = assumption_runs(base, grid["caseload"], quick=quick, changes=changes, seed=seed, jobs=jobs, out=out,
                             progress=progress)
    summary = result.summary(confidence=0.95)
    frontier = staffing.frontier_table(summary, citizens, base.fte_cost_dkk)
    frontier = frontier[frontier["kpi"].isin(KPIS_SHOWN)].reset_index(drop=True)
    comparison = staffing.compare_with_ds(citizens, base.fte_cost_dkk)
    fmt_c = num(citizens, lang)

    caption = run_caption(base.name, reps, seed, lang)
    figures = []
    for i, kpi in enumerate(KPIS_SHOWN, 1):  # one panel a figure, and a narrower drawing of it for phones
        title = _w("fig_kpi", lang).format(kpi=kpi_label(kpi, lang), citizens=fmt_c)
        wide = staffing.cost_outcome_figure(frontier, [kpi], comparison, lang, title="", width=7.5)
        narrow = staffing.cost_outcome_figure(frontier, [kpi], comparison, lang, title="", width=PHONE_INCHES,
                                              legend_columns=1)
        figures.append(Figure(svg_of(wide, f"f{i}"), title, f"{_w('fig_caption', lang)} {caption}",
                              narrow_svg=svg_of(narrow, f"f{i}n")))
    assumptions = [_w("a_target", lang).format(**_target_words(**targets, lang=lang)),
                   _w("a_citizens", lang).format(citizens=fmt_c),
                   _w("a_cost", lang).format(fte=num(base.fte_cost_dkk, lang)),
                   _w("a_ranges", lang).format(n=staffing.QUICK_DRAWS if quick else staffing.DRAWS,
                                               r=staffing.QUICK_DRAW_REPLICATIONS if quick
                                               else staffing.DRAW_REPLICATIONS),
                   _w("a_scenario", lang).format(scenario=base.name, description=base.description)]
    if changes:  # "everything else as in the scenario" holds only with what was changed said
        assumptions.append(_w("a_changes", lang).format(
            changes="; ".join(f"{k} = {value_text(v, lang)}" for k, v in changes.items())))
    report = Report(lang=lang, title=text("title_staffing", lang, scenario=base.name),
                    answer=staffing_answer(result.runs, base, citizens, lang, across=across, **targets), quick=quick, figures=figures,
                    scenarios=scenario_table(summary, ["caseload", "prep_policy"], KPIS_SHOWN, lang, reps),
                    assumptions=assumptions,
                    provenance=provenance(lang, scenario=base.name, seed=seed, replications=reps,
                                          runs=len(result.runs), command=command,
                                          folder=str(out) if out else None))
    return _with_tables(report, *studies)


def _add_studies(report: Report, validation: str | Path | None, sensitivity: str | Path | None) -> Report:
    """``report`` with the validation and sensitivity tables (:func:`read_studies`; a missing one is an error)."""
    return _with_tables(report, *read_studies(validation, sensitivity))


def _with_tables(report: Report, validation: pd.DataFrame | None, sensitivity: pd.DataFrame | None) -> Report:
    if validation is not None:
        report.validation, report.validation_summary = validation_table(validation, report.lang)
    if sensitivity is not None:
        report.sensitivity = sensitivity_table(sensitivity, report.lang)
    return report


def _walk_axis(summary: pd.DataFrame, params: Sequence[str]) -> str | None:
    """The varied parameter the sweep's overview figure has on its x axis, if it is numeric: the first numeric
    one (:func:`jobsim.report.charts.standard_figures`); None if no varied parameter is numeric."""
    return next((p for p in params if is_numeric_parameter(summary[p].unique())), None)


def _level_text(param: str, value: Any, lang: str) -> str:
    """One level of a varied parameter in words: a policy by its plain name, anything else "name value"."""
    if param == "prep_policy":
        return lower_first(policy_label(str(value), lang))
    return f"{parameter_name(param, lang)} {value_text(value, lang)}"


def _kpi_value(kpi: str, lang: str):
    """The formatter of one KPI's means: shares in per cent (one decimal under 10%, so that 5.4% and 2.0% stay
    apart), anything else in its unit with one decimal."""
    if is_share(kpi):
        return lambda v: pct(v, lang, 1 if abs(v) < 0.1 else 0)
    return lambda v: num(v, lang, 1)


def sweep_findings(summary: pd.DataFrame, params: Sequence[str], lang: str,
                   kpis: Sequence[str] = KEY_KPIS[:2]) -> str:
    """The findings of a sweep's short answer, one sentence per KPI of ``kpis`` that ``summary`` has.

    ``summary`` is a sweep summary (one row per scenario point and KPI, the varied ``params`` as columns).
    Each sentence walks along the overview figure's x axis (:func:`_walk_axis`), from the lowest to the
    highest value every group of the other varied parameters has, and gives every group its own figures,
    never a mean over groups: "prepare ahead: 100% → 95%; prepare after check-in: 5.4% → 1.8%". With no
    numeric parameter it gives each point's mean. More groups than :data:`MAX_ANSWER_GROUPS` would not read
    as one paragraph: then one sentence says the table gives the results point by point.
    """
    walk = _walk_axis(summary, params)
    others = [p for p in params if p != walk]
    groups = list(dict.fromkeys(summary[others].itertuples(index=False, name=None))) if others else [()]
    if len(groups) > MAX_ANSWER_GROUPS:
        return _w("sweep_many", lang).format(n=len(groups),
                                             factors=and_list([parameter_name(p, lang) for p in others], lang))
    sentences = []
    for kpi in [k for k in kpis if k in set(summary["kpi"])]:
        rows = summary[(summary["kpi"] == kpi) & summary["mean"].notna()]
        keys = rows[others].itertuples(index=False, name=None) if others else [()] * len(rows)
        means = {(g, x): m for g, x, m in zip(keys, rows[walk] if walk else [None] * len(rows), rows["mean"])}
        value = _kpi_value(kpi, lang)
        if walk:
            # only where every group has a point (a partial sweep may lack some): the same walk for all
            xs = sorted(set.intersection(*({x for g2, x in means if g2 == g} for g in groups)))
            if len(xs) < 2:
                continue
            lead = _w("sweep_walk", lang).format(kpi=kpi_label(kpi, lang), x=parameter_name(walk, lang),
                                                 xa=num(xs[0], lang, None), xb=num(xs[-1], lang, None))
            # no-break spaces around the arrow: on a phone "100% → 95%" never breaks apart
            figures = {g: f"{value(means[g, xs[0]])}\u00a0\u2192\u00a0{value(means[g, xs[-1]])}" for g in groups}
        else:
            lead = kpi_label(kpi, lang)
            figures = {g: value(means[g, None]) for g in groups if (g, None) in means}
        if not others:
            sentences.append(f"{lead}: {figures[()]}.")
        elif figures:
            levels = {g: ", ".join(_level_text(p, v, lang) for p, v in zip(others, g)) for g in figures}
            sentences.append(f"{lead} \u2013 {'; '.join(f'{levels[g]}: {f}' for g, f in figures.items())}.")
    return " ".join(sentences)


def sweep_report(folder: str | Path, lang: str = "en", *, command: str = "", validation: str | Path | None = None,
                 sensitivity: str | Path | None = None, kpis: Sequence[str] = KEY_KPIS[:4]) -> Report:
    """The report of a sweep folder: its short answer, standard overview figure, points' table, provenance.

    An unfinished sweep (fewer runs stored than planned) is reported with what it has, under a warning
    (:attr:`Report.warning`) that says how many runs are stored and how to finish it; the replications it
    states are those the points have ("1 to 3 replications per point").
    """
    result = load_sweep(folder)
    if not len(result.runs):
        raise JobsimError(f"{folder}: the sweep has no finished runs to report")
    if not result.grid:
        raise JobsimError(f"{folder}: the sweep varies no parameter; its summary is in summary.csv")
    summary = result.summary(confidence=0.95)
    summary = summary[summary["n"] > 0]
    params = list(result.grid)
    x = _walk_axis(summary, params) or params[0]   # the overview figure's x axis
    kpis = [k for k in kpis if k in set(summary["kpi"])]
    runs_per_point = result.runs.groupby("point").size().reindex(result.points["point"], fill_value=0)
    low, high, planned = int(runs_per_point.min()), int(runs_per_point.max()), result.replications
    shown: int | str = low if low == high else text("replication_range", lang, low=low, high=high)
    replications = (_w("reps_each", lang).format(n=planned) if low == high == planned else
                    _w("reps_so_far" if low == high else "reps_range", lang).format(n=shown, planned=planned))
    answer = _w("sweep_answer", lang).format(scenario=result.scenario.name, points=len(result.points),
                                             varied=and_list([lower_first(parameter_label(p, lang)) for p in params],
                                                             lang),
                                             replications=replications,
                                             finding=sweep_findings(summary, params, lang, kpis[:2])).strip()
    warning = None
    if not result.complete:
        warning = (text("unfinished_mark", lang), text("unfinished_note", lang, runs=len(result.runs),
                                                       total=result.expected_runs, folder=str(folder)))
    quick = result.replications < 3
    # the figures' captions state the replications the points have, not those planned
    drawn = result if shown == planned else dataclasses.replace(result, replications=shown)
    with tempfile.TemporaryDirectory() as tmp:
        # (an overview 12 in wide: on a laptop its 10 pt labels then have a font size of at least 10 px)
        paths = standard_figures(drawn, tmp, lang=lang, phone=True, overview_width=12.0)
        svgs = {p.stem: p for p in paths if p.suffix == ".svg"}
        figures = [Figure(inline_svg(svgs["overview"].read_text(encoding="utf-8"), "f1"),
                          _w("fig_sweep", lang).format(x=lower_first(parameter_label(x, lang))), "",
                          narrow_svg=inline_svg(svgs["overview_phone"].read_text(encoding="utf-8"), "f1n"))
                   ] if "overview" in svgs else []
    report = Report(lang=lang, title=text("title_sweep", lang, scenario=result.scenario.name), answer=answer,
                    quick=quick, warning=warning, figures=figures,
                    scenarios=scenario_table(summary, params, kpis, lang, shown),
                    provenance=provenance(lang, scenario=result.scenario.name, seed=result.seed,
                                          replications=shown, runs=len(result.runs), command=command,
                                          folder=str(folder)))
    return _add_studies(report, validation, sensitivity)


def validation_report(folder: str | Path, lang: str = "en", *, command: str = "",
                      sensitivity: str | Path | None = None) -> Report:
    """The report of ``jobsim validate``'s output folder: the verdict count, the table, provenance."""
    frame = read_validation(folder)
    if frame is None:
        raise JobsimError(f"{folder}: no validation.csv here; run `jobsim validate` first, or give a sweep folder")
    table, summary = validation_table(frame, lang)
    manifest: dict[str, Any] = {}
    try:
        import json

        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    scenario = manifest.get("scenario", {})
    name = scenario.get("name", "?") if isinstance(scenario, dict) else str(scenario)
    report = Report(lang=lang, title=text("title_validation", lang),
                    answer=_w("validation_answer", lang).format(summary=summary), validation=table,
                    validation_summary=summary,
                    provenance=provenance(lang, scenario=name, seed=manifest.get("seed", "?"),
                                          replications=manifest.get("replications", "?"),
                                          runs=int(manifest.get("runs", 0) or 0), command=command,
                                          folder=str(folder), versions=manifest.get("versions")))
    return _add_studies(report, None, sensitivity)
