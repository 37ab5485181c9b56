"""The result of a sweep: its runs, its failures and the statistics on them (:class:`SweepResult`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import JobsimError, did_you_mean
from ..model.kpis import KPI_NAMES, KPIS, bound_interval
from ..model.assignments import coerce_value
from ..model.scenario import Scenario
from .checks import check_confidence, plain
from .files import write_frame
from .grid import annotation, points_frame
from .stats import t_interval, welch_interval


@dataclass
class SweepResult:
    """The runs of a sweep and the statistics on them.

    * ``runs``: one row per grid point and replication: the varied parameters,
      ``point`` (index into :attr:`points`), ``replication``, ``seed``,
      ``run_seconds`` (wall time of the run, seconds) and every KPI (units in
      :data:`jobsim.KPIS`); sorted by point then replication. Failed runs are
      not in it.
    * ``failures``: one row per failed run: the varied parameters, ``point``,
      ``replication``, ``error``.
    * ``scenario``: the base scenario; ``grid``: parameter -> values (empty
      for :func:`replicate`); ``replications``; ``seed``; ``policy``: the name of
      the policy object that overrode ``prep_policy``, if any; ``out``: the
      folder it is stored in, if any.
    """

    scenario: Scenario
    grid: dict[str, list[Any]]
    replications: int
    seed: int
    runs: pd.DataFrame
    failures: pd.DataFrame
    policy: str | None = None
    out: Path | None = None

    # ----------------------------------------------------------- shape
    @property
    def varied(self) -> list[str]:
        """The names of the varied parameters, in grid order."""
        return list(self.grid)

    @property
    def points(self) -> pd.DataFrame:
        """One row per grid point: ``point`` and the varied parameters' values."""
        return points_frame(self.grid)

    @property
    def expected_runs(self) -> int:
        """Grid points x replications."""
        return len(self.points) * self.replications

    @property
    def complete(self) -> bool:
        """True if every run of the sweep succeeded (a killed sweep loaded from its folder may be partial)."""
        return len(self.runs) == self.expected_runs

    def __repr__(self) -> str:
        grid = ", ".join(f"{k}: {len(v)} values" for k, v in self.grid.items()) or "no grid"
        return (f"SweepResult({self.scenario.name!r}, {grid}, {self.replications} replications, seed={self.seed}, "
                f"{len(self.runs)} of {self.expected_runs} runs, {len(self.failures)} failed)")

    # ------------------------------------------------------ statistics
    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Mean, standard deviation and t-based confidence interval per grid point and KPI.

        One row per grid point and KPI: the varied parameters, ``point``, ``kpi``,
        ``unit``, ``mean``, ``sd`` (sample standard deviation, n - 1),
        ``ci_low``, ``ci_high`` (mean -/+ t(confidence, n - 1) x sd / sqrt(n), cut to the values the
        KPI can take: a share's to 0-1, any other's at 0; :func:`jobsim.model.kpis.bound_interval`),
        ``n``. NaN values of a KPI (no observations in a run, e.g. no held
        conversation) are left out of that KPI, and ``n`` counts the rest; with
        n < 2 the sd and interval are NaN.
        """
        check_confidence(confidence)
        points = self.points
        kpis = list(KPI_NAMES)
        runs = self.runs
        if len(runs):
            g = runs.groupby("point", sort=True)[kpis]
            mean, sd, n = g.mean(), g.std(ddof=1), g.count()
        else:
            mean = sd = n = pd.DataFrame(columns=kpis, index=pd.Index([], name="point"), dtype=float)
        rows = []
        for p in points["point"]:
            for k in kpis:
                if p in n.index:
                    count, m, s = int(n.at[p, k]), float(mean.at[p, k]), float(sd.at[p, k])
                else:
                    count, m, s = 0, math.nan, math.nan
                low, high = bound_interval(KPIS[k][0], *t_interval(m, s, count, confidence), mean=m)
                rows.append((p, k, KPIS[k][0], m if count else math.nan, s if count > 1 else math.nan,
                             low, high, count))
        out = pd.DataFrame(rows, columns=["point", "kpi", "unit", "mean", "sd", "ci_low", "ci_high", "n"])
        out = points.merge(out, on="point", how="right", sort=False)
        out = out[[*self.varied, "point", "kpi", "unit", "mean", "sd", "ci_low", "ci_high", "n"]]
        out["n"] = out["n"].astype("int64")
        return out

    def paired_difference(self, kpi: str, param: str, a: Any, b: Any, confidence: float = 0.95) -> pd.DataFrame:
        """Mean difference of ``kpi`` between ``param = a`` and ``param = b`` (a minus b), paired.

        Runs are paired by replication and by the values of the other varied
        parameters: replication ``r`` used the same random streams at both
        values (common random numbers), so the difference of a pair has much
        less noise than the difference of two independent means. One row per
        combination of the other varied parameters: those parameters, ``kpi``,
        ``unit``, ``param``, ``a``, ``b``, ``mean_a``, ``mean_b``, ``mean``
        (mean of the paired differences a - b), ``sd``, ``ci_low``, ``ci_high``
        (t interval on the differences, n - 1 degrees of freedom), ``n`` (pairs
        with both values defined), and ``unpaired_ci_low``/``unpaired_ci_high``:
        the Welch interval the same runs would give if they were independent,
        to show what common random numbers buy.
        """
        check_confidence(confidence)
        if kpi not in KPIS:
            raise JobsimError(f"kpi: unknown KPI {kpi!r}{did_you_mean(kpi, KPI_NAMES)}; allowed: {', '.join(KPI_NAMES)}")
        if param not in self.grid:
            raise JobsimError(f"{param}: not a varied parameter of this sweep; varied: "
                              f"{', '.join(self.grid) or 'none'}")
        a, b = self._grid_value(param, a), self._grid_value(param, b)
        if a == b:
            raise JobsimError(f"{param}: a and b are both {a!r}; compare two different values")
        others = [p for p in self.varied if p != param]
        keys = [*others, "replication"]
        runs = self.runs
        left = runs.loc[runs[param] == a, [*keys, kpi]].set_index(keys)[kpi].rename("a")
        right = runs.loc[runs[param] == b, [*keys, kpi]].set_index(keys)[kpi].rename("b")
        pairs = pd.concat([left, right], axis=1, join="inner").dropna().reset_index()
        combos = self.points.drop(columns="point").drop(columns=[param]).drop_duplicates() if others else None
        rows = []
        for combo_values in (combos.itertuples(index=False, name=None) if others else [()]):
            sel = pairs
            for name, value in zip(others, combo_values):
                sel = sel[sel[name] == value]
            diff = (sel["a"] - sel["b"]).to_numpy(dtype=float)
            n = len(diff)
            m = float(diff.mean()) if n else math.nan
            s = float(diff.std(ddof=1)) if n > 1 else math.nan
            low, high = t_interval(m, s, n, confidence)
            xa, xb = sel["a"].to_numpy(dtype=float), sel["b"].to_numpy(dtype=float)
            ulow, uhigh = welch_interval(xa, xb, confidence)
            rows.append({**dict(zip(others, combo_values)), "kpi": kpi, "unit": KPIS[kpi][0], "param": param,
                         "a": a, "b": b, "mean_a": float(xa.mean()) if n else math.nan,
                         "mean_b": float(xb.mean()) if n else math.nan, "mean": m, "sd": s,
                         "ci_low": low, "ci_high": high, "n": n, "unpaired_ci_low": ulow,
                         "unpaired_ci_high": uhigh})
        return pd.DataFrame(rows)

    def _grid_value(self, param: str, value: Any) -> Any:
        value = plain(value)
        if isinstance(value, str) and annotation(param) is not str:
            value = coerce_value(param, value)
        for v in self.grid[param]:
            if v == value:
                return v
        raise JobsimError(f"{param}: {value!r} is not one of the sweep's values "
                          f"({', '.join(map(repr, self.grid[param]))})")

    # ---------------------------------------------------------- files
    def to_csv(self, folder: str | Path, confidence: float = 0.95) -> list[Path]:
        """Write ``runs.csv``, ``summary.csv`` (and ``failures.csv`` if any run failed) to ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [write_frame(folder / "runs.csv", self.runs, "csv"),
                 write_frame(folder / "summary.csv", self.summary(confidence), "csv")]
        if len(self.failures):
            paths.append(write_frame(folder / "failures.csv", self.failures, "csv"))
        return paths


