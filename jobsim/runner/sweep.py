"""Experiments: replications, parameter sweeps and the statistics on them.

The runner sits between one run (:func:`jobsim.simulate`) and the analysis:

* :func:`sweep` runs every combination of a grid of parameter values
  ``replications`` times; :func:`replicate` is the one-point case.
  Replication ``r`` uses the same named random streams at every grid point
  (common random numbers), so differences between points are sharper than
  independent runs would give (:meth:`SweepResult.paired_difference`).
* ``jobs > 1`` runs in worker processes; the results are bit-identical to
  ``jobs=1``. Workers return only the KPIs of a run, so memory stays at one run
  per process.
* With ``out=DIR`` each finished run is stored at once (:mod:`jobsim.store`):
  a killed sweep started again continues where it stopped.
* :func:`replications_needed` and :func:`replications_algorithm` tell how
  many replications a KPI needs for a target confidence-interval half-width.

>>> import jobsim
>>> base = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
>>> result = jobsim.sweep(base, {"caseload": [40, 80]}, replications=3, progress=False)
>>> len(result.runs), result.summary()["n"].tolist()[:3]
(6, [3, 3, 3])

Failed runs: a run that raises is recorded with its error and the sweep goes
on with the rest; at the end :func:`sweep` raises :class:`SweepError`, whose
``.result`` holds everything that succeeded (``.failures`` lists the failed
runs). Started again in the same ``out`` folder, only the failed and missing
runs are run.
"""

from __future__ import annotations

import itertools
import math
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import JobsimError, ScenarioError, did_you_mean
from ..model.kpis import KPI_NAMES, KPIS
from ..model.policies import PrepPolicy
from .pool import run_tasks
from .simulate import simulate
from ..model.scenario import Scenario, coerce_value, load_scenario, unknown_parameter_message

#: Most values one ``--vary`` range may expand to (a typo like 0:1000:0.001 should fail fast).
MAX_RANGE_VALUES = 10_000

#: The columns of :attr:`SweepResult.runs` besides the varied parameters and the KPIs.
RUN_COLUMNS = ("point", "replication", "seed", "run_seconds")


class SweepError(JobsimError):
    """Some runs of a sweep failed; ``.result`` holds the rest and ``.failures`` the failed runs."""

    def __init__(self, message: str, result: "SweepResult"):
        super().__init__(message)
        self.result = result


# ------------------------------------------------------------------ grids

def _annotation(name: str):
    return Scenario.model_fields[name].annotation


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """Parse one ``--vary`` option into ``(name, values)``, typed by the parameter.

    ``name=start:stop:step`` is a range with ``stop`` included, for integer
    and number parameters (computed in decimal, so ``0.1:0.3:0.05`` gives
    0.1, 0.15, 0.2, 0.25, 0.3 exactly); ``name=a,b,c`` a list of values of any
    type; the two mix (``caseload=20,40:100:20``). Values are checked for type
    here and for range when the grid's scenarios are built.

    >>> parse_vary("caseload=40:100:20")
    ('caseload', [40.0, 60.0, 80.0, 100.0])
    >>> parse_vary("prep_policy=ahead,none")
    ('prep_policy', ['ahead', 'none'])
    """
    if "=" not in text:
        raise JobsimError(f"--vary: {text!r} is not of the form name=values "
                          "(e.g. caseload=40:220:20 or prep_policy=ahead,none)")
    name, spec = (part.strip() for part in text.split("=", 1))
    if name not in Scenario.model_fields:
        raise ScenarioError(unknown_parameter_message(name))
    numeric = _annotation(name) in (int, float)
    items = [item.strip() for item in spec.split(",")]
    if not spec.strip() or any(not item for item in items):
        raise JobsimError(f"{name}: --vary {text!r} has an empty value; give name=a,b,c or name=start:stop:step")
    values: list[Any] = []
    for item in items:
        if numeric and ":" in item:
            values.extend(coerce_value(name, v) for v in _range(name, item))
        else:
            values.append(coerce_value(name, item))
    _check_duplicates(name, values)
    return name, values


