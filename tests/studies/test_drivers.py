"""The study 'what drives the answers': the ranking of parameters, and the script end to end in quick mode."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import run_experiment as run

import jobsim
from jobsim.gsa import INDEX_COLUMNS
from jobsim.gsa.analysis import SensitivityResult
from jobsim.studies import drivers as study


def _fake(caseload: float, mu: dict[str, dict[str, float]]) -> SensitivityResult:
    """A Morris result with given mu* per KPI and parameter (only what the study reads)."""
    rows = [{"kpi": k, "parameter": p, "method": "morris", "index": "mu_star", "value": v, "ci_low": v,
             "ci_high": v} for k, by in mu.items() for p, v in by.items()]
    return SensitivityResult(jobsim.Scenario(caseload=caseload), "morris", [], list(mu), 2, 0, 3,
                             pd.DataFrame(), pd.DataFrame(), pd.DataFrame(rows, columns=list(INDEX_COLUMNS)),
                             pd.DataFrame({"kpi": list(mu), "noise_share": [0.1] * len(mu)}))


def test_most_influential_ranks_by_the_largest_relative_effect_on_any_kpi():
    # a KPI in minutes and one in shares: relative mu* makes them comparable
    results = {82.0: _fake(82.0, {"a_kpi": {"x": 100.0, "y": 50.0, "z": 1.0},
                                  "b_kpi": {"x": 0.0, "y": 0.001, "z": 0.01}}),
               220.0: _fake(220.0, {"a_kpi": {"x": 10.0, "y": 20.0, "z": 0.0},
                                    "b_kpi": {"x": 0.0, "y": 0.0, "z": 0.0}})}
    rel = study.relative_mu_star(results).set_index(["caseload", "kpi", "parameter"])["relative"]
    assert rel[(82.0, "b_kpi", "z")] == 1.0 and rel[(82.0, "b_kpi", "y")] == pytest.approx(0.1)
    assert rel[(220.0, "b_kpi", "x")] == 0.0  # a KPI nothing moves: no parameter matters, no division by zero
    # x, y and z each reach 1 somewhere; ties broken by the mean relative effect
    assert study.most_influential(results, top=3) == ["y", "x", "z"]
    assert study.most_influential(results, top=1) == ["y"]


def test_the_choices_rank_in_words_among_all_screened_parameters():
    # desk_priority: the largest mu* for prepared_share at both caseloads; 2nd and 3rd for casework_coverage;
    # under 5% of the strongest for overdue_share. exit_effect: nowhere 5% of the strongest.
    results = {82.0: _fake(82.0, {"prepared_share": {"desk_priority": 0.9, "prep_minutes": 0.1, "exit_effect": 0.0},
                                  "casework_coverage": {"casework_minutes": 0.5, "desk_priority": 0.1,
                                                        "prep_minutes": 0.05, "exit_effect": 0.01},
                                  "overdue_share": {"slots_per_day": 0.3, "desk_priority": 0.001, "exit_effect": 0.0,
                                                    "prep_minutes": 0.01}}),
               220.0: _fake(220.0, {"prepared_share": {"desk_priority": 0.95, "prep_minutes": 0.2, "exit_effect": 0.0},
                                    "casework_coverage": {"casework_minutes": 0.2, "prep_minutes": 0.1,
                                                          "desk_priority": 0.05, "exit_effect": 0.0},
                                    "overdue_share": {"slots_per_day": 0.5, "desk_priority": 0.0, "exit_effect": 0.0,
                                                      "prep_minutes": 0.01}})}
    ranks = study.choice_ranks(results)
    assert set(ranks) == {"desk_priority", "exit_effect"}  # the contact plan was not screened: left out
    assert ranks["desk_priority"]["casework_coverage"] == {
        82.0: {"rank": 2, "of": 4, "relative": pytest.approx(0.2)},
        220.0: {"rank": 3, "of": 4, "relative": pytest.approx(0.25)}}
    # exit_effect ties with others at 0 for prepared_share: a tie shares the better rank
    assert ranks["exit_effect"]["prepared_share"][82.0]["rank"] == 3
    assert study.choice_sentences(ranks) == [
        "Of the 4 assumptions screened, the desk rule (desk_priority) ranks first for the share of conversations "
        "fully prepared at 82 and 220 cases, second at 82 and third at 220 cases for the share of casework done "
        "on time; it does not matter for the share of conversations overdue.",
        "Of the 4 assumptions screened, the exit effect of follow-up (exit_effect) does not matter for any of the "
        "3 answers screened."]
    assert [study.ordinal(n) for n in (1, 2, 10, 11, 12, 13, 21, 22, 23, 25)] == [
        "first", "second", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "25th"]


def test_the_desk_rules_are_compared_in_one_sentence_per_caseload():
    rows = [(c, rule, kpi, m, lo, hi) for c, by in {
        82.0: {"prepared_share": [(0.98, 0.97, 0.99), (1.0, 1.0, 1.0), (0.07, 0.0, 0.13)]},
        220.0: {"prepared_share": [(0.93, 0.92, 0.94), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)],
                "casework_coverage": [(0.2, 0.19, 0.21), (0.19, 0.18, 0.2), (0.26, 0.25, 0.27)]}}.items()
        for kpi, values in by.items() for rule, (m, lo, hi) in zip(study.DESK_RULES, values)]
    table = pd.DataFrame(rows, columns=["caseload", "desk_priority", "kpi", "mean", "ci_low", "ci_high"]).assign(n=10)
    assert study.desk_rule_sentences(table) == [
        "At 82 cases (10 replications, 95% t intervals): share of conversations fully prepared 98% (97%–99%) under "
        "edf, 100% (100%–100%) under prep_first and 7% (0%–13%) under casework_first.",
        "At 220 cases (10 replications, 95% t intervals): share of conversations fully prepared 93% (92%–94%) under "
        "edf, 100% (100%–100%) under prep_first and 0% (0%–0%) under casework_first; share of casework done on "
        "time 20% (19%–21%) under edf, 19% (18%–20%) under prep_first and 26% (25%–27%) under casework_first."]


def test_the_script_refuses_too_few_desk_replications_in_one_line(tmp_path):
    res = run("what_drives_the_answers", "--quick", "--desk-replications", "1", "--out", str(tmp_path / "out"),
              cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].endswith(
        "--desk-replications: 1 is too few for a confidence interval; use 2 or more")
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    base = tmp_path_factory.mktemp("drivers")
    out = base / "out"
    proc = run("what_drives_the_answers", "--quick", "--out", str(out), "--jobs", "2", "--quiet", cwd=base)
    return proc, out


def test_quick_script_writes_the_tables_figures_and_findings(quick):
    proc, out = quick
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["experiment"] == "what_drives_the_answers" and manifest["trajectories"] == 3
    assert len(manifest["parameters"]) == len(jobsim.gsa.load_ranges())
    top = manifest["most_influential"]
    assert len(top) == study.TOP and set(top) <= set(manifest["parameters"])
    table = pd.read_csv(out / "drivers.csv")
    assert list(table.columns) == ["stage", "caseload", *INDEX_COLUMNS]
    assert set(table["caseload"]) == set(study.CASELOADS)
    assert set(table.loc[table.stage == "sobol", "parameter"]) == set(top)  # Sobol on the five from Morris
    for stage in ("morris", "sobol"):
        for c in study.CASELOADS:
            folder = out / f"{stage}_{c:g}"
            assert list(pd.read_csv(folder / "sensitivity.csv").columns) == list(INDEX_COLUMNS)
            assert (folder / f"{stage}.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "what_drives_the_answers.png").read_bytes()[:4] == b"\x89PNG"
    found = json.loads((out / "findings.json").read_text())
    # the cost of a caseworker enters no KPI of the study: it must come out as not mattering for every one
    assert all("fte_cost_dkk" in found["negligible"][k] for k in study.KPIS)
    # where the decisive choices rank, in words: one sentence each, all four screened
    screened = len(manifest["parameters"])
    assert [s.split(" (")[0] for s in found["choices"]] == [
        f"Of the {screened} assumptions screened, {study.CHOICES[p]}" for p in study.CHOICES]
    assert set(found["ranks"]) == set(study.CHOICES)
    assert found["ranks"]["desk_priority"]["prepared_share"]["220.0"]["rank"] == 1
    assert manifest["desk_replications"] == 3 and "desk_rules.csv" in manifest["files"]


def test_quick_script_compares_the_three_desk_rules_with_intervals(quick):
    proc, out = quick
    desk = pd.read_csv(out / "desk_rules.csv")
    assert list(desk.columns) == ["caseload", "desk_priority", "kpi", "mean", "sd", "ci_low", "ci_high", "n"]
    assert len(desk) == len(study.CASELOADS) * 3 * len(study.DESK_KPIS) and set(desk["n"]) == {3}
    assert set(desk["desk_priority"]) == set(study.DESK_RULES) and set(desk["kpi"]) == set(study.DESK_KPIS)
    assert (desk["ci_low"] <= desk["mean"]).all() and (desk["mean"] <= desk["ci_high"]).all()
    prepared = desk[(desk.kpi == "prepared_share") & (desk.caseload == 220.0)].set_index("desk_priority")
    # at 220 cases casework due this week always comes first under casework_first, preparation under prep_first:
    # the one's interval lies below the other's
    assert prepared.loc["casework_first", "ci_high"] < prepared.loc["prep_first", "ci_low"]
    found = json.loads((out / "findings.json").read_text())
    assert [s.split(" (")[0] for s in found["desk_rules"]] == ["At 82 cases", "At 220 cases"]
