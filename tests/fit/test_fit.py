"""jobsim fit: the band distance, the refusals, and a fit that is the same serially, on processes, on a Dask
cluster and after a kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace

import distributed
import pandas as pd
import pytest

from jobsim.cli import main
from jobsim.fit.abc import QUICK, band_distance, fit, fit_targets
from jobsim.fit.priors import load_priors

#: A tiny fit: 4 particles a batch, 2 batches, runs of a team of 2 over 8 weeks (about 5 s a batch).
TINY = replace(QUICK, population=4, batches=2)


def test_the_band_distance_is_the_worst_target_in_half_widths_of_its_band():
    targets = fit_targets()
    by_id = {t.id: t for t in targets}
    dc, pf = by_id["direct_contact_share"], by_id["prep_followup_share"]   # 0.15-0.26 and 0.30-0.37
    assert band_distance({"direct_contact_share": 0.205, "prep_followup_share": 0.335}, targets) == pytest.approx(0.0, abs=1e-12)
    # 0.26 is the top of the first band (1 half-width), 0.30 the bottom of the second (1 half-width)
    assert band_distance({"direct_contact_share": 0.26, "prep_followup_share": 0.335}, targets) == pytest.approx(1.0)
    assert band_distance({"direct_contact_share": 0.205, "prep_followup_share": 0.23}, targets) == pytest.approx(3.0)
    assert band_distance({"direct_contact_share": float("nan"), "prep_followup_share": 0.3}, targets) == float("inf")
    assert (dc.low, dc.high, pf.low, pf.high) == (0.15, 0.26, 0.30, 0.37)


def test_a_target_without_a_band_is_refused(monkeypatch):
    """Every shipped target has a band since issue 25; a targets file with one that has none is still refused."""
    import dataclasses

    from jobsim.errors import JobsimError
    from jobsim.fit import abc
    from jobsim.validation.targets import load_targets

    no_band = [dataclasses.replace(t, low=None, high=None) if t.id == "direct_contact_share" else t
               for t in load_targets()]
    monkeypatch.setattr(abc, "load_targets", lambda: no_band)
    with pytest.raises(JobsimError, match="direct_contact_share has no band .* nothing to fit it to"):
        abc.fit_targets(["direct_contact_share"])


@pytest.mark.parametrize("args, message", [
    (["--target", "direct_contact"], "--target: unknown target 'direct_contact'; allowed: direct_contact_share, "),
    (["--target", "odense_25m_group"], "--target: odense_25m_group is held out for validation (role 'validation' "
                                       "in targets.toml)"),
    (["--target", "lead_time_noshow_odds_ratio"], "--target: lead_time_noshow_odds_ratio is held out for validation "
                                                  "(role 'validation' in targets.toml); fitting to it would leave "
                                                  "nothing to check the model on"),
    (["--target", "first_meeting_noshow_rate"], "--target: first_meeting_noshow_rate is not measured by one KPI of "
                                                "one scenario; a fit can use: direct_contact_share, "),
])
def test_a_target_the_fit_cannot_use_is_refused_in_one_line(args, message, capsys, tmp_path):
    assert main(["fit", "--quick", "--out", str(tmp_path / "f"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobsim: error: " + message) and err.count("\n") == 1
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("entry, message", [
    ("[noncase_minutes_per_day]\nlow = 30.0\nhigh = 60.0\nsource = 's'\n",
     "noncase_minutes_per_day: the range 30 to 60 excludes the default {default:g}; allowed: a range that contains "
     "it"),
    ("[casework_minutess]\nlow = 0.0\nhigh = 9.0\nsource = 's'\n",
     "casework_minutess: unknown parameter (did you mean 'casework_minutes'?)"),
    ("[prep_minutes]\nlow = 9.0\nhigh = 5.0\nsource = 's'\n", "prep_minutes: low (9) must be below high (5)"),
    ("[prep_minutes]\nlow = 1.0\nhigh = 500.0\nsource = 's'\n",
     "prep_minutes: the range 1 to 500 leaves the parameter's allowed values (ge 0, le 240)"),
    ("[prep_minutes]\nlow = 1.0\nhigh = 50.0\n", "prep_minutes.source: say where the range comes from"),
    ("[desk_priority]\nlow = 1.0\nhigh = 2.0\nsource = 's'\n",
     "desk_priority: only numeric parameters can be fitted (it is str)"),
])
def test_a_prior_that_makes_no_sense_is_refused_in_one_line(entry, message, capsys, tmp_path):
    import jobsim

    default = jobsim.load_scenario("ds_norm").noncase_minutes_per_day
    priors = tmp_path / "priors.toml"
    priors.write_text(entry, encoding="utf-8")
    assert main(["fit", "--quick", "--priors", str(priors), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jobsim: error: {priors}: " + message.format(default=default)), err
    assert err.count("\n") == 1 and not (tmp_path / "f").exists()


def test_a_folder_that_holds_something_else_is_never_overwritten(capsys, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["fit", "--quick", "--out", str(out)]) == 2
    assert "holds no fit; give a new folder (nothing was overwritten)" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_the_shipped_priors_contain_the_defaults_and_cite_their_reasoning():
    import jobsim

    base = jobsim.load_scenario("ds_norm", caseload=82.0)
    priors = load_priors(None, base)
    assert len(priors) == 12
    for p in priors.values():
        assert p.low <= getattr(base, p.name) <= p.high and p.source


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("fit") / "serial"
    result = fit(out, TINY, seed=3, jobs=1)
    return out, result


def test_a_fit_writes_its_posterior_summary_batches_and_manifest(serial):
    out, result = serial
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == 8 and sorted(posterior["batch"].unique()) == [0, 1]
    assert posterior["weight"].sum() == pytest.approx(1.0) and posterior["weight"].nunique() == 1
    # every accepted particle's run landed inside both bands (the tolerance is 1 band half-width)
    assert posterior["direct_contact_share"].between(0.15, 0.26).all()
    assert posterior["prep_followup_share"].between(0.30, 0.37).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "finished" and sorted(manifest["batches"]) == ["0", "1"]
    assert manifest["runs"] == int(pd.read_csv(out / "batches.csv")["runs"].sum()) >= 8
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["parameter"]) == list(load_priors())
    assert (summary["q05"] <= summary["median"]).all() and (summary["median"] <= summary["q95"]).all()


def test_two_processes_and_a_dask_cluster_give_the_serial_posterior_bit_for_bit(serial, tmp_path):
    out, _ = serial
    expected = (out / "posterior.csv").read_bytes()
    fit(tmp_path / "local", TINY, seed=3, jobs=2)
    assert (tmp_path / "local" / "posterior.csv").read_bytes() == expected
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        fit(tmp_path / "dask", TINY, seed=3, executor="dask", scheduler=cluster)
    assert (tmp_path / "dask" / "posterior.csv").read_bytes() == expected


def test_a_killed_fit_continues_with_the_batch_it_was_in_and_ends_as_if_never_killed(tmp_path):
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "jobsim", "fit", "--quick", "--population", "4", "--batches", "3",
               "--seed", "5", "--out", str(out)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             start_new_session=True)
    for line in child.stdout:
        if line.startswith("batch 1 of 3"):
            os.killpg(child.pid, signal.SIGKILL)   # kill -9, workers included, during batch 2
            break
    child.wait()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running" and list(manifest["batches"]) == ["0"]
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("continuing: 1 of 3 batches were finished\nbatch 2 of 3: ")
    reference = tmp_path / "whole"
    fit(reference, replace(QUICK, population=4, batches=3), seed=5)
    assert (out / "posterior.csv").read_bytes() == (reference / "posterior.csv").read_bytes()


def test_other_settings_in_the_same_folder_are_refused(serial, capsys):
    out, _ = serial
    before = (out / "posterior.csv").read_bytes()
    assert main(["fit", "--quick", "--population", "4", "--batches", "2", "--seed", "4", "--out", str(out)]) == 2
    assert "holds a fit with other settings (seed); give a new folder" in capsys.readouterr().err
    assert (out / "posterior.csv").read_bytes() == before