def _range(name: str, item: str) -> list[str]:
    """The values of ``start:stop:step`` (stop included) as decimal strings."""
    parts = item.split(":")
    if len(parts) != 3:
        raise JobsimError(f"{name}: range {item!r} is not of the form start:stop:step (stop is included)")
    try:
        start, stop, step = (Decimal(p.strip()) for p in parts)
    except InvalidOperation:
        raise JobsimError(f"{name}: range {item!r} is not of the form start:stop:step with numbers") from None
    if not all(d.is_finite() for d in (start, stop, step)):
        raise JobsimError(f"{name}: range {item!r} must have finite numbers")
    if step == 0:
        raise JobsimError(f"{name}: range {item!r} has step 0; allowed: a step that leads from start to stop")
    count = (stop - start) / step
    if count < 0:
        raise JobsimError(f"{name}: range {item!r} is empty (step {step} does not lead from {start} to {stop})")
    n = int(count) + 1  # int() truncates: stop is included when it lies on the grid
    if n > MAX_RANGE_VALUES:
        raise JobsimError(f"{name}: range {item!r} has {n} values; allowed: at most {MAX_RANGE_VALUES}")
    return [str(start + i * step) for i in range(n)]


def parse_grid(items: Iterable[str]) -> dict[str, list[Any]]:
    """Parse several ``--vary`` options into a grid; a parameter given twice is an error."""
    grid: dict[str, list[Any]] = {}
    for text in items:
        name, values = parse_vary(text)
        if name in grid:
            raise JobsimError(f"{name}: given twice in --vary; give all its values in one --vary "
                              f"(e.g. {name}=a,b,c)")
        grid[name] = values
    return grid


def _check_duplicates(name: str, values: Sequence[Any]) -> None:
    seen: list[Any] = []
    for v in values:
        if v in seen:
            raise JobsimError(f"{name}: value {v!r} is given twice in the grid; each value may appear once")
        seen.append(v)


def _plain(value: Any) -> Any:
    """numpy scalars as Python scalars (so ``np.arange`` grids work)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def expand_grid(scenario: Scenario, grid: Mapping[str, Sequence[Any]]
                ) -> tuple[dict[str, list[Any]], list[dict[str, Any]], list[Scenario]]:
    """Check a grid and build every point's scenario, before anything runs.

    Returns ``(grid, points, scenarios)``: the grid with values as the
    scenario stores them (``40`` becomes ``40.0`` for a number parameter),
    one dict of parameter values per point (the product of the grid, the last
    parameter varying fastest) and each point's validated scenario. Raises
    :class:`JobsimError` naming the parameter for an unknown name, an empty or
    non-list value list, a duplicate value, or a value of the wrong type or out
    of range.
    """
    if not isinstance(grid, Mapping):
        raise JobsimError(f"grid: expected a dict of parameter name -> list of values, got {type(grid).__name__}")
    raw: dict[str, list[Any]] = {}
    for name, values in grid.items():
        if not isinstance(name, str) or name not in Scenario.model_fields:
            raise ScenarioError(unknown_parameter_message(str(name)))
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise JobsimError(f"{name}: expected a list of values in the grid, got {values!r}")
        values = [_plain(v) for v in values]
        if not values:
            raise JobsimError(f"{name}: empty list of values in the grid; give at least one value")
        _check_duplicates(name, values)
        raw[name] = values
    names = list(raw)
    index_points = list(itertools.product(*(range(len(v)) for v in raw.values())))
    scenarios = []
    for idx in index_points:
        point = {name: raw[name][i] for name, i in zip(names, idx)}
        try:
            scenarios.append(scenario.replace(**point) if point else scenario)
        except ScenarioError as err:
            where = ", ".join(f"{k}={v!r}" for k, v in point.items())
            raise ScenarioError(f"{err} (at grid point {where})") from None
    # the values as the scenario stores them, read back from a point holding each
    clean: dict[str, list[Any]] = {name: [None] * len(values) for name, values in raw.items()}
    for idx, point_scenario in zip(index_points, scenarios):
        for name, i in zip(names, idx):
            clean[name][i] = getattr(point_scenario, name)
    for name, values in clean.items():
        _check_duplicates(name, values)
    points = [{name: clean[name][i] for name, i in zip(names, idx)} for idx in index_points]
    return clean, points, scenarios


# ------------------------------------------------------------------ result

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
        return _points_frame(self.grid)

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
        ``ci_low``, ``ci_high`` (mean -/+ t(confidence, n - 1) x sd / sqrt(n)),
        ``n``. NaN values of a KPI (no observations in a run, e.g. no held
        conversation) are left out of that KPI, and ``n`` counts the rest; with
        n < 2 the sd and interval are NaN.
        """
        _check_confidence(confidence)
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
                low, high = t_interval(m, s, count, confidence)
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
        _check_confidence(confidence)
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
        value = _plain(value)
        if isinstance(value, str) and _annotation(param) is not str:
            value = coerce_value(param, value)
        for v in self.grid[param]:
            if v == value:
                return v
        raise JobsimError(f"{param}: {value!r} is not one of the sweep's values "
                          f"({', '.join(map(repr, self.grid[param]))})")

    # ---------------------------------------------------------- files
    def to_csv(self, folder: str | Path, confidence: float = 0.95) -> list[Path]:
        """Write ``runs.csv``, ``summary.csv`` (and ``failures.csv`` if any run failed) to ``folder``."""
        from .files import write_frame

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [write_frame(folder / "runs.csv", self.runs, "csv"),
                 write_frame(folder / "summary.csv", self.summary(confidence), "csv")]
        if len(self.failures):
            paths.append(write_frame(folder / "failures.csv", self.failures, "csv"))
        return paths


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise JobsimError(f"confidence: {confidence!r} must lie strictly between 0 and 1 (e.g. 0.95)")


