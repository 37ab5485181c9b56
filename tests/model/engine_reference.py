"""Reference KPI figures of the day-at-once engine, for the comparison with the engine in SimPy processes.

The grid: every built-in scenario x the four preparation policies x the three desk rules, each on a small team
and a short horizon (:data:`CHANGES`), replications ``0 .. SEEDS-1`` of seed 0. Stored per configuration and
KPI: the value of each replication (so the comparison can pair replications: both engines draw each citizen's
random numbers from the same named streams, common random numbers), and their mean and standard error.

Written once by the old engine (``python tests/model/engine_reference.py``) before it was removed; read by
``tests/model/test_engine_reference.py``. Do not regenerate it from the new engine: it is the old engine's
record.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE_FILE = HERE / "engine_reference.json"

SCENARIOS = ("laerkevej", "ds_norm", "odense_frikommune", "odense_2017", "aabenraa")
POLICIES = ("after_checkin", "ahead", "none", "confirmed_ahead")
DESK_RULES = ("edf", "prep_first", "casework_first")
#: small team, short horizon: enough bookings per replication for the means to mean something
CHANGES = {"workers": 4, "horizon_days": 182, "warmup_days": 56}
SEEDS = 8


def configurations():
    """(label, scenario name, changes) for each point of the grid."""
    for name in SCENARIOS:
        for policy in POLICIES:
            for desk in DESK_RULES:
                yield (f"{name}/{policy}/{desk}", name,
                       dict(CHANGES, prep_policy=policy, desk_priority=desk))


def run_configuration(name: str, changes: dict) -> dict[str, list[float]]:
    """KPI -> values of replications 0 .. SEEDS-1 (seed 0) with the current engine."""
    import jobsim

    scenario = jobsim.load_scenario(name, **changes)
    values: dict[str, list[float]] = {}
    for r in range(SEEDS):
        kpis = jobsim.simulate(scenario, seed=0, replication=r, tables=False).kpis
        for k, v in kpis.items():
            values.setdefault(k, []).append(float(v))
    return values


def summary(values: list[float]) -> tuple[float, float]:
    """Mean and standard error of the mean (nan for fewer than two finite values)."""
    xs = [v for v in values if math.isfinite(v)]
    if not xs:
        return math.nan, math.nan
    m = sum(xs) / len(xs)
    if len(xs) < 2:
        return m, math.nan
    var = sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
    return m, math.sqrt(var / len(xs))


def main() -> int:
    out = {"grid": {"scenarios": SCENARIOS, "policies": POLICIES, "desk_rules": DESK_RULES,
                    "changes": CHANGES, "seed": 0, "replications": SEEDS},
           "configurations": {}}
    for label, name, changes in configurations():
        values = run_configuration(name, changes)
        out["configurations"][label] = {
            k: {"values": v, "mean": summary(v)[0], "se": summary(v)[1]} for k, v in values.items()}
        print(label, file=sys.stderr)
    REFERENCE_FILE.write_text(json.dumps(out, indent=None, allow_nan=True) + "\n")
    print(f"wrote {REFERENCE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
