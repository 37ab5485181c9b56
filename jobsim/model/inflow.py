"""The inflow-driven scenario: the team is given its inflow, and its caseload follows from it.

With ``inflow_per_year`` set, the scenario's ``caseload`` is derived by Little's
law (citizens on the caseload = inflow x mean stay), before any effect of
follow-up on stays (``exit_effect``); the caseload the run measures
(``caseload_mean``) is then an outcome. A caseload given as well must agree.
"""

from __future__ import annotations

import math
from typing import Any


def derive_caseload(values: dict[str, Any], default_stay: float, default_workers: int) -> dict[str, Any]:
    """``values`` with ``caseload`` derived from ``inflow_per_year`` (citizens per year), or a ValueError if a
    given caseload contradicts it. Values of the wrong type are left for the field checks to report."""
    inflow = values.get("inflow_per_year")
    if not isinstance(inflow, (int, float)) or isinstance(inflow, bool) or not inflow > 0:
        return values
    stay, workers = values.get("stay_days", default_stay), values.get("workers", default_workers)
    if not isinstance(stay, (int, float)) or not isinstance(workers, int) or stay <= 0 or workers <= 0:
        return values
    derived = float(inflow) * float(stay) / 365.0 / workers
    given = values.get("caseload")
    if given is None:
        return {**values, "caseload": derived}
    if isinstance(given, (int, float)) and not math.isclose(given, derived, rel_tol=1e-9):
        raise ValueError(f"caseload: {given:g} contradicts inflow_per_year = {inflow:g} (with stay_days {stay:g} and "
                         f"{workers} workers Little's law gives {derived:g} per caseworker); give the caseload or "
                         "the inflow, not both")
    return values