def t_interval(mean: float, sd: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The t-based confidence interval mean -/+ t(confidence, n - 1) x sd / sqrt(n); NaN if n < 2."""
    if n < 2 or math.isnan(sd) or math.isnan(mean):
        return math.nan, math.nan
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)
    if not math.isfinite(mean):
        return mean, mean
    return mean - half, mean + half


def welch_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Welch's t interval for mean(a) - mean(b), treating the two samples as independent."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se2 = va + vb
    d = float(a.mean() - b.mean())
    if se2 == 0:
        return d, d
    df = se2 ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * math.sqrt(se2)
    return d - half, d + half


def _points_frame(grid: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    names = list(grid)
    rows = [dict(zip(names, combo)) for combo in itertools.product(*grid.values())]
    frame = pd.DataFrame(rows, columns=names) if names else pd.DataFrame(index=range(1))
    frame.insert(0, "point", np.arange(len(frame), dtype="int64"))
    return frame


def _frames(grid: Mapping[str, Sequence[Any]], seed: int, records: Iterable[Mapping[str, Any]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``runs`` and ``failures`` frames from run records (in any order)."""
    points = _points_frame(grid)
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


# ------------------------------------------------------------------ running

def _run_task(task: tuple[int, int, Scenario, int, PrepPolicy | None]) -> dict[str, Any]:
    """One run, in this process or a worker: only the KPIs travel back (memory: one run per process)."""
    point, replication, scenario, seed, policy = task
    t0 = time.perf_counter()
    try:
        result = simulate(scenario, seed=seed, replication=replication, policy=policy, tables=False)
    except Exception as err:  # recorded; the sweep goes on with the other runs
        return {"point": point, "replication": replication, "seed": seed, "kpis": {},
                "run_seconds": time.perf_counter() - t0, "error": f"{type(err).__name__}: {err}",
                "traceback": traceback.format_exc(limit=-8)}
    return {"point": point, "replication": replication, "seed": seed, "kpis": result.kpis,
            "run_seconds": time.perf_counter() - t0, "error": None}


def _check_int(name: str, value: Any, low: int) -> int:
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise JobsimError(f"{name}: {value!r} is not an integer of at least {low}")
    return value


def sweep(scenario: Scenario | str | Path, grid: Mapping[str, Sequence[Any]], replications: int = 20,
          seed: int = 0, jobs: int = 1, out: str | Path | None = None, progress: bool | None = None,
          policy: PrepPolicy | None = None) -> SweepResult:
    """Run every combination of ``grid`` ``replications`` times.

    * ``scenario``: the base :class:`~jobsim.Scenario` (or a built-in name or TOML path).
    * ``grid``: parameter name -> list of values, e.g.
      ``{"caseload": range(40, 221, 20), "prep_policy": ["ahead", "none"]}``. The whole grid is
      checked (names, types, ranges, duplicates) by building every point's scenario before
      anything runs; an error names the parameter.
    * Replication ``r`` of every point calls ``simulate(point, seed=seed, replication=r,
      tables=False)``: the same random streams at every point (common random numbers).
    * ``jobs``: worker processes; the results are bit-identical to ``jobs=1``.
    * ``out``: a folder to store the sweep in (see :mod:`jobsim.store`); started again with the
      same arguments it runs only what is missing; a folder holding a different sweep is refused.
    * ``progress``: a progress bar on stderr; ``None`` shows it only on a terminal or in a notebook.
    * ``policy``: a policy object that overrides every point's ``prep_policy``.

    Returns a :class:`SweepResult`. If some runs raised, the others still run
    and :class:`SweepError` is raised at the end, naming the failed runs;
    its ``.result`` holds the successful ones.
    """
    from .progress import progress_bar

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise JobsimError("scenario: expected a jobsim.Scenario, a built-in scenario name or a TOML path")
    replications = _check_int("replications", replications, 1)
    seed = _check_int("seed", seed, 0)
    jobs = _check_int("jobs", jobs, 1)
    if policy is not None and not isinstance(policy, PrepPolicy):
        raise JobsimError("policy: expected an instance of a jobsim.PrepPolicy subclass")
    grid, points, scenarios = expand_grid(scenario, grid)
    policy_name = policy.name if policy is not None else None

    store = None
    records: dict[tuple[int, int], dict[str, Any]] = {}
    started = time.time()
    if out is not None:
        from .manifest import run_manifest
        from .store import KIND, SweepStore

        manifest = run_manifest(scenario, seed, replication=None, kind=KIND, grid=grid,
                                replications=replications, policy=policy_name,
                                points=len(points), total_runs=len(points) * replications)
        store = SweepStore.open(out, manifest)
        records = {k: r for k, r in store.read_runs().items()
                   if not r.get("error") and k[0] < len(points) and k[1] < replications}
    tasks = [(p, r, scenarios[p], seed, policy) for p in range(len(points)) for r in range(replications)
             if (p, r) not in records]
    total = len(points) * replications
    executed: list[dict[str, Any]] = []

    try:
        with progress_bar(total=total, initial=total - len(tasks), enabled=progress, unit="run",
                          desc=f"sweep {scenario.name}") as bar:
            def on_done(record: dict[str, Any]) -> None:
                if store is not None:
                    store.write_run(record)
                records[(record["point"], record["replication"])] = record
                executed.append(record)
                bar.update(1)
                if record.get("error"):
                    bar.set_postfix_str(f"{sum(1 for r in executed if r.get('error'))} failed", refresh=False)

            run_tasks(_run_task, tasks, jobs, on_done)
        runs, failures = _frames(grid, seed, records.values())
        result = SweepResult(scenario, grid, replications, seed, runs, failures, policy=policy_name,
                             out=Path(out) if out is not None else None)
        if store is not None:
            _finish_store(store, result, executed, started, jobs)
    finally:
        if store is not None:
            store.close()
    if len(failures):
        shown = "; ".join(f"point {row.point} replication {row.replication}: {row.error}"
                          for row in failures.head(3).itertuples())
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        where = f"; see {Path(out) / 'failures.csv'}" if out is not None else ""
        raise SweepError(f"{len(failures)} of {total} runs failed: {shown}{more}{where}", result)
    return result


def _finish_store(store, result: SweepResult, executed: list[dict[str, Any]], started: float, jobs: int) -> None:
    """Write the tables and record this session and the run times in the manifest."""
    from .manifest import utc_now
    from .files import write_frame

    root = store.root
    write_frame(root / "runs.parquet", result.runs, "parquet")
    result.to_csv(root)
    if not len(result.failures) and (root / "failures.csv").exists():
        (root / "failures.csv").unlink()
    manifest = store.read_manifest()
    wall = time.time() - started
    session = {"started_utc": _iso(started), "finished_utc": utc_now().isoformat(timespec="seconds"),
               "jobs": jobs, "runs_executed": len(executed), "wall_seconds": round(wall, 3),
               "run_seconds_sum": round(sum(r["run_seconds"] for r in executed), 3)}
    sessions = [*manifest.get("sessions", []), session]
    seconds = result.runs["run_seconds"]
    store.update_manifest(
        sessions=sessions,
        run_seconds=round(sum(s["wall_seconds"] for s in sessions), 3),
        run_seconds_per_run={"sum": float(seconds.sum()), "mean": float(seconds.mean()) if len(seconds) else None,
                             "max": float(seconds.max()) if len(seconds) else None},
        finished_utc=session["finished_utc"],
        runs_done=len(result.runs), runs_failed=len(result.failures), complete=result.complete,
        files=["runs.parquet", "runs.csv", "summary.csv", *(["failures.csv"] if len(result.failures) else [])])


def _iso(epoch: float) -> str:
    import datetime as _dt

    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).isoformat(timespec="seconds")


