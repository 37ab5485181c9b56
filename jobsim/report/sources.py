"""Reading what the HTML report shows: validation and sensitivity tables, sweep summaries, provenance.

The formats read here are contracts with the commands that write them:

* ``validation.csv`` (``jobsim validate``'s folder): one row per published
  figure, columns :data:`VALIDATION_COLUMNS`; ``verdict`` is one of
  :data:`VERDICTS`; the reference and model numbers are in ``unit``
  (``share`` numbers are 0–1).
* ``sensitivity.csv`` (``jobsim sensitivity``): columns
  :data:`SENSITIVITY_COLUMNS`; ``method`` one of ``morris``, ``sobol``,
  ``lhs``; ``index`` one of ``mu_star``, ``sigma``, ``S1``, ``ST``.

A file that breaks the contract is refused with one
:class:`~jobsim.errors.JobsimError` naming the file, the column (and row) and
what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import JobsimError
from ..model.kpis import KPIS
from .html import Table
from .style import is_share
from .texts import text
from .words import kpi_label, num, parameter_label, pct, policy_label, value_text

VALIDATION_FILE = "validation.csv"
VALIDATION_COLUMNS = ("target", "description", "reference_low", "reference_high", "reference_text", "model_mean",
                      "model_ci_low", "model_ci_high", "unit", "verdict", "source")
VERDICTS = ("inside", "outside", "not available")
#: A target's role (an optional last column: tables written before it was added have none).
ROLES = ("verification", "calibration", "validation")
SENSITIVITY_FILE = "sensitivity.csv"
SENSITIVITY_COLUMNS = ("kpi", "parameter", "method", "index", "value", "ci_low", "ci_high")
SENSITIVITY_METHODS = ("morris", "sobol", "lhs")
SENSITIVITY_INDICES = ("mu_star", "sigma", "S1", "ST")
#: The sensitivity index shown per method (the one that ranks parameters).
RANKING_INDEX = {"morris": "mu_star", "sobol": "ST", "lhs": "S1"}


def _read_csv(path: Path, columns: Sequence[str], what: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    except (OSError, ValueError) as err:
        raise JobsimError(f"{path}: cannot read the {what} table: {err}") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise JobsimError(f"{path}: column {', '.join(map(repr, missing))} missing; a {what} table has the columns "
                          f"{', '.join(columns)}")
    return frame


def _numbers(frame: pd.DataFrame, path: Path, columns: Sequence[str]) -> pd.DataFrame:
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            row = int(bad.idxmax())
            raise JobsimError(f"{path}: column {col!r}, row {row + 2}: {frame.at[row, col]!r} is not a number "
                              "(leave it empty if there is none)")
        frame[col] = values
    return frame


def _choice(frame: pd.DataFrame, path: Path, col: str, allowed: Sequence[str]) -> None:
    bad = ~frame[col].isin(allowed)
    if bad.any():
        row = int(bad.idxmax())
        raise JobsimError(f"{path}: column {col!r}, row {row + 2}: {frame.at[row, col]!r} is not allowed; "
                          f"allowed: {', '.join(allowed)}")


def read_validation(folder: str | Path) -> pd.DataFrame | None:
    """``validation.csv`` of ``folder`` (numbers as floats), or None if the folder or file does not exist."""
    path = Path(folder) / VALIDATION_FILE
    if not path.is_file():
        return None
    frame = _read_csv(path, VALIDATION_COLUMNS, "validation")
    frame = _numbers(frame, path, ("reference_low", "reference_high", "model_mean", "model_ci_low", "model_ci_high"))
    _choice(frame, path, "verdict", VERDICTS)
    if "role" in frame:
        _choice(frame, path, "role", ROLES)
    return frame.fillna({c: "" for c in ("description", "reference_text", "unit", "source")})


def read_sensitivity(path: str | Path) -> pd.DataFrame | None:
    """``sensitivity.csv`` (a file, or a folder holding one), or None if it does not exist."""
    path = Path(path)
    if path.is_dir():
        path = path / SENSITIVITY_FILE
    if not path.is_file():
        return None
    frame = _read_csv(path, SENSITIVITY_COLUMNS, "sensitivity")
    frame = _numbers(frame, path, ("value", "ci_low", "ci_high"))
    _choice(frame, path, "method", SENSITIVITY_METHODS)
    _choice(frame, path, "index", SENSITIVITY_INDICES)
    return frame


def value_in(value: float, unit: str, lang: str) -> str:
    """A number in its unit for a table: shares as per cent (one decimal), other numbers with up to two."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a" if lang == "en" else "i.t."
    if unit == "share":
        return pct(value, lang, 1)
    if unit == "dkk":
        return f"{num(value / 1e6, lang, 1)} {'mio. kr.' if lang == 'da' else 'million DKK'}"
    return num(value, lang, 1 if abs(value) < 100 else 0)