def frames_from_records(grid: Mapping[str, Sequence[Any]], seed: int, records: Iterable[Mapping[str, Any]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``runs`` and ``failures`` frames from run records (in any order)."""
    points = points_frame(grid)
    ok, failed = [], []
    for rec in records:
        if rec.get("error"):
            failed.append({"point": rec["point"], "replication": rec["replication"], "error": rec["error"]})
        else:
            kpis = rec["kpis"]
            ok.append({"point": rec["point"], "replication": rec["replication"], "seed": seed,
                       "run_seconds": float(rec["run_seconds"]),
                       **{k: float(kpis.get(k, math.nan)) for k in KPI_NAMES}})
    cols = ["point", "replication", "seed", "run_seconds", *KPI_NAMES]
    runs = pd.DataFrame(ok, columns=cols)
    runs = runs.astype({"point": "int64", "replication": "int64", "seed": "int64",
                        **{c: "float64" for c in cols[3:]}})
    runs = points.merge(runs, on="point", how="inner", sort=False)
    runs = runs[[*grid, *cols]].sort_values(["point", "replication"], ignore_index=True)
    failures = pd.DataFrame(failed, columns=["point", "replication", "error"]).astype(
        {"point": "int64", "replication": "int64"})
    failures = points.merge(failures, on="point", how="inner", sort=False)
    failures = failures[[*grid, "point", "replication", "error"]].sort_values(
        ["point", "replication"], ignore_index=True)
    return runs, failures