def replicate(scenario: Scenario | str | Path, replications: int = 20, seed: int = 0, jobs: int = 1,
              out: str | Path | None = None, progress: bool | None = None,
              policy: PrepPolicy | None = None) -> SweepResult:
    """Run one scenario ``replications`` times: :func:`sweep` with an empty grid (one point)."""
    return sweep(scenario, {}, replications=replications, seed=seed, jobs=jobs, out=out, progress=progress,
                 policy=policy)


def load_sweep(folder: str | Path) -> SweepResult:
    """The :class:`SweepResult` of a sweep stored with ``out=folder`` (also a partial, killed one).

    Built from the run files, so it equals what :func:`sweep` returned; ``.complete`` tells
    whether every run is there.
    """
    from ..model.scenario import make_scenario
    from .store import SweepStore

    store = SweepStore.read(folder)
    manifest = store.read_manifest()
    try:
        scenario = make_scenario(manifest["scenario"])
    except ScenarioError:
        # e.g. a policy registered in the session that ran the sweep: the stored values are still the record
        scenario = Scenario.model_construct(**manifest["scenario"])
    grid = {k: list(v) for k, v in manifest["grid"].items()}
    replications, seed = int(manifest["replications"]), int(manifest["seed"])
    n_points = len(_points_frame(grid))
    records = [r for k, r in store.read_runs().items() if k[0] < n_points and k[1] < replications]
    runs, failures = _frames(grid, seed, records)
    return SweepResult(scenario, grid, replications, seed, runs, failures, policy=manifest.get("policy"),
                       out=Path(folder))