def with_interval(mean: float, low: float, high: float, unit: str, lang: str) -> str:
    """``"41.0% [38.2–43.9%]"``-style text: the mean and, where there is one, its interval."""
    text_mean = value_in(mean, unit, lang)
    missing = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)]
    if missing == [False, True]:   # an interval with no upper bound
        return f"{text_mean} [≥ {value_in(low, unit, lang)}]"
    if any(missing):
        return text_mean
    return f"{text_mean} [{value_in(low, unit, lang)}–{value_in(high, unit, lang)}]"


def validation_table(frame: pd.DataFrame, lang: str) -> tuple[Table, str]:
    """The validation table in words and the one-line count of verdicts."""
    rows = []
    for _, r in frame.iterrows():
        unit = r["unit"]
        if r["reference_text"]:
            ref = str(r["reference_text"])
        elif not math.isnan(r["reference_low"]):
            ref = f"{value_in(r['reference_low'], unit, lang)}–{value_in(r['reference_high'], unit, lang)}"
        else:
            ref = value_in(math.nan, unit, lang)
        target = f"{r['target']}: {r['description']}" if r["description"] else str(r["target"])
        rows.append([target, ref, with_interval(r["model_mean"], r["model_ci_low"], r["model_ci_high"], unit, lang),
                     text(r["verdict"], lang), str(r["source"])])
        if "role" in frame:
            rows[-1].insert(1, text("role_" + r["role"], lang))
    keys = ["col_target", "col_reference", "col_model", "col_verdict", "col_source"]
    if "role" in frame:
        keys.insert(1, "col_role")
    header = [text(k, lang) for k in keys]
    counts = frame["verdict"].value_counts()
    summary = text("validation_counts", lang, n=len(frame), inside=int(counts.get("inside", 0)),
                   outside=int(counts.get("outside", 0)), na=int(counts.get("not available", 0)))
    return Table(header, rows, ref_columns=(len(header) - 1,)), summary


def sensitivity_table(frame: pd.DataFrame, lang: str, top: int = 5) -> Table:
    """The ``top`` parameters per KPI by each method's ranking index (:data:`RANKING_INDEX`), largest first."""
    rows = []
    ranked = frame[frame["index"] == frame["method"].map(RANKING_INDEX)]
    if ranked.empty:
        ranked = frame
    for (kpi, method), g in ranked.groupby(["kpi", "method"], sort=False):
        for _, r in g.sort_values("value", ascending=False).head(top).iterrows():
            rows.append([kpi_label(kpi, lang) if kpi in KPIS else kpi, parameter_label(r["parameter"], lang),
                         method, r["index"], with_interval(r["value"], r["ci_low"], r["ci_high"], "", lang)])
    header = [text(k, lang) for k in ("col_kpi", "col_parameter", "col_method", "col_index", "col_value")]
    return Table(header, rows)


def scenario_table(summary: pd.DataFrame, params: Sequence[str], kpis: Sequence[str], lang: str,
                   replications: int | str) -> Table:
    """One row per scenario point of a sweep summary: the varied parameters, then each KPI's mean [95% CI].

    ``replications`` (per point, for the note under the table) is a number, or a text such as "1 to 3" where
    the points of an unfinished sweep have different numbers.
    """
    rows = []
    wide = summary[summary["kpi"].isin(kpis)]
    for key, g in wide.groupby(list(params), sort=True) if params else [((), wide)]:
        key = key if isinstance(key, tuple) else (key,)
        cells = [policy_label(str(v), lang) if p == "prep_policy" else value_text(v, lang)
                 for p, v in zip(params, key)]
        by_kpi = g.set_index("kpi")
        for k in kpis:
            r = by_kpi.loc[k]
            low, high = r["ci_low"], r["ci_high"]
            if is_share(k):
                low, high = max(low, 0.0), min(high, 1.0)
            cells.append(with_interval(r["mean"], low, high, KPIS[k][0], lang))
        rows.append(cells)
    header = [parameter_label(p, lang) for p in params] + [kpi_label(k, lang) for k in kpis]
    return Table(header, rows, note=text("scenarios_note", lang, n=replications))


def provenance(lang: str, *, scenario: str, seed: Any, replications: Any, runs: int, command: str,
               folder: str | None = None, versions: dict[str, Any] | None = None) -> dict[str, str]:
    """The provenance appendix: scenario, seeds, jobsim and other versions, date (UTC), command, folder."""
    from ..runner.manifest import versions as current_versions

    v = dict(versions or current_versions())
    out = {text("scenario", lang): scenario,
           text("seeds", lang): text("seed_text", lang, seed=seed, replications=replications,
                                     runs=text("n_runs", lang, n=runs)),
           text("version", lang): str(v.pop("jobsim", "?")),
           text("versions", lang): ", ".join(f"{k} {val}" for k, val in v.items() if val and k != "platform"),
           text("date", lang): _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
           text("command", lang): f"`{command}`"}
    if folder:
        out[text("folder", lang)] = f"`{folder}`"
    return out
