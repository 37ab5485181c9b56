"""The fitted time budget: the shipped defaults are the posterior's medians, they put the time-use shares inside
their bands at 82 cases, and docs/model.md shows what the stored results give."""

from __future__ import annotations

import importlib.util
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import jobsim
from jobsim.model.scenario import Scenario
from jobsim.studies import timeuse

from conftest import ROOT

BANDS = {"direct_contact_share": (0.15, 0.26), "prep_followup_share": (0.30, 0.37)}


def shipped_medians() -> dict[str, float]:
    summary = timeuse.shipped_fit_summary()
    return {r.parameter: float(f"{r.median:.3g}") for r in summary.itertuples()}


def test_the_defaults_and_every_builtin_scenario_use_the_posterior_medians():
    medians = shipped_medians()
    assert len(medians) == 12
    for name, value in medians.items():
        assert Scenario.model_fields[name].default == value, name
        for scenario in jobsim.builtin_names():
            assert getattr(jobsim.load_scenario(scenario), name) == value, (scenario, name)


def test_at_82_cases_the_shipped_defaults_put_both_time_use_shares_inside_their_bands():
    """Eight replications (independent streams) at DS's 2013 average: the 99% t interval of each share's mean
    lies inside its published band."""
    s = jobsim.load_scenario("ds_norm", caseload=82.0)
    runs = [jobsim.simulate(s, seed=0, replication=r, tables=False).kpis for r in range(8)]
    for kpi, (low, high) in BANDS.items():
        x = np.array([k[kpi] for k in runs])
        half = stats.t.ppf(0.995, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        assert low < x.mean() - half and x.mean() + half < high, (kpi, x.mean(), half)


def test_the_shipped_posterior_holds_only_particles_inside_both_bands():
    folder = ROOT / "jobsim" / "fit" / "posterior"
    posterior = pd.read_csv(folder / "posterior.csv")
    for kpi, (low, high) in BANDS.items():
        assert posterior[kpi].between(low, high).all()
    assert posterior["weight"].sum() == pytest.approx(1.0)
    summary = timeuse.shipped_fit_summary()
    w = posterior["weight"].to_numpy()
    for r in summary.itertuples():   # the summary is the posterior's (weighted) median
        order = np.argsort(posterior[r.parameter].to_numpy(), kind="stable")
        v, cw = posterior[r.parameter].to_numpy()[order], (np.cumsum(w[order]) - 0.5 * w[order]) / w.sum()
        assert float(np.interp(0.5, cw, v)) == pytest.approx(r.median, rel=1e-5)


def _script():
    spec = importlib.util.spec_from_file_location("time_budget", ROOT / "experiments" / "time_budget.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_model_holds_exactly_the_week_and_fit_tables_of_the_stored_results():
    script = _script()
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for name, text in script.blocks().items():
        m = re.search(rf"<!-- output of: {name} -->\n(.*?)<!-- end of output -->", doc, flags=re.S)
        assert m is not None and m.group(1) == text, name


def test_the_stored_week_is_the_week_of_the_shipped_defaults():
    """One replication of the stored table, run again, gives the stored figures (to the CSV's 6 digits)."""
    stored = pd.read_csv(ROOT / "docs" / "time_use.csv")
    assert sorted(stored["caseload"].unique()) == [45.0, 82.0, 220.0]
    assert set(stored["kpi"]) == {k for k, _, _ in timeuse.ROWS}
    s = jobsim.load_scenario(timeuse.BASE_SCENARIO, caseload=82.0)
    runs = [jobsim.simulate(s, seed=0, replication=r, tables=False).kpis for r in range(int(stored["n"].max()))]
    row = stored[(stored["caseload"] == 82.0) & (stored["kpi"] == "direct_contact_share")].iloc[0]
    assert float(np.mean([k["direct_contact_share"] for k in runs])) == pytest.approx(row["mean"], rel=1e-5)


def test_the_sensitivity_ranges_of_the_fitted_parameters_are_their_posterior_90_percent_intervals():
    from jobsim.gsa import load_ranges

    ranges = load_ranges()
    for r in timeuse.shipped_fit_summary().itertuples():
        entry = ranges[r.parameter]
        assert (entry.low, entry.high) == (float(f"{r.q05:.3g}"), float(f"{r.q95:.3g}")), r.parameter