# ------------------------------------------------------- how many replications

def replications_needed(values: Sequence[float], half_width: float, relative: bool = False,
                        confidence: float = 0.95) -> int:
    """How many replications give a confidence interval of at most ``half_width``, from a pilot sample.

    The confidence-interval method (e.g. Law, *Simulation Modeling and
    Analysis*, 5th ed., section 9.4.1; Robinson 2014, ch. 9): with the pilot's
    sample standard deviation ``s``, the answer is the smallest ``n >= 2``
    with

        t(1 - alpha/2, n - 1) x s / sqrt(n) <= h,      alpha = 1 - confidence,

    where ``h = half_width`` in the KPI's unit, or ``half_width x |mean|`` with
    ``relative=True`` (e.g. 0.05 for +/- 5 % of the mean). It assumes the pilot's
    ``s`` is close to the true one, so use a pilot of 10 or more; NaN values are
    ignored. The answer may be smaller than the pilot's size.

    >>> replications_needed([10, 12, 11, 13, 9, 10, 12, 11], half_width=0.5)
    29
    """
    _check_confidence(confidence)
    x = np.asarray([v for v in values if v is not None and not math.isnan(float(v))], dtype=float)
    if len(x) < 2:
        raise JobsimError("values: need at least 2 defined pilot values to estimate the standard deviation")
    if not (isinstance(half_width, (int, float)) and half_width > 0 and math.isfinite(half_width)):
        raise JobsimError(f"half_width: {half_width!r} must be a positive number")
    s = float(x.std(ddof=1))
    h = half_width * abs(float(x.mean())) if relative else float(half_width)
    if s == 0:
        return 2
    if h == 0:
        raise JobsimError("half_width: the pilot mean is 0, so a relative half-width is 0; give an absolute one")
    q = (1 + confidence) / 2
    n = max(2, math.ceil((stats.norm.ppf(q) * s / h) ** 2))  # t > z, so the answer is at least this
    while stats.t.ppf(q, n - 1) * s / math.sqrt(n) > h:
        n += 1
    return n


