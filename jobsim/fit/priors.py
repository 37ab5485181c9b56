"""The prior ranges of a fit: uniform priors on scenario parameters, read from ``priors.toml``.

Each prior says where its range comes from. A prior must name a numeric scenario parameter, have
``low < high``, and contain the scenario default (so the fitted model can always fall back to what it
had); otherwise :func:`load_priors` refuses it in one line naming the parameter.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import JobsimError
from ..model.scenario import Scenario, field_bounds, field_names, unknown_parameter_message
from ..model.textfile import read_text_file

#: The shipped priors.
PRIORS_FILE = "priors.toml"


@dataclass(frozen=True)
class Prior:
    """A uniform prior on scenario parameter ``name`` between ``low`` and ``high`` (its unit), and its source."""

    name: str
    low: float
    high: float
    source: str

    @property
    def width(self) -> float:
        return self.high - self.low


def shipped_priors_text() -> str:
    return (resources.files("jobsim") / "fit" / PRIORS_FILE).read_text(encoding="utf-8")


def load_priors(path: str | Path | None = None, base: Scenario | None = None) -> dict[str, Prior]:
    """The priors of ``path`` (default: the shipped ``priors.toml``), checked against the defaults of ``base``.

    Raises :class:`~jobsim.errors.JobsimError` with one line naming the parameter: an unknown or
    non-numeric parameter, a missing or non-numeric ``low``/``high``, ``low >= high``, a range outside
    the parameter's allowed values, or a range that excludes the default.
    """
    origin = "priors.toml" if path is None else str(path)
    text = shipped_priors_text() if path is None else read_text_file(Path(path), "priors TOML file")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise JobsimError(f"{origin}: not valid TOML: {err}") from None
    if not raw:
        raise JobsimError(f"{origin}: no priors; expected one [parameter] table with low, high and source")
    base = base if base is not None else Scenario()
    priors = {}
    for name, entry in raw.items():
        if name not in field_names():
            raise JobsimError(f"{origin}: {unknown_parameter_message(name)}")
        default = getattr(base, name)
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            raise JobsimError(f"{origin}: {name}: only numeric parameters can be fitted (it is "
                              f"{type(default).__name__})")
        if not isinstance(entry, dict):
            raise JobsimError(f"{origin}: {name}: expected a table with low, high and source")
        unknown = sorted(set(entry) - {"low", "high", "source"})
        if unknown:
            raise JobsimError(f"{origin}: {name}.{unknown[0]}: unknown key; allowed: low, high, source")
        for key in ("low", "high"):
            value = entry.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise JobsimError(f"{origin}: {name}.{key}: expected a finite number, got {value!r}")
        low, high = float(entry["low"]), float(entry["high"])
        if not low < high:
            raise JobsimError(f"{origin}: {name}: low ({low:g}) must be below high ({high:g})")
        if not str(entry.get("source", "")).strip():
            raise JobsimError(f"{origin}: {name}.source: say where the range comes from (or that it is an "
                              "assumption)")
        bounds = field_bounds(name)
        if low < bounds.get("ge", -math.inf) or low <= bounds.get("gt", -math.inf) \
                or high > bounds.get("le", math.inf) or high >= bounds.get("lt", math.inf):
            allowed = ", ".join(f"{k} {v:g}" for k, v in bounds.items())
            raise JobsimError(f"{origin}: {name}: the range {low:g} to {high:g} leaves the parameter's allowed "
                              f"values ({allowed})")
        if not low <= default <= high:
            raise JobsimError(f"{origin}: {name}: the range {low:g} to {high:g} excludes the default "
                              f"{default:g}; allowed: a range that contains it")
        priors[name] = Prior(name, low, high, str(entry["source"]))
    return priors
