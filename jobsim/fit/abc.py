"""Fit the time budget to published figures: approximate Bayesian computation with pyabc.

The parameters of :mod:`jobsim.fit.priors` (uniform priors with sources) are fitted jointly to
validation targets of role "calibration" (:data:`FIT_TARGETS`: the time-use shares of Quartz+Co and
BDO for KL 2014 and the DS time study; the no-show figures keep their own calibration, see ``priors.toml``).
Each target has a band; a particle's distance is the largest of its targets' distances from the band's
middle, in half-widths of the band (:func:`band_distance`), so a distance of at most 1 means *every target
inside its band*. The posterior is the prior given that one simulated run of the particle lands inside every
band: ABC with tolerance 1.

How: pyabc's ``ABCSMC`` run for one generation at tolerance 1, which is rejection ABC from the prior, so every
particle has the same weight. A sequence of shrinking tolerances (ABC-SMC proper: 6, 3, 2, 1.5, 1, 1) was tried
first and is not used: with twelve bounded uniform priors the kernel proposals' importance weights collapsed
(an effective sample size of a few particles out of 200 after six generations), while rejection costs about
the same number of runs (the shares are cheap to simulate) and keeps every particle at equal weight.

The particles come in batches (:class:`FitSize`), each batch a pyabc run of its own in ``fit.db`` with seeds
of its own; the manifest lists the finished batches, so a killed fit continues with the batch it was in, and
gives the same posterior bit for bit as one never killed.

Each particle is simulated at its targets' own scenario (their arm in ``targets.toml``: ``ds_norm`` at 82
cases), on a smaller team and a shorter run for speed (``changes``); the shares are per caseworker, so a
smaller team moves them only by noise.

Runs go through jobsim's own executors (:mod:`jobsim.runner.executors`: local processes or a Dask
cluster) by a pyabc sampler in which every task samples until it has one accepted particle from a seed of
its own (seed, batch, task): the same seed gives the same posterior bit for bit, serially, on local
processes or on a cluster.

Outputs (:func:`fit`): ``posterior.csv`` (one row per particle: its parameters, the targets' simulated
figures and its weight), ``summary.csv`` (per parameter: prior, posterior median and 90% interval, and how
much the targets narrowed it), ``batches.csv`` (runs and acceptance per batch) and ``manifest.json``
(settings, finished batches, versions, wall time), beside ``fit.db``.
"""

from __future__ import annotations

import json
import logging
import math
import platform
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cloudpickle
import numpy as np
import pandas as pd

from ..errors import JobsimError
from ..model.scenario import Scenario, load_scenario
from ..runner.executors import connect
from ..validation.targets import Target, load_targets
from .priors import Prior, load_priors

#: The validation targets the shipped fit uses (each measured by a KPI, with a band).
FIT_TARGETS = ("direct_contact_share", "prep_followup_share")


@dataclass(frozen=True)
class FitSize:
    """How big a fit is: ``batches`` of ``population`` accepted particles each, and the changes that make each
    particle's run small."""

    population: int
    batches: int
    changes: Mapping[str, Any]


#: The tolerance, in band half-widths: every target inside its band.
TOLERANCE = 1.0
#: The fit that ships: 4 batches of 50 particles, each run a team of 4 over 26 weeks after 8 weeks of warm-up.
FULL = FitSize(50, 4, {"workers": 4, "warmup_days": 56, "horizon_days": 182})
#: --quick: about a minute on 2 cores; one batch of 40 particles, each run a team of 2 over 8 weeks.
QUICK = FitSize(40, 1, {"workers": 2, "warmup_days": 28, "horizon_days": 56})