@dataclass
class ReplicationsAlgorithmResult:
    """The outcome of :func:`replications_algorithm`.

    ``replications``: the number of replications found (None if ``max_replications`` was
    reached first); ``values``: the KPI of each replication run; ``deviations``: the relative
    half-width after each replication (NaN before ``initial``).
    """

    replications: int | None
    values: list[float]
    deviations: list[float]
    precision: float
    confidence: float

    @property
    def converged(self) -> bool:
        """True if a number of replications was found."""
        return self.replications is not None

    def table(self) -> pd.DataFrame:
        """One row per replication count: n, cumulative mean, relative half-width."""
        x = np.asarray(self.values, dtype=float)
        n = np.arange(1, len(x) + 1)
        return pd.DataFrame({"replications": n, "mean": np.cumsum(x) / n, "deviation": self.deviations})


def replications_algorithm(run_one: Callable[[int], float], precision: float = 0.05, confidence: float = 0.95,
                           initial: int = 3, look_ahead: int = 5,
                           max_replications: int = 1000) -> ReplicationsAlgorithmResult:
    """The replications algorithm of Hoad, Robinson & Davies (2010): run until the mean is precise.

    ``run_one(r)`` runs replication ``r`` and returns one KPI value, e.g.
    ``lambda r: jobsim.simulate(s, replication=r, tables=False).kpis["overdue_share"]``.
    After each replication ``n >= initial`` the relative half-width is

        d_n = t(1 - alpha/2, n - 1) x s_n / (sqrt(n) x |mean_n|),

    (``s_n`` and ``mean_n``: sample sd and mean of the first n values). The answer is the first
    ``n`` with ``d_n <= precision`` such that ``d`` stays within ``precision`` for the next
    ``f(n)`` replications too, with the look-ahead ``f(n) = look_ahead`` for ``n <= 100`` and
    ``floor(look_ahead x n / 100)`` beyond (Hoad et al. 2010, J. Oper. Res. Soc. 61(11),
    1632-1644). The look-ahead guards against stopping on a lucky early estimate.
    """
    _check_confidence(confidence)
    if not (precision > 0):
        raise JobsimError(f"precision: {precision!r} must be a positive share (e.g. 0.05 for 5 %)")
    initial = _check_int("initial", initial, 2)
    look_ahead = _check_int("look_ahead", look_ahead, 0)
    max_replications = _check_int("max_replications", max_replications, initial)
    values: list[float] = []
    deviations: list[float] = []
    candidate: int | None = None
    q = (1 + confidence) / 2
    for r in range(max_replications):
        value = float(run_one(r))
        if math.isnan(value):
            raise JobsimError(f"replication {r}: the KPI is undefined (NaN); choose a KPI observed in every run")
        values.append(value)
        n = len(values)
        if n < initial:
            deviations.append(math.nan)
            continue
        x = np.asarray(values)
        mean, s = float(x.mean()), float(x.std(ddof=1))
        d = (stats.t.ppf(q, n - 1) * s / math.sqrt(n) / abs(mean)) if mean != 0 else (0.0 if s == 0 else math.inf)
        deviations.append(float(d))
        if d <= precision:
            if candidate is None:
                candidate = n
            horizon = look_ahead if candidate <= 100 else math.floor(look_ahead * candidate / 100)
            if n - candidate >= horizon:
                return ReplicationsAlgorithmResult(candidate, values, deviations, precision, confidence)
        else:
            candidate = None
    return ReplicationsAlgorithmResult(None, values, deviations, precision, confidence)
