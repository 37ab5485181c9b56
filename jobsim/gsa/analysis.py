"""One sensitivity analysis: :func:`sensitivity` runs a design and returns a :class:`SensitivityResult`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import JobsimError, did_you_mean
from ..model.kpis import KPI_NAMES
from ..model.policies import PrepPolicy
from ..model.scenario import Scenario, load_scenario
from ..runner.checks import check_confidence, check_int
from ..runner.design import run_design
from ..runner.files import write_frame
from ..runner.size import sweep_size
from .methods import DEFAULT_SIZE, analyse, check_method, points_of, sample
from .ranges import Range, choose_ranges

#: The KPIs analysed unless told otherwise: the headline answers of the studies.
HEADLINE_KPIS = ("overdue_share", "prepared_share", "casework_coverage", "direct_contact_share",
                 "followup_gap_days_p90")
#: Columns of ``sensitivity.csv`` (the tidy table of indices), in order.
INDEX_COLUMNS = ("kpi", "parameter", "method", "index", "value", "ci_low", "ci_high")
#: Columns of ``noise.csv``.
NOISE_COLUMNS = ("kpi", "replications", "design_variance", "noise_variance", "noise_share")


@dataclass
class SensitivityResult:
    """What :func:`sensitivity` gives.

    * ``indices``: the tidy table of ``sensitivity.csv``: ``kpi``, ``parameter``, ``method``, ``index``
      (``mu_star``, ``sigma`` for Morris; ``S1``, ``ST`` for Sobol; ``S1`` for a Latin hypercube),
      ``value``, ``ci_low``, ``ci_high`` (the bootstrap interval; NaN for sigma). Morris values are in
      the KPI's unit: the change over the parameter's whole range (a step's change divided by the step,
      ``levels / (2 (levels - 1))`` of the range), and for a categorical parameter the change a switch of
      level makes; Sobol values are shares of the KPI's variance.
    * ``noise``: per KPI, the variance of the design-point means over the design (``design_variance``),
      the part of it that is the model's own noise (``noise_variance``: the mean within-point
      variance over replications / ``replications``; NaN with one replication) and their ratio
      ``noise_share``: near 0, the indices describe the parameters; near 1, mostly noise.
    * ``design``: one row per point (``point`` and the parameters' values as run); ``runs``: one row per
      point and replication with every KPI (a categorical parameter's value is its level); ``ranges``: the
      :class:`Range` of each parameter.
    """

    scenario: Scenario
    method: str
    ranges: list[Range]
    kpis: list[str]
    replications: int
    seed: int
    size: int
    design: pd.DataFrame
    runs: pd.DataFrame
    indices: pd.DataFrame
    noise: pd.DataFrame
    confidence: float = 0.95
    out: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def ranking(self, kpi: str) -> pd.DataFrame:
        """The parameters for ``kpi``, most influential first (by mu_star for Morris, ST for Sobol, S1 else)."""
        key = {"morris": "mu_star", "sobol": "ST", "lhs": "S1"}[self.method]
        table = self.indices[(self.indices["kpi"] == kpi) & (self.indices["index"] == key)]
        if table.empty:
            raise JobsimError(f"kpi: {kpi!r} was not analysed; analysed: {', '.join(self.kpis)}")
        return table.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write ``sensitivity.csv``, ``noise.csv``, ``design.csv``, ``runs.csv`` and ``ranges.csv`` to ``folder``.

        ``ranges.csv``: ``parameter``, ``low``, ``high``, ``integer``, ``source`` and ``levels`` (a categorical
        parameter's levels joined by commas, its low and high 0 and 1; empty for a numeric one).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        ranges = pd.DataFrame([{"parameter": r.name, "low": r.low, "high": r.high, "integer": r.integer,
                                "source": r.source, "levels": ",".join(r.levels)} for r in self.ranges])
        return [write_frame(folder / "sensitivity.csv", self.indices, "csv"),
                write_frame(folder / "noise.csv", self.noise, "csv"),
                write_frame(folder / "design.csv", self.design, "csv"),
                write_frame(folder / "runs.csv", self.runs, "csv"),
                write_frame(folder / "ranges.csv", ranges, "csv")]

    def __repr__(self) -> str:
        return (f"SensitivityResult({self.scenario.name!r}, {self.method}, {len(self.ranges)} parameters, "
                f"{len(self.design)} points x {self.replications} replications, KPIs: {', '.join(self.kpis)})")


def sensitivity(scenario: Scenario | str | Path, method: str = "morris", *, parameters: Sequence[str] | None = None,
                ranges: Mapping[str, Any] | Sequence[str] | None = None, kpis: Sequence[str] = HEADLINE_KPIS,
                replications: int = 1, size: int | None = None, levels: int = 4, seed: int = 0, jobs: int = 1,
                executor: str = "local", scheduler: Any = None, out: str | Path | None = None,
                progress: bool | None = None, confidence: float = 0.95, policy: PrepPolicy | None = None,
                ranges_file: str | Path | None = None, confirm: bool = False) -> SensitivityResult:
    """Global sensitivity analysis of ``scenario``'s KPIs to its assumption parameters.

    * ``method``: ``"morris"`` (screening), ``"sobol"`` (first-order and total indices) or ``"lhs"``
      (a Latin hypercube; first-order indices by RBD-FAST); see :mod:`jobsim.gsa.methods`.
    * ``parameters``: the names to vary (default: every parameter of ``ranges.toml``, see
      :mod:`jobsim.gsa.ranges`); ``ranges``: overrides or additions, ``{"caseload": (150, 260)}``
      or ``["caseload=150:260"]``, for a categorical parameter its levels, ``{"desk_priority": ["edf",
      "casework_first"]}`` or ``["desk_priority=edf,casework_first"]`` (each a part of [0, 1) in the design,
      see :mod:`jobsim.gsa.methods`); ``ranges_file``: another ranges file.
    * ``size``: Morris trajectories ``r`` (default 10; ``r (k + 1)`` points), Sobol base samples ``N`` (a
      power of two, default 64; ``N (k + 2)`` points) or Latin hypercube points (default 100);
      ``levels``: Morris grid levels.
    * ``replications``: runs per design point; the KPI at a point is their mean. Replication ``r`` uses
      the same random streams at every point (common random numbers), so differences between points
      are the parameters' doing, not noise; ``noise`` says how much noise is left.
    * ``seed`` draws the design and the runs; ``jobs``, ``executor``, ``scheduler``, ``progress``,
      ``policy`` and ``confirm`` are as in :func:`jobsim.sweep`; ``out`` stores the runs as they finish
      (a stopped analysis started again continues) and writes the tables there.

    >>> import jobsim
    >>> toy = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
    >>> res = jobsim.sensitivity(toy, "morris", parameters=["casework_minutes", "fte_cost_dkk"], size=2,
    ...                          kpis=["casework_coverage"], progress=False)
    >>> res.ranking("casework_coverage")["parameter"].tolist()
    ['casework_minutes', 'fte_cost_dkk']
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise JobsimError("scenario: expected a jobsim.Scenario, a built-in scenario name or a TOML path")
    method = check_method(method)
    check_confidence(confidence)
    replications = check_int("replications", replications, 1)
    size = check_int("size", size if size is not None else DEFAULT_SIZE[method], 2)
    kpis = list(kpis)
    for k in kpis:
        if k not in KPI_NAMES:
            raise JobsimError(f"kpi: unknown KPI {k!r}{did_you_mean(k, KPI_NAMES)}; allowed: {', '.join(KPI_NAMES)}")
    chosen = choose_ranges(scenario, parameters, ranges, ranges_file)
    X = sample(method, chosen, size, seed, levels)
    points = points_of(X, chosen)
    # run_design sizes its base scenario only; a range can make a point bigger (workers=10:1500): size the
    # largest point the ranges allow, with the design's number of runs
    largest = sweep_size(scenario, {r.name: list(r.values()) for r in chosen}, replications, jobs)
    dataclasses.replace(largest, runs=len(points) * replications).check(confirm, "pass confirm=True")
    request = {"method": method, "size": size, "levels": levels, "kpis": kpis,
               "ranges": [r.spec() for r in chosen]}
    runs = run_design(scenario, points, replications, seed, jobs=jobs, executor=executor, scheduler=scheduler,
                      out=out, progress=progress, policy=policy, confirm=confirm, label=f"sensitivity {method}",
                      extra={"sensitivity": request})
    design = pd.DataFrame(points).rename_axis("point").reset_index()
    means = runs.groupby("point", sort=True)[kpis].mean()  # the KPI at each point: the mean over replications
    rows = []
    for k in kpis:
        for row in analyse(method, chosen, X, means[k].to_numpy(), seed, confidence, levels):
            rows.append({"kpi": k, "method": method, **row})
    indices = pd.DataFrame(rows, columns=list(INDEX_COLUMNS))
    result = SensitivityResult(scenario, method, chosen, kpis, replications, seed, size, design,
                               runs.merge(design, on="point"), indices, noise_table(runs, kpis, replications),
                               confidence, Path(out) if out is not None else None, {"request": request})
    if out is not None:
        result.to_csv(out)
    return result


def noise_table(runs: pd.DataFrame, kpis: Sequence[str], replications: int) -> pd.DataFrame:
    """How much of the variance over the design is the model's own noise, per KPI (see :class:`SensitivityResult`)."""
    rows = []
    grouped = runs.groupby("point", sort=True)
    for k in kpis:
        means = grouped[k].mean().to_numpy(dtype=float)
        design_var = float(np.nanvar(means, ddof=1)) if np.isfinite(means).sum() > 1 else math.nan
        if replications > 1:
            noise_var = float(np.nanmean(grouped[k].var(ddof=1).to_numpy(dtype=float))) / replications
        else:
            noise_var = math.nan
        share = noise_var / design_var if design_var and design_var > 0 else (0.0 if noise_var == 0 else math.nan)
        rows.append({"kpi": k, "replications": replications, "design_variance": design_var,
                     "noise_variance": noise_var, "noise_share": share})
    return pd.DataFrame(rows, columns=list(NOISE_COLUMNS))


def request_digest(scenario: Scenario, method: str, ranges: Sequence[Range], replications: int, size: int,
                   levels: int, seed: int, kpis: Sequence[str]) -> str:
    """Ten hex digits that fingerprint a request (names the default folder of ``jobsim sensitivity``)."""
    text = json.dumps({"scenario": scenario.to_dict(), "method": method, "size": size, "levels": levels,
                       "replications": replications, "seed": seed, "kpis": list(kpis),
                       "ranges": [r.spec() for r in ranges]}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
