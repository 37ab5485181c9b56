"""experiments/caseload_sweep.py and staffing_cost.py end to end, and the staffing arithmetic exactly.

Each script runs once (module fixture) as ``python experiments/NAME.py --quick
--out DIR --jobs 2`` in a subprocess with the Agg backend.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_experiment as run

import jobsim
from jobsim.studies import staffing

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ("caseload_sweep", "staffing_cost")
FIGURES = {"caseload_sweep": ("caseload_prep", "caseload_followup", "caseload_casework", "caseload_time_use",
                              "caseload_desk_rules"),
           "staffing_cost": ("staffing_frontier",)}
CSVS = {"caseload_sweep": ("summary.csv", "time_use.csv", "desk_rules.csv"), "staffing_cost": ("frontier.csv",)}




@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("experiments")
    done = {}
    for name in SCRIPTS:
        out = base / name
        done[name] = (run(name, "--quick", "--out", str(out), "--jobs", "2", cwd=base), out)
    return done


# ------------------------------------------------------------------ scripts

@pytest.mark.parametrize("name", SCRIPTS)
def test_script_exits_0_and_writes_csv_png_svg_and_manifest(outputs, name):
    proc, out = outputs[name]
    assert proc.returncode == 0, proc.stderr
    for stem in FIGURES[name]:
        assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (out / f"{stem}.svg").read_text(encoding="utf-8")
    for csv in CSVS[name]:
        assert len(pd.read_csv(out / csv)) > 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["experiment"] == name and manifest["seed"] == 0
    assert manifest["arguments"]["quick"] is True and manifest["arguments"]["jobs"] == 2
    assert manifest["scenario"]["name"] == "ds_norm" and manifest["scenario"]["horizon_days"] == 91
    assert manifest["versions"]["jobsim"] == jobsim.__version__ and manifest["wall_seconds"] > 0
    assert manifest["replications"] == 3
    for f in manifest["files"]:
        assert (out / f).exists(), f
    assert (out / "sweep_quick" / "manifest.json").exists()  # the runs, resumable


def test_caseload_sweep_covers_three_caseloads_and_all_four_policies(outputs):
    proc, out = outputs["caseload_sweep"]
    summary = pd.read_csv(out / "summary.csv")
    assert sorted(summary["caseload"].unique()) == [40.0, 130.0, 220.0]
    assert sorted(summary["prep_policy"].unique()) == ["after_checkin", "ahead", "confirmed_ahead", "none"]
    # the KPIs of follow-up by need are not measured under the rules: no replication has a value
    by_need = summary["kpi"].isin(["need_wait_days_mean", "need_waiting_at_end_count"])
    assert set(summary.loc[~by_need, "n"]) == {3} and set(summary.loc[by_need, "n"]) == {0}
    assert set(summary["kpi"]) == set(jobsim.KPI_NAMES)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["grid"] == {"caseload": [40.0, 130.0, 220.0],
                                "prep_policy": ["after_checkin", "ahead", "none", "confirmed_ahead"]}
    assert set(manifest["findings"]) == set(FIGURES["caseload_sweep"])
    # the time-use table: one row per caseload, a full week at work in each
    time_use = pd.read_csv(out / "time_use.csv", index_col="caseload")
    assert list(time_use.index) == [40.0, 130.0, 220.0]
    assert list(time_use.columns) == ["conversation", "contact", "prep", "wasted_prep", "documentation", "casework",
                                      "noncase", "idle"]
    assert time_use.sum(axis=1).round(0).tolist() == [2220.0] * 3
    # preparation ahead for citizens who do not show; at 220 cases the desk's other work leaves none to waste
    assert (time_use.loc[[40.0, 130.0], "wasted_prep"] > 0).all() and time_use.loc[220.0, "wasted_prep"] >= 0
    # the preparation answer under every desk rule: preparing ahead, the same caseloads, three rules
    desk = pd.read_csv(out / "desk_rules.csv")
    assert sorted(desk["desk_priority"].unique()) == ["casework_first", "edf", "prep_first"]
    measured = ~desk["kpi"].isin(["need_wait_days_mean", "need_waiting_at_end_count"])   # not under the rules
    assert sorted(desk["caseload"].unique()) == [40.0, 130.0, 220.0] and set(desk.loc[measured, "n"]) == {3}


def test_caseload_sweep_rerun_refuses_finished_results_and_with_force_resumes_from_its_stored_runs(outputs):
    proc, out = outputs["caseload_sweep"]
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    again = run("caseload_sweep", "--quick", "--out", str(out), "--jobs", "1", "--quiet", cwd=out.parent)
    assert again.returncode == 2
    assert again.stderr == (f"error: --out: '{out}' holds the finished results of caseload_sweep --quick; add --force "
                            "to run again and replace them, or choose another --out\n")
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    again = run("caseload_sweep", "--quick", "--out", str(out), "--jobs", "1", "--quiet", "--force", cwd=out.parent)
    assert again.returncode == 0, again.stderr
    first = pd.read_csv(out / "summary.csv")
    assert len(first) == 3 * 4 * len(jobsim.KPI_NAMES)
    assert (out / "summary.csv").read_bytes() == before[out / "summary.csv"]  # the same stored runs


def test_staffing_cost_prints_assumptions_and_ds_comparison(outputs):
    proc, out = outputs["staffing_cost"]
    text = proc.stdout
    assert "10,000 (Copenhagen-scale; --citizens)" in text
    assert "600,000 DKK a year incl. overhead" in text
    assert "+65.0 million DKK a year = 108.3 caseworkers at 600,000 DKK" in text
    assert "220 -> 45 cases: +106.1 million DKK a year (-> 50: +92.7; -> 40: +122.7)" in text
    assert "for 6,129 citizens (7,010 if -> 50, 5,296 if -> 40)" in text
    assert (out / "report.txt").read_text(encoding="utf-8").strip() in text
    frontier = pd.read_csv(out / "frontier.csv")
    at_45 = frontier[frontier["caseload"] == 45.0]
    assert at_45["caseworkers"].round(6).unique().tolist() == [round(10_000 / 45, 6)]
    assert at_45["cost_million_dkk"].round(6).unique().tolist() == [round(10_000 / 45 * 0.6, 6)]
    assert set(frontier["kpi"]) == {"overdue_share", "prepared_share", "casework_coverage"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["assumptions"]["citizens"] == 10_000 and manifest["assumptions"]["fte_cost_dkk"] == 600_000
    assert manifest["ds_comparison"]["implied_citizens"] == pytest.approx(6128.571428571, rel=1e-9)


def test_staffing_cost_takes_citizens_and_fte_cost(tmp_path):
    proc = run("staffing_cost", "--quick", "--out", str(tmp_path / "o"), "--jobs", "1", "--citizens", "6000",
               "--fte-cost", "500000", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # 220 -> 45 for 6,000 citizens at 500,000 DKK: (6000/45 - 6000/220) x 0.5 million
    assert f"+{(6000 / 45 - 6000 / 220) * 0.5:,.1f} million DKK a year" in proc.stdout
    assert "6,000 (Copenhagen-scale" in proc.stdout and "500,000 DKK a year incl. overhead" in proc.stdout


@pytest.mark.parametrize("args, message", [
    (["--citizens", "-5"], "--citizens: -5 is not allowed"),
    (["--fte-cost", "0"], "--fte-cost: 0 is not allowed"),
    (["--replications", "1"], "--replications: 1 is too few"),
])
def test_staffing_cost_refuses_bad_arguments_with_exit_2(tmp_path, args, message):
    proc = run("staffing_cost", "--quick", "--out", str(tmp_path / "o"), *args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------ staffing arithmetic

def test_caseworkers_and_cost_exact():
    assert staffing.caseworkers_needed(10_000, 50) == 200.0
    assert staffing.annual_cost_dkk(200) == 120_000_000.0
    assert staffing.staffing_cost_dkk(10_000, 50) == 120_000_000.0
    assert staffing.staffing_cost_dkk(10_000, 50, fte_cost_dkk=500_000) == 100_000_000.0
    assert staffing.caseworkers_needed(9_900, 45) == 220.0 and staffing.caseworkers_needed(9_900, 220) == 45.0
    assert staffing.cost_difference_dkk(9_900, 220, 45) == (220 - 45) * 600_000 == 105_000_000


def test_ds_budget_buys_108_caseworkers_and_implies_about_6100_citizens():
    assert staffing.caseworkers_for_budget(65e6) == pytest.approx(108.3333333333, rel=1e-12)
    n = staffing.implied_citizens(65e6, 220, 45)
    # N / 45 - N / 220 = 65e6 / 600,000  ->  N = (65e6 / 6e5) x 45 x 220 / (220 - 45)
    assert n == pytest.approx(65e6 / 6e5 * 45 * 220 / 175, rel=1e-12) == pytest.approx(6128.5714, abs=1e-4)
    assert n / 45 - n / 220 == pytest.approx(65e6 / 6e5, rel=1e-12)
    assert staffing.cost_difference_dkk(n, 220, 45) == pytest.approx(65e6, rel=1e-12)
    c = staffing.compare_with_ds(10_000)
    assert (round(c.implied_citizens_low), round(c.implied_citizens), round(c.implied_citizens_high)) == \
        (5296, 6129, 7010)
    assert c.model_extra_dkk == pytest.approx((10_000 / 45 - 10_000 / 220) * 6e5, rel=1e-12)
    assert c.to_dict()["ds_extra_dkk"] == 65e6


def test_staffing_refuses_nonsense():
    with pytest.raises(ValueError, match="caseload"):
        staffing.caseworkers_needed(10_000, 0)
    with pytest.raises(ValueError, match="citizens"):
        staffing.caseworkers_needed(-1, 45)
    with pytest.raises(ValueError, match="must be below caseload_from"):
        staffing.implied_citizens(65e6, 45, 220)
    with pytest.raises(ValueError, match="fte_cost_dkk"):
        staffing.annual_cost_dkk(10, fte_cost_dkk=0)


def test_cost_table_and_frontier_table():
    table = staffing.cost_table(10_000, [50, 200])
    assert table.to_dict("list") == {"caseload": [50.0, 200.0], "caseworkers": [200.0, 50.0],
                                     "cost_dkk": [120e6, 30e6], "cost_million_dkk": [120.0, 30.0]}
    summary = pd.DataFrame({"caseload": [50, 200], "kpi": "overdue_share", "mean": [0.05, 0.3]})
    frontier = staffing.frontier_table(summary, 10_000)
    assert frontier["cost_million_dkk"].tolist() == [120.0, 30.0]
    with pytest.raises(ValueError, match="caseload"):
        staffing.frontier_table(summary.drop(columns="caseload"), 10_000)
