"""The ranges of the parameters screened: ``ranges.toml`` (shipped with jobsim) and ``--param name=low:high``.

Each range is a :class:`Range`: the parameter, ``low`` and ``high`` (the values
are drawn uniformly between them), whether it is a whole number (rounded at each
design point), where the range comes from (``source``), and its labels in
English and Danish. :func:`load_ranges` reads the file; :func:`parse_param`
reads one ``--param``; :func:`choose_ranges` puts a request together and checks
it against the scenario (every name a numeric parameter, ``low < high``, both
ends valid values, an integer parameter's range holding at least two integers,
no ``--param`` for a parameter that is not screened).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import JobsimError, ScenarioError, did_you_mean
from ..model.scenario import Scenario, unknown_parameter_message
from ..report.words import parameter_label

#: The ranges file shipped with jobsim.
RANGES_FILE = Path(__file__).with_name("ranges.toml")


@dataclass(frozen=True)
class Range:
    """The range of one parameter: ``low`` to ``high`` (in the parameter's unit), its source and labels."""

    name: str
    low: float
    high: float
    integer: bool = False
    source: str = "given with --param"
    label_en: str = ""
    label_da: str = ""

    def label(self, lang: str = "en") -> str:
        """The parameter's axis label in ``lang`` (``en`` or ``da``)."""
        text = self.label_en if lang == "en" else self.label_da
        return text or parameter_label(self.name, lang)

    def value(self, x: float) -> float | int:
        """The scenario value at ``x`` (rounded to a whole number for an integer parameter)."""
        return int(round(float(x))) if self.integer else float(x)


def _numeric_fields() -> dict[str, bool]:
    """Scenario parameters that can be varied continuously: name -> is it an integer."""
    out = {}
    for name, field in Scenario.model_fields.items():
        if field.annotation in (int, float) and field.annotation is not bool:
            out[name] = field.annotation is int
    return out


def load_ranges(path: str | Path | None = None) -> dict[str, Range]:
    """The ranges of ``path`` (default: the ``ranges.toml`` shipped with jobsim), by parameter name."""
    path = Path(path) if path is not None else RANGES_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise JobsimError(f"ranges: cannot read {str(path)!r}: {err.strerror or err}") from None
    except tomllib.TOMLDecodeError as err:
        raise JobsimError(f"ranges: {str(path)!r} is not valid TOML: {err}") from None
    fields = _numeric_fields()
    out = {}
    for name, table in data.items():
        where = f"{path.name} [{name}]"
        if name not in fields:
            raise JobsimError(f"{where}: not a numeric scenario parameter{did_you_mean(name, list(fields))}")
        if not isinstance(table, dict) or not {"low", "high", "source"} <= set(table):
            raise JobsimError(f"{where}: needs low, high and source")
        unknown = set(table) - {"low", "high", "source", "label_en", "label_da"}
        if unknown:
            raise JobsimError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: low, high, source, label_en, "
                              "label_da")
        out[name] = Range(name, float(table["low"]), float(table["high"]), fields[name], str(table["source"]),
                          str(table.get("label_en", "")), str(table.get("label_da", "")))
    return out


def parse_param(text: str) -> tuple[str, float, float]:
    """``"casework_minutes=20:45"`` -> ``("casework_minutes", 20.0, 45.0)``; a clear error otherwise."""
    name, sep, rest = text.partition("=")
    low, sep2, high = rest.partition(":")
    name = name.strip()
    if not sep or not sep2 or not name:
        raise JobsimError(f"--param: {text!r} is not NAME=LOW:HIGH, e.g. casework_minutes=20:45")
    try:
        return name, float(low), float(high)
    except ValueError:
        raise JobsimError(f"--param {name}: {rest!r} is not LOW:HIGH with two numbers, e.g. 20:45") from None


def choose_ranges(base: Scenario, parameters: Sequence[str] | None = None,
                  ranges: Mapping[str, Any] | Iterable[str] | None = None,
                  file: str | Path | None = None) -> list[Range]:
    """The ranges of a request, checked against ``base``.

    ``parameters``: the names to screen (default: every parameter in the file, plus those of
    ``ranges``). ``ranges``: overrides or additions, as ``{"name": (low, high)}`` or
    ``["name=low:high", ...]``. Raises :class:`~jobsim.errors.JobsimError` naming the parameter for an
    unknown name, a range given for a parameter that ``parameters`` leaves out (it would be ignored),
    ``low >= high``, an integer parameter's range holding fewer than two integers (every point would run
    with the same value), or an end that is not a valid value in ``base``.
    """
    known = load_ranges(file)
    fields = _numeric_fields()
    extra: dict[str, tuple[float, float]] = {}
    if ranges is not None:
        items = ranges.items() if isinstance(ranges, Mapping) else (
            (n, (lo, hi)) for n, lo, hi in map(parse_param, ranges))
        for name, bounds in items:
            try:
                low, high = (float(b) for b in bounds)
            except (TypeError, ValueError):
                raise JobsimError(f"{name}: expected a range (low, high) of two numbers") from None
            extra[name] = (low, high)
    for name in extra:
        if name not in Scenario.model_fields:
            raise JobsimError(f"--param {unknown_parameter_message(name)}")
    names = list(parameters) if parameters is not None else [*known, *(n for n in extra if n not in known)]
    if not names:
        raise JobsimError("parameters: none chosen; name at least one")
    for name in extra:  # a range for a parameter that is not screened would be silently ignored
        if name in fields and name not in names:
            raise JobsimError(f"--param {name}: not screened: --only names {', '.join(dict.fromkeys(names))}; add "
                              f"{name} to --only to screen it, or leave out its --param")
    chosen = []
    for name in dict.fromkeys(names):
        if name not in fields:
            raise JobsimError(f"{name}: not a numeric scenario parameter{did_you_mean(name, list(fields))}; "
                              "'jobsim show SCENARIO' lists them")
        if name in extra:
            low, high = extra[name]
            old = known.get(name)
            r = Range(name, low, high, fields[name], "given with --param" if old is None else
                      f"given with --param (file: {old.low:g} to {old.high:g}; {old.source})",
                      old.label_en if old else "", old.label_da if old else "")
        elif name in known:
            r = known[name]
        else:
            raise JobsimError(f"{name}: has no range in {RANGES_FILE.name}; give one with --param {name}=LOW:HIGH")
        if not r.low < r.high:
            raise JobsimError(f"{name}: the range {r.low:g} to {r.high:g} is empty; allowed: low < high")
        if r.integer:
            held = range(math.ceil(r.low), math.floor(r.high) + 1)
            if len(held) < 2:
                what = f"only the integer {held[0]}" if len(held) else "no integer"
                first = held[0] if len(held) else round(r.low)
                raise JobsimError(f"{name}: the range {r.low:g} to {r.high:g} holds {what}, so every point would "
                                  "run with the same value; an integer parameter needs a range holding at least "
                                  f"two integers, e.g. {name}={first}:{first + 1}")
        for end in (r.low, r.high):
            try:
                base.replace(**{name: r.value(end)})
            except ScenarioError as err:
                raise JobsimError(f"{name}: the range end {end:g} is not valid in this scenario: {err}") from None
        chosen.append(r)
    return chosen
