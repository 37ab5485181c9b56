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