def fit_targets(ids: Sequence[str] | None = None) -> list[Target]:
    """The targets to fit (default :data:`FIT_TARGETS`), refused in one line if unknown, without a band, not
    measured by a KPI, or not all at one scenario."""
    targets = {t.id: t for t in load_targets()}
    ids = list(ids) if ids else list(FIT_TARGETS)
    chosen = []
    for name in ids:
        if name not in targets:
            raise JobsimError(f"--target: unknown target {name!r}; allowed: {', '.join(targets)}")
        t = targets[name]
        if t.low is None or t.high is None:
            raise JobsimError(f"--target: {name} has no band (no plausibility range could be sourced), so there "
                              "is nothing to fit it to")
        if t.role == "validation":
            raise JobsimError(f"--target: {name} is held out for validation (role 'validation' in targets.toml); "
                              "fitting to it would leave nothing to check the model on")
        if t.measure != "kpi" or set(t.arms) != {"base"}:
            raise JobsimError(f"--target: {name} is not measured by one KPI of one scenario; a fit can use: "
                              + ", ".join(k for k, v in targets.items() if v.measure == "kpi" and v.low is not None
                                         and v.role != "validation"))
        chosen.append(t)
    arms = {json.dumps(t.arms["base"], sort_keys=True) for t in chosen}
    if len(arms) > 1:
        raise JobsimError("--target: the targets are measured at different scenarios; a fit needs one")
    return chosen


def base_scenario(targets: Sequence[Target]) -> Scenario:
    """The scenario the targets are measured at (their common arm)."""
    arm = targets[0].arms["base"]
    return load_scenario(arm["scenario"], **dict(arm.get("settings", {})))


def band_distance(simulated: Mapping[str, float], targets: Sequence[Target]) -> float:
    """The largest distance of a simulated figure from its band's middle, in half-widths of the band (1: on the
    band's edge; NaN counts as infinitely far)."""
    worst = 0.0
    for t in targets:
        x = simulated[t.id]
        if x is None or not math.isfinite(x):
            return math.inf
        middle, half = (t.low + t.high) / 2.0, (t.high - t.low) / 2.0
        worst = max(worst, abs(x - middle) / half)
    return worst


class TimeBudgetModel:
    """The pyabc model: a particle's parameters -> the targets' figures from one run of the base scenario.

    The run's seed is drawn from NumPy's global generator, which :class:`ExecutorSampler` seeds per task, so
    particles are reproducible and every particle has a run of its own."""

    def __init__(self, base: Scenario, changes: Mapping[str, Any], kpis: Mapping[str, str]):
        self.base, self.changes, self.kpis = base, dict(changes), dict(kpis)

    def scenario(self, parameters: Mapping[str, float]) -> Scenario:
        return self.base.replace(**self.changes, **{k: float(v) for k, v in parameters.items()})

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        from ..runner.simulate import simulate

        seed = int(np.random.randint(0, 2**31 - 1))
        kpis = simulate(self.scenario(parameters), seed=seed, tables=False).kpis
        return {target: float(kpis[kpi]) for target, kpi in self.kpis.items()}


def task_seed(seed: int, batch: int, generation: int, index: int) -> int:
    """The seed of task ``index`` of a batch's ``generation`` (-1: a calibration sample of pyabc's; -2: the main process)."""
    return int(np.random.SeedSequence(seed, spawn_key=(batch, generation + 2, index)).generate_state(1)[0])


def sample_until_accepted(task: tuple[bytes, int, int]) -> tuple[int, Any, int, float]:
    """In a worker: sample particles from a seed of the task's own until one is accepted; return (task index,
    the sample, evaluations, seconds the task took)."""
    started = time.perf_counter()
    blob, seed, index = task
    simulate_one, new_sample = cloudpickle.loads(blob)
    np.random.seed(seed)
    random.seed(seed)
    sample = new_sample()
    evaluations = 0
    while True:
        particle = simulate_one()
        evaluations += 1
        sample.append(particle)
        if particle.accepted:
            return index, sample, evaluations, time.perf_counter() - started


def make_sampler(executor, seed: int, batch: int):
    """A pyabc sampler that runs the tasks of batch ``batch`` on a jobsim
    :class:`~jobsim.runner.executors.Executor`."""
    from pyabc.sampler import Sampler

    class ExecutorSampler(Sampler):
        """Runs ``n`` tasks, each sampling until one particle is accepted (as pyabc's MappingSampler), on
        jobsim's executor; results are put together in task order, so the sample does not depend on which
        worker finished first. ``busy_seconds`` adds up the tasks' own times (how busy the workers were)."""

        busy_seconds = 0.0

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            blob = cloudpickle.dumps((simulate_one, self.sample_factory))
            results: list[Any] = [None] * n

            def arrived(result) -> None:
                results[result[0]] = result

            tasks = ((blob, task_seed(seed, batch, t, i), i) for i in range(n))
            executor.run(sample_until_accepted, tasks, arrived, n)
            sample = self._create_empty_sample()
            evaluations = 0
            for _, part, k, seconds in results:
                sample += part
                evaluations += k
                self.busy_seconds += seconds
            self.nr_evaluations_ = evaluations
            return sample

    return ExecutorSampler()


