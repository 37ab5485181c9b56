"""What the golden back-test compares: the exact results of fixed runs.

``collect()`` computes them from the current code; ``tests/test_backtest.py``
compares them with the stored files in this folder bit for bit, and
``tests/golden/regenerate.py`` rewrites the stored files (only when a change
of the model's results is intended, in a commit of its own that says what
moved and why).

Stored per run (every built-in scenario at seed 0, and ``ds_norm`` with the
``prep_first`` desk rule and 60 minutes of overtime): every KPI (JSON numbers
written with Python's shortest round-trip repr, so reading them back gives the
same float bit for bit), and for each table (meetings, citizens, worker-days) its row
count and a SHA-256 of its columns' raw bytes. A small caseload sweep's
``summary.csv`` is stored as it is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
KPI_FILE = HERE / "kpis.json"
TABLE_FILE = HERE / "tables.json"
SUMMARY_FILE = HERE / "sweep_summary.csv"

#: The runs: label -> (built-in scenario, changes).
RUNS = {
    "laerkevej": ("laerkevej", {}),
    "ds_norm": ("ds_norm", {}),
    "odense_frikommune": ("odense_frikommune", {}),
    "odense_2017": ("odense_2017", {}),
    "aabenraa": ("aabenraa", {}),
    "ds_norm_prep_first_overtime": ("ds_norm", {"desk_priority": "prep_first", "overtime_minutes": 60.0}),
}
#: The small sweep: ds_norm, a short horizon, caseloads x two policies, 2 replications.
SWEEP = {"scenario": "ds_norm", "changes": {"horizon_days": 91, "warmup_days": 28},
         "grid": {"caseload": [45.0, 120.0, 220.0], "prep_policy": ["ahead", "after_checkin"]},
         "replications": 2, "seed": 0}


def table_digest(frame: pd.DataFrame) -> dict:
    """Row count, column names and a SHA-256 over each column's values (exact bytes for numbers)."""
    h = hashlib.sha256()
    for name in frame.columns:
        h.update(name.encode())
        col = frame[name]
        if col.dtype.kind in "biuf":
            h.update(np.ascontiguousarray(col.to_numpy()).tobytes())
        else:
            h.update("\x1f".join(map(str, col.tolist())).encode())
    return {"rows": len(frame), "columns": list(map(str, frame.columns)), "sha256": h.hexdigest()}


def collect() -> tuple[dict, dict, str]:
    """(KPIs per run, table digests per run, summary CSV text of the sweep) from the current code."""
    import jobsim

    kpis, tables = {}, {}
    for label, (name, changes) in RUNS.items():
        scenario = jobsim.load_scenario(name)
        if changes:
            scenario = scenario.replace(**changes)
        result = jobsim.simulate(scenario, seed=0)
        kpis[label] = {k: float(v) for k, v in result.kpis.items()}
        tables[label] = {t: table_digest(getattr(result, t)) for t in ("meetings", "citizens", "worker_days")}
    base = jobsim.load_scenario(SWEEP["scenario"]).replace(**SWEEP["changes"])
    swept = jobsim.sweep(base, SWEEP["grid"], replications=SWEEP["replications"], seed=SWEEP["seed"],
                         progress=False)
    buffer = io.StringIO()
    swept.summary().to_csv(buffer, index=False)
    return kpis, tables, buffer.getvalue()


def write(kpis: dict, tables: dict, summary: str) -> None:
    KPI_FILE.write_text(json.dumps(kpis, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    TABLE_FILE.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    SUMMARY_FILE.write_text(summary, encoding="utf-8", newline="")


def same(a: float, b: float) -> bool:
    """Bit-identical floats (NaN equals NaN)."""
    return (math.isnan(a) and math.isnan(b)) or float(a).hex() == float(b).hex()


def stored() -> tuple[dict, dict, str]:
    return (json.loads(KPI_FILE.read_text(encoding="utf-8")), json.loads(TABLE_FILE.read_text(encoding="utf-8")),
            SUMMARY_FILE.read_text(encoding="utf-8"))
