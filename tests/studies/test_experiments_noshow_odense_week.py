"""experiments/noshow_sensitivity.py, odense.py and week_in_the_life.py run end to end in quick mode.

Each script runs once (module fixture) as ``python experiments/NAME.py --quick
--out DIR --jobs 2`` in a subprocess with the Agg backend; the tests then check
the exit code, the CSV, PNG, SVG and manifest it wrote, and what is in them.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_experiment as run

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ("noshow_sensitivity", "odense", "week_in_the_life")
FIGURES = {"noshow_sensitivity": ("noshow_casework", "noshow_prepared"),
           "odense": ("odense_gaps", "odense_staffing"),
           "week_in_the_life": ("week_in_the_life",)}
CSVS = {"noshow_sensitivity": ("noshow_runs.csv", "noshow_differences.csv"),
        "odense": ("odense_runs.csv", "odense_gap_shares.csv", "odense_staffing_runs.csv", "odense_staffing.csv"),
        "week_in_the_life": ("week_diary.csv", "week_summary.csv")}




@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("experiments")
    done = {}
    for name in SCRIPTS:
        out = base / name
        proc = run(name, "--quick", "--out", str(out), "--jobs", "2", "--quiet", cwd=base)
        done[name] = (proc, out)
    return done


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_exits_0_and_writes_csv_png_svg_and_manifest(outputs, name):
    proc, out = outputs[name]
    assert proc.returncode == 0, proc.stderr
    for stem in FIGURES[name]:
        png, svg = out / f"{stem}.png", out / f"{stem}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for csv in CSVS[name]:
        assert len(pd.read_csv(out / csv)) > 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["experiment"] == name
    assert manifest["seed"] == 0 and manifest["arguments"]["quick"] is True
    assert manifest["versions"]["jobsim"] and manifest["wall_seconds"] > 0
    assert set(manifest["files"]) >= {f"{s}.png" for s in FIGURES[name]} | {"manifest.json"}
    for f in manifest["files"]:
        assert (out / f).exists(), f


def test_noshow_differences_cover_every_cell_both_kpis_and_sms(outputs):
    _, out = outputs["noshow_sensitivity"]
    d = pd.read_csv(out / "noshow_differences.csv")
    assert len(d) == 2 * 2 * 2 * 2                            # KPI x probability x caseload x SMS
    assert set(d["kpi"]) == {"casework_coverage", "prepared_share"}
    assert (d["n"] == 3).all() and (d["noshow_spread"] == 0.15).all()
    assert (d.loc[d["kpi"] == "prepared_share", "mean"] < 0).all()   # the Lærkevej rule prepares less, always
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["grid"]["prep_policy"] == ["ahead", "after_checkin"]
    assert manifest["noshow_spread"] == {"0.1": 0.15, "0.3": 0.15}


def test_odense_answer_and_runs(outputs):
    _, out = outputs["odense"]
    runs = pd.read_csv(out / "odense_runs.csv")
    assert sorted(runs["scenario"].unique()) == ["odense_2017", "odense_frikommune"]
    staffing = pd.read_csv(out / "odense_staffing_runs.csv")
    assert sorted(staffing["workers"].unique()) == [10, 11, 12]
    answer = json.loads((out / "odense_answer.json").read_text(encoding="utf-8"))
    assert answer["target"] == 0.10 and answer["base_workers"] == 10
    means = staffing.groupby("workers")["overdue_share"].mean()
    meeting = [w for w, v in means.items() if v < 0.10]
    assert answer["workers"] == (min(meeting) if meeting else None)


def test_week_summary_has_both_panels(outputs):
    _, out = outputs["week_in_the_life"]
    s = pd.read_csv(out / "week_summary.csv")
    assert s["scenario"].tolist() == ["ds_norm", "laerkevej"]
    assert s["caseload"].tolist() == [45.0, 220.0]
    lv = s.set_index("scenario").loc["laerkevej"]
    assert lv["casework_undone"] > 0 and lv["prep_minutes"] == 0
    diary = pd.read_csv(out / "week_diary.csv")
    assert set(diary["day"]) == {0, 1, 2, 3, 4}


def test_bad_target_is_one_line_and_exit_2(tmp_path):
    proc = run("odense", "--quick", "--target", "1.5", "--out", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["error: --target: 1.5 must be a share between 0 and 1 (e.g. 0.10)"]


def test_a_quick_run_does_not_write_the_docs(tmp_path):
    proc = run("odense", "--quick", "--docs", str(tmp_path), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: --docs: a --quick run's numbers are not findings; leave out --quick to write the page"]
    assert list(tmp_path.iterdir()) == []


def test_worker_outside_the_team_is_refused(tmp_path):
    proc = run("week_in_the_life", "--quick", "--worker", "99", "--out", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2 and "--worker: 99" in proc.stderr
