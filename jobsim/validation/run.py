"""Running every validation target's experiment and tabulating the model against the published figures.

* :func:`run_targets`: replication ``r`` of every arm of a target is ``simulate(arm, seed, r)``
  (common random numbers across arms); the target's measure turns the arms' results into one
  value per replication. Runs go through the experiment engine (:func:`jobsim.runner.engine.map_runs`);
  the values are the same for any ``jobs``.
* :func:`validation_table`: per target the model's mean and 95% t interval over replications
  (cut to 0-1 for shares), the reference band and the verdict: ``inside``, ``outside`` or
  ``not available`` (no defensible band, or no model value).
* :func:`write_validation`: ``validation.csv`` (:data:`CSV_COLUMNS`, the format other tools
  read), the figure in English and Danish, and a manifest.

``JOBSIM_QUICK=1`` (tests, notebooks; see :func:`quick_mode`) runs a half-year horizon and 3 replications unless
told otherwise.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.kpis import bound_interval
from ..report.words import num, pct
from ..runner.files import write_frame, write_json
from ..runner.manifest import utc_now, versions
from ..runner.quick import quick_from_env
from ..runner.engine import map_runs
from ..runner.simulate import simulate
from ..runner.stats import t_interval
from .measures import MEASURES, group_for_caseload
from .targets import Target, load_targets

#: Columns of validation.csv, in order (another tool reads this format: do not rename; new columns go last).
CSV_COLUMNS = ("target", "description", "reference_low", "reference_high", "reference_text", "model_mean",
               "model_ci_low", "model_ci_high", "unit", "verdict", "source", "role")
#: Replications per target: by default, and in quick mode (``JOBSIM_QUICK=1``).
DEFAULT_REPLICATIONS, QUICK_REPLICATIONS = 20, 3
#: What quick mode changes in every arm: a half-year horizon after a four-week warm-up (days).
QUICK_CHANGES = {"horizon_days": 182, "warmup_days": 28}


def quick_mode() -> bool:
    """True when ``JOBSIM_QUICK`` asks for quick runs, by the rule every command reads it with
    (:func:`jobsim.runner.quick.quick_from_env`: set, and not empty, 0, false, no or off)."""
    return quick_from_env()


def _task(task: tuple[Target, int, int, dict[str, Any]]) -> tuple[str, int, float]:
    """One replication of one target: every arm simulated with the same streams, then measured."""
    target, replication, seed, changes = task
    tables = target.needs_tables
    results = {name: simulate(s.replace(**changes) if changes else s, seed=seed, replication=replication,
                              tables=tables)
               for name, s in target.scenarios().items()}
    return target.id, replication, float(MEASURES[target.measure].function(results, target.options))


def run_targets(targets: Sequence[Target] | None = None, replications: int | None = None, seed: int = 0,
                jobs: int = 1, quick: bool | None = None) -> pd.DataFrame:
    """The measured value of every target in every replication: columns ``target``, ``replication``, ``value``.

    ``targets`` default to :func:`load_targets`; ``replications`` to :data:`DEFAULT_REPLICATIONS`
    (:data:`QUICK_REPLICATIONS` in quick mode); ``quick`` (default: :func:`quick_mode`) also
    shortens every run (:data:`QUICK_CHANGES`).
    """
    targets = load_targets() if targets is None else list(targets)
    quick = quick_mode() if quick is None else quick
    if replications is None:
        replications = QUICK_REPLICATIONS if quick else DEFAULT_REPLICATIONS
    changes = dict(QUICK_CHANGES) if quick else {}
    # the slow targets first, so the pool's last tasks are short ones
    order = sorted(targets, key=lambda t: -len(t.run_arms()) * (3 if t.needs_tables else 1))
    tasks = [(t, r, seed, changes) for t in order for r in range(replications)]
    rows = map_runs(_task, tasks, jobs=jobs)
    values = pd.DataFrame(rows, columns=["target", "replication", "value"])
    rank = {t.id: i for i, t in enumerate(targets)}
    return values.sort_values(["target", "replication"], key=lambda c: c.map(rank) if c.name == "target" else c,
                              ignore_index=True)


def validation_table(targets: Sequence[Target], values: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """One row per target in :data:`CSV_COLUMNS`: band, model mean and interval, verdict, source.

    Replications whose measure is undefined (NaN, e.g. no crossing of a target on a grid) are left
    out of the mean. Shares (``interval = "share"``) have their interval cut to 0-1.
    """
    rows = []
    for t in targets:
        x = values.loc[values["target"] == t.id, "value"].dropna().to_numpy(dtype=float)
        n = len(x)
        mean = float(x.mean()) if n else math.nan
        sd = float(x.std(ddof=1)) if n > 1 else math.nan
        low, high = t_interval(mean, sd, n, confidence)
        if t.interval == "share":
            low, high = bound_interval("share", low, high, mean)
        elif t.interval == "group":
            # the replications measure a caseload (caseload_to_comply); the group it implies, and the ends of its
            # interval, follow through the increasing group_for_caseload; an end at no bound is left empty (NaN)
            mean, low, high = (group_for_caseload(v, t.options) for v in (mean, low, high))
            mean, low, high = (math.nan if math.isinf(v) else v for v in (mean, low, high))
        rows.append({"target": t.id, "role": t.role, "description": t.description, "reference_low": t.low,
                     "reference_high": t.high, "reference_text": t.reference, "model_mean": mean,
                     "model_ci_low": low, "model_ci_high": high, "unit": t.unit, "verdict": t.verdict(mean),
                     "source": t.source})
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def value_text(value: float | None, unit: str, lang: str = "en") -> str:
    """A target's value in its unit: shares as per cent, citizens whole, ratios and cases with decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "share":
        return pct(value, lang, 1)
    if unit == "citizens":
        return num(value, lang, 0)
    if unit == "dkk":
        return f"{num(value / 1e6, lang, 1)} {'mio. kr.' if lang == 'da' else 'million DKK'}"
    return num(value, lang, 2 if unit == "ratio" else 1)