def settings_of(size: FitSize, targets: Sequence[Target], priors: Mapping[str, Prior], seed: int) -> dict:
    """What makes a fit what it is (a resumed fit must have the same)."""
    return {"population": size.population, "batches": size.batches, "tolerance": TOLERANCE,
            "changes": dict(size.changes),
            "targets": {t.id: [t.low, t.high] for t in targets},
            "priors": {p.name: [p.low, p.high] for p in priors.values()}, "seed": seed}


def fit(out: str | Path, size: FitSize = FULL, targets: Sequence[str] | None = None,
        priors: str | Path | None = None, seed: int = 0, executor: str = "local", scheduler: Any = None,
        jobs: int = 1, progress: Callable[[str], None] | None = None) -> "FitResult":
    """Run (or continue) the fit into folder ``out``; see the module docstring.

    ``out`` must be a new or empty folder, or one holding a fit of the same settings (it then continues
    with its first unfinished batch); anything else is refused, and no file is overwritten but the fit's
    own. ``progress(line)`` is told each finished batch.
    """
    import pyabc

    chosen = fit_targets(targets)
    base = base_scenario(chosen)
    prior_set = load_priors(priors, base)
    settings = settings_of(size, chosen, prior_set, seed)
    out = Path(out)
    manifest_path, db = out / "manifest.json", f"sqlite:///{out / 'fit.db'}"
    finished = _check_folder(out, settings)     # batch -> pyabc run id, of the batches already finished
    out.mkdir(parents=True, exist_ok=True)
    model = TimeBudgetModel(base, size.changes, {t.id: t.options["kpi"] for t in chosen})
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.width) for p in prior_set.values()})
    observed = {t.id: (t.low + t.high) / 2.0 for t in chosen}

    def distance(x, x0):
        return band_distance(x, chosen)

    say = progress or (lambda line: None)
    logging.getLogger("ABC").setLevel(logging.WARNING)   # pyabc's own lines; the progress lines say enough
    if finished:
        say(f"continuing: {len(finished)} of {size.batches} batches were finished")
    started = time.time()
    busy = 0.0
    with connect(executor, scheduler, jobs) as ex:
        for batch in range(size.batches):
            if batch in finished:
                continue
            sampler = make_sampler(ex, seed, batch)
            abc = pyabc.ABCSMC(model, prior, distance, population_size=size.population,
                               eps=pyabc.epsilon.ListEpsilon([TOLERANCE]), sampler=sampler)
            np.random.seed(task_seed(seed, batch, -2, 0))   # pyabc's own draws in this process, if any
            history = abc.new(db, observed)
            abc.run(max_nr_populations=1)
            busy += sampler.busy_seconds
            finished[batch] = history.id
            _write_json(manifest_path, {"settings": settings, "status": "running",
                                        "batches": {str(k): v for k, v in sorted(finished.items())}})
            runs = int(history.get_all_populations().query("t == 0")["samples"].iloc[0])
            say(f"batch {batch + 1} of {size.batches}: {size.population} particles accepted of {runs} runs, "
                f"{time.time() - started:.0f} s")
        slots = ex.slots
    result = FitResult.from_database(db, finished, prior_set, chosen)
    result.write(out, settings, finished, time.time() - started, busy, executor, slots)
    say(f"fit written to {out}: {len(result.posterior)} particles from {int(result.batches['runs'].sum())} runs")
    return result


