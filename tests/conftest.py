"""Shared test helpers; every test draws with the Agg backend and closes its figures."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import jobsim  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def run_experiment(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python experiments/NAME.py ARGS`` in a subprocess with the Agg backend; capture its output."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, str(ROOT / "experiments" / f"{name}.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def count_runs(monkeypatch):
    """Counts the runs a sweep actually simulates in this process: (caseload, replication) per run."""
    import importlib

    sweep_module = importlib.import_module("jobsim.runner.sweep")
    calls = []
    real = sweep_module.simulate

    def counting(scenario, seed=0, replication=0, **kw):
        calls.append((scenario.caseload, replication))
        return real(scenario, seed=seed, replication=replication, **kw)

    monkeypatch.setattr(sweep_module, "simulate", counting)
    return calls


# --------------------------------------------------------------- hand-made results for the chart tests

CASELOADS = (40.0, 100.0, 160.0, 220.0)
POLICIES = ("after_checkin", "ahead")
#: Means by KPI, policy and caseload (hand-made, shaped like the model's results).
MEANS = {
    "prepared_share": {"after_checkin": [0.02, 0.02, 0.02, 0.02], "ahead": [1.0, 0.97, 0.95, 0.93]},
    "prep_minutes_mean": {"after_checkin": [5.0, 5.0, 5.0, 5.0], "ahead": [15.0, 14.8, 14.5, 14.4]},
    "overdue_share": {"after_checkin": [0.05, 0.06, 0.30, 0.40], "ahead": [0.05, 0.06, 0.30, 0.40]},
    "casework_coverage": {"after_checkin": [1.0, 0.5, 0.3, 0.2], "ahead": [1.0, 0.5, 0.3, 0.2]},
    "followup_gap_days_mean": {"after_checkin": [64.0, 65.0, 70.0, 86.0], "ahead": [64.0, 65.0, 70.0, 86.0]},
}


def make_summary(half_width=0.01):
    rows = []
    for kpi, by_policy in MEANS.items():
        for policy, values in by_policy.items():
            for caseload, mean in zip(CASELOADS, values):
                rows.append({"caseload": caseload, "prep_policy": policy, "point": 0, "kpi": kpi,
                             "unit": jobsim.KPIS[kpi][0], "mean": mean, "sd": 0.02,
                             "ci_low": mean - half_width, "ci_high": mean + half_width, "n": 20})
    return pd.DataFrame(rows)


def worker_days():
    """Two caseworkers, one week; worker 1 absent on Friday. Minutes chosen to add up to 444 a day."""
    rows = []
    for worker in (0, 1):
        for day in range(5):
            absent = worker == 1 and day == 4
            minutes = dict(conversation_minutes=100, prep_minutes=40, wasted_prep_minutes=4,
                           documentation_minutes=40, casework_minutes=200, idle_minutes=60,
                           contact_minutes=0, noncase_minutes=0)
            if absent:
                minutes = {k: 0 for k in minutes}
            rows.append({"day": day, "worker": worker, "present_minutes": 0 if absent else 444,
                         **minutes, "overtime_minutes": 0, "caseload": 40.0})
    rows += [{**r, "caseload": 220.0, "idle_minutes": 0, "casework_minutes": r["casework_minutes"] + 60 * (
        r["present_minutes"] > 0)} for r in rows]
    return pd.DataFrame(rows)


def legend_texts(legend):
    return [t.get_text() for t in legend.get_texts()]


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so figures do not pile up across tests."""
    yield
    plt.close("all")


#: The week's work outside the diary switched off (calls, employer contact, network meetings, non-case time): for
#: hand-traced runs whose every minute is known, and for checks of mechanisms that came before the week.
NO_WEEK = dict(citizen_contacts_per_week=0.0, employer_contacts_per_week=0.0, network_meetings_per_citizen_year=0.0,
               noncase_minutes_per_day=0.0)