def band_text(low: float | None, high: float | None, unit: str, lang: str = "en", sep: str = "-") -> str:
    """A reference band in its unit: "low-high", "at least low" for a band with no upper end, "n/a" for none."""
    if low is None or pd.isna(low):
        return "n/a"
    if math.isinf(high):
        return f"{'mindst' if lang == 'da' else 'at least'} {value_text(low, unit, lang)}"
    return f"{value_text(low, unit, lang)}{sep}{value_text(high, unit, lang)}"


def short_source(source: str) -> str:
    """The first author and year of a source: the text up to its first "(YYYY)", else its first part."""
    match = re.match(r"^(.*?\(\d{4}\))", source)
    return match.group(1) if match else source.split(",")[0]


def table_text(table: pd.DataFrame, lang: str = "en") -> str:
    """The validation table as aligned text: target, reference band, model mean [95% CI], verdict, source.

    The source is the target's ``cite`` (a few words) when ``targets.toml`` has one.
    """
    cites = {t.id: t.cite for t in load_targets()}
    head = ("target", "role", "reference", "model mean [95% CI]", "verdict", "source")
    rows = [head]
    for r in table.itertuples(index=False):
        band = band_text(r.reference_low, r.reference_high, r.unit, lang)
        ci = ("" if pd.isna(r.model_ci_low) else
              f" [{value_text(r.model_ci_low, r.unit, lang)}, {value_text(r.model_ci_high, r.unit, lang)}]")
        rows.append((r.target, r.role, band, value_text(r.model_mean, r.unit, lang) + ci, r.verdict,
                     cites.get(r.target) or short_source(r.source)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    lines = ["  ".join([c.ljust(w) for c, w in zip(row, widths)] + [row[-1]]) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths + [len(head[-1])]))
    return "\n".join(lines)


def write_validation(folder: str | Path, table: pd.DataFrame, values: pd.DataFrame, *, replications: int,
                     seed: int, quick: bool, jobs: int, wall_seconds: float) -> list[Path]:
    """Write ``validation.csv``, ``validation_runs.csv``, the figure (en, da; PNG and SVG) and ``manifest.json``."""
    from .figure import save_validation_figures

    folder = Path(folder)
    paths = [write_frame(folder / "validation.csv", table), write_frame(folder / "validation_runs.csv", values)]
    paths += save_validation_figures(table, folder, replications=replications, seed=seed, quick=quick)
    paths.append(write_json(folder / "manifest.json", {
        "kind": "validation", "replications": replications, "seed": seed, "quick": quick, "jobs": jobs,
        "quick_changes": QUICK_CHANGES if quick else {}, "wall_seconds": round(wall_seconds, 3),
        "finished_utc": utc_now().isoformat(timespec="seconds"), "versions": versions(),
        "targets": [{"id": t.id, "arms": t.run_arms(), "measure": t.measure, "options": t.options}
                    for t in load_targets()]}))
    return paths


def validate(replications: int | None = None, seed: int = 0, jobs: int = 1, quick: bool | None = None,
             targets: Sequence[Target] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Run every target and return ``(table, values, wall_seconds)`` (see :func:`validation_table`)."""
    targets = load_targets() if targets is None else list(targets)
    t0 = time.perf_counter()
    values = run_targets(targets, replications, seed, jobs, quick)
    return validation_table(targets, values), values, time.perf_counter() - t0