def _check_folder(out: Path, settings: dict) -> dict[int, int]:
    """The finished batches (batch -> pyabc run id) of the fit of the same settings in ``out`` (continue it);
    empty if ``out`` is new or empty; refused otherwise."""
    if not out.exists():
        return {}
    if not out.is_dir():
        raise JobsimError(f"--out: {out} is a file; give a folder for the fit")
    if not any(out.iterdir()):
        return {}
    manifest = out / "manifest.json"
    if not manifest.exists() or not (out / "fit.db").exists():
        raise JobsimError(f"--out: {out} is not empty and holds no fit; give a new folder (nothing was overwritten)")
    try:
        kept = json.loads(manifest.read_text(encoding="utf-8"))
        kept_settings, batches = kept["settings"], kept.get("batches", {})
    except (ValueError, KeyError, TypeError):
        raise JobsimError(f"--out: {manifest} is not a fit's manifest; give a new folder") from None
    now = json.loads(json.dumps(settings))
    if kept_settings != now:
        changed = sorted(k for k in now if kept_settings.get(k) != now[k])
        raise JobsimError(f"--out: {out} holds a fit with other settings ({', '.join(changed)}); give a new folder "
                          "to start another fit, or the same settings to continue it")
    return {int(k): int(v) for k, v in batches.items()}


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of weighted values (the weighted empirical distribution, interpolated)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cumulative, v))


@dataclass
class FitResult:
    """A fit's posterior (``posterior``: one row per particle, its parameters, the targets' simulated figures,
    its batch and ``weight``), its ``summary`` per parameter and its ``batches``."""

    posterior: pd.DataFrame
    summary: pd.DataFrame
    batches: pd.DataFrame

    @classmethod
    def from_database(cls, db: str, finished: Mapping[int, int], priors: Mapping[str, Prior],
                      targets: Sequence[Target]) -> "FitResult":
        import pyabc

        frames, rows = [], []
        for batch, run_id in sorted(finished.items()):
            history = pyabc.History(db, _id=run_id)
            frame, weights = history.get_distribution(m=0, t=0)
            frame = frame[list(priors)].reset_index(drop=True)
            stats = history.get_weighted_sum_stats_for_model(m=0, t=0)[1]
            for t in targets:
                frame[t.id] = [float(x[t.id]) for x in stats]
            frame["batch"] = batch
            frame["weight"] = np.asarray(weights, dtype=float)
            frames.append(frame)
            runs = int(history.get_all_populations().query("t == 0")["samples"].iloc[0])
            rows.append({"batch": batch, "particles": len(frame), "runs": runs, "acceptance": len(frame) / runs})
        posterior = pd.concat(frames, ignore_index=True)
        posterior["weight"] /= posterior["weight"].sum()
        return cls(posterior, summarise(posterior, priors), pd.DataFrame(rows))

    def write(self, out: Path, settings: dict, finished: Mapping[int, int], seconds: float, busy: float,
              executor: str, slots: int) -> None:
        import pyabc

        from .. import __version__

        self.posterior.to_csv(out / "posterior.csv", index=False, float_format="%.17g")
        self.summary.to_csv(out / "summary.csv", index=False, float_format="%.6g")
        self.batches.to_csv(out / "batches.csv", index=False, float_format="%.6g")
        _write_json(out / "manifest.json", {
            "settings": settings, "status": "finished", "batches": {str(k): v for k, v in sorted(finished.items())},
            "jobsim": __version__, "pyabc": pyabc.__version__, "python": platform.python_version(),
            "executor": executor, "slots": slots, "wall_seconds_last_session": round(seconds, 1),
            "busy_seconds_last_session": round(busy, 1),
            "runs": int(self.batches["runs"].sum())})


#: A parameter whose posterior 90% interval is at most this share of its prior's is "pinned down" by the
#: targets; one whose interval keeps more than 80% of the prior's width "stays as wide as its prior".
PINNED, WIDE = 0.5, 0.8


def summarise(posterior: pd.DataFrame, priors: Mapping[str, Prior]) -> pd.DataFrame:
    """Per parameter: the prior, the weighted posterior median and 90% interval, and the interval's width as a
    share of the prior's 90% width (``narrowing``), with a verdict in words."""
    w = posterior["weight"].to_numpy()
    rows = []
    for p in priors.values():
        x = posterior[p.name].to_numpy(dtype=float)
        low, median, high = (weighted_quantile(x, w, q) for q in (0.05, 0.5, 0.95))
        share = (high - low) / (0.9 * p.width)
        verdict = ("pinned down" if share <= PINNED else "as wide as its prior" if share > WIDE
                   else "narrowed")
        rows.append({"parameter": p.name, "prior_low": p.low, "prior_high": p.high, "median": median,
                     "q05": low, "q95": high, "width_share": share, "verdict": verdict})
    return pd.DataFrame(rows)
