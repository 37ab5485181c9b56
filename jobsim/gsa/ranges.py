"""The ranges of the parameters screened: ``ranges.toml`` (shipped with jobsim) and ``--param name=low:high``.

Each range is a :class:`Range`: the parameter, ``low`` and ``high`` (the values
are drawn uniformly between them), whether it is a whole number (rounded at each
design point), where the range comes from (``source``), and its labels in
English and Danish.

A categorical parameter (one of a set of words: ``desk_priority``,
``prep_policy``, ``rule``) is screened over its ``levels`` instead
(``levels = ["edf", "prep_first", "casework_first"]`` in the file,
``--param desk_priority=edf,prep_first`` on the command line). The design sees
it as a number uniform on [0, 1), cut into equal parts, one per level in the
order given (:func:`level_of`): the standard way to screen a discrete factor
with Morris or Sobol. Its Range has ``low`` 0 and ``high`` 1.

:func:`load_ranges` reads the file; :func:`parse_param` reads one ``--param``;
:func:`choose_ranges` puts a request together and checks it against the
scenario (every name a numeric or categorical parameter, ``low < high``, both
ends valid values, an integer parameter's range holding at least two integers,
at least two known levels, no ``--param`` for a parameter that is not screened).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from ..errors import JobsimError, ScenarioError, did_you_mean
from ..model.policies import POLICIES
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
    #: A categorical parameter's levels, in the order they divide [0, 1); empty for a numeric parameter.
    levels: tuple[str, ...] = ()

    @property
    def categorical(self) -> bool:
        """Is this a categorical parameter, screened over its :attr:`levels`?"""
        return bool(self.levels)

    def label(self, lang: str = "en") -> str:
        """The parameter's axis label in ``lang`` (``en`` or ``da``); a categorical one's names its levels."""
        text = (self.label_en if lang == "en" else self.label_da) or parameter_label(self.name, lang)
        return f"{text} ({' / '.join(self.levels)})" if self.levels else text

    def value(self, x: float) -> float | int | str:
        """The scenario value at ``x``: rounded to a whole number for an integer parameter, the level
        (:func:`level_of`) for a categorical one."""
        if self.levels:
            return level_of(x, self.levels)
        return int(round(float(x))) if self.integer else float(x)

    def values(self) -> tuple[Any, ...]:
        """The values a design can give that must each be valid: both ends, or every level."""
        return self.levels if self.levels else (self.value(self.low), self.value(self.high))

    def spec(self) -> list[Any]:
        """The range as a request records it: ``[name, low, high]``, or ``[name, [level, ...]]``."""
        return [self.name, list(self.levels)] if self.levels else [self.name, self.low, self.high]

    def text(self) -> str:
        """The range in words for tables: ``"20 to 45"``, or ``"edf, prep_first, casework_first"``."""
        return ", ".join(self.levels) if self.levels else f"{self.low:g} to {self.high:g}"


def level_of(x: float, levels: Sequence[str]) -> str:
    """The level at ``x`` in [0, 1]: ``n`` levels divide [0, 1) into ``n`` equal parts, in their order.

    Part ``i`` is [i/n, (i+1)/n); a point on a boundary belongs to the part above it (within 1e-9, so that
    Morris's grid point 1/3, stored as 0.333...37 or 0.333...31, is always the second of three levels), and
    x = 1, the top of Morris's grid, is the last level.

    >>> [level_of(x, ["edf", "prep_first", "casework_first"]) for x in (0, 0.2, 1 / 3, 0.5, 2 / 3, 0.99, 1)]
    ['edf', 'edf', 'prep_first', 'prep_first', 'casework_first', 'casework_first', 'casework_first']
    """
    n = len(levels)
    return levels[min(n - 1, max(0, math.floor(float(x) * n + 1e-9)))]


def categorical_levels() -> dict[str, tuple[str, ...]]:
    """Scenario parameters that take one of a set of words, and the words each allows (in the order declared)."""
    out = {}
    for name, field in Scenario.model_fields.items():
        if get_origin(field.annotation) is Literal:
            out[name] = tuple(str(v) for v in get_args(field.annotation))
    out["prep_policy"] = tuple(POLICIES)   # a text field checked against the registry (a registered policy counts)
    return out


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
    fields, words = _numeric_fields(), categorical_levels()
    out = {}
    for name, table in data.items():
        where = f"{path.name} [{name}]"
        if name not in fields and name not in words:
            raise JobsimError(f"{where}: not a numeric or categorical scenario parameter"
                              f"{did_you_mean(name, [*fields, *words])}")
        if isinstance(table, dict) and "levels" in table:
            if {"low", "high"} & set(table):
                raise JobsimError(f"{where}: gives both levels and low/high; give levels for a categorical "
                                  "parameter, low and high for a numeric one")
            if name not in words:
                raise JobsimError(f"{where}: levels are for a categorical parameter ({', '.join(words)}); "
                                  f"{name} is numeric: give low and high")
            if "source" not in table:
                raise JobsimError(f"{where}: needs levels and source")
            unknown = set(table) - {"levels", "source", "label_en", "label_da"}
            if unknown:
                raise JobsimError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: levels, source, label_en, "
                                  "label_da")
            out[name] = categorical_range(where, name, table["levels"], str(table["source"]),
                                          str(table.get("label_en", "")), str(table.get("label_da", "")))
            continue
        if name in words:
            raise JobsimError(f"{where}: {name} is categorical: give levels, not low and high, e.g. levels = "
                              f"{json.dumps(list(words[name]))}")
        if not isinstance(table, dict) or not {"low", "high", "source"} <= set(table):
            raise JobsimError(f"{where}: needs low, high and source")
        unknown = set(table) - {"low", "high", "source", "label_en", "label_da"}
        if unknown:
            raise JobsimError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: low, high, source, label_en, "
                              "label_da")
        out[name] = Range(name, float(table["low"]), float(table["high"]), fields[name], str(table["source"]),
                          str(table.get("label_en", "")), str(table.get("label_da", "")))
    return out


def categorical_range(where: str, name: str, levels: Any, source: str, label_en: str = "",
                      label_da: str = "") -> Range:
    """The :class:`Range` of categorical parameter ``name`` over ``levels``, or a JobsimError that starts with
    ``where`` (the file's entry, or ``--param NAME``): levels not a list of words, fewer than two, one given
    twice, or one the parameter does not know."""
    allowed = categorical_levels()[name]
    example = (f"e.g. {name}={','.join(allowed)}" if where.startswith("--param")
               else f"e.g. levels = {json.dumps(list(allowed))}")
    if isinstance(levels, str) or not isinstance(levels, Sequence) or not all(isinstance(v, str) for v in levels):
        raise JobsimError(f"{where}: levels must be a list of words, {example}")
    if not levels:
        raise JobsimError(f"{where}: the list of levels is empty; give two or more of {', '.join(allowed)}")
    for level in levels:
        if level not in allowed:
            raise JobsimError(f"{where}: unknown level {level!r}{did_you_mean(level, list(allowed))}; allowed: "
                              f"{', '.join(allowed)}")
    twice = [v for i, v in enumerate(levels) if v in levels[:i]]
    if twice:
        raise JobsimError(f"{where}: the level {twice[0]!r} is given twice; give each level once")
    if len(levels) < 2:
        raise JobsimError(f"{where}: only the level {levels[0]!r}, so every point would run with the same value; "
                          f"give two or more of {', '.join(allowed)}")
    return Range(name, 0.0, 1.0, False, source, label_en, label_da, tuple(levels))


def parse_param(text: str) -> tuple[str, tuple[float, float] | tuple[str, ...]]:
    """``"casework_minutes=20:45"`` -> ``("casework_minutes", (20.0, 45.0))``; for a categorical parameter
    ``"desk_priority=edf,prep_first"`` -> ``("desk_priority", ("edf", "prep_first"))``; a clear error otherwise
    (the levels are checked by :func:`choose_ranges`)."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if sep and name in categorical_levels():
        return name, tuple(v.strip() for v in rest.split(",")) if rest.strip() else ()
    low, sep2, high = rest.partition(":")
    if not sep or not sep2 or not name:
        raise JobsimError(f"--param: {text!r} is not NAME=LOW:HIGH, e.g. casework_minutes=20:45 (or NAME=LEVEL,"
                          "LEVEL,... for a categorical parameter, e.g. desk_priority=edf,prep_first)")
    try:
        return name, (float(low), float(high))
    except ValueError:
        raise JobsimError(f"--param {name}: {rest!r} is not LOW:HIGH with two numbers, e.g. 20:45") from None


def choose_ranges(base: Scenario, parameters: Sequence[str] | None = None,
                  ranges: Mapping[str, Any] | Iterable[str] | None = None,
                  file: str | Path | None = None) -> list[Range]:
    """The ranges of a request, checked against ``base``.

    ``parameters``: the names to screen (default: every parameter in the file, plus those of
    ``ranges``). ``ranges``: overrides or additions, as ``{"name": (low, high)}`` or
    ``["name=low:high", ...]``; for a categorical parameter ``{"desk_priority": ["edf", "prep_first"]}`` or
    ``["desk_priority=edf,prep_first"]``. Raises :class:`~jobsim.errors.JobsimError` naming the parameter for
    an unknown name, a range given for a parameter that ``parameters`` leaves out (it would be ignored),
    ``low >= high``, an integer parameter's range holding fewer than two integers (every point would run
    with the same value), an end that is not a valid value in ``base``, or levels that are unknown, fewer
    than two or given twice.
    """
    known = load_ranges(file)
    fields, words = _numeric_fields(), categorical_levels()
    extra: dict[str, tuple[float, float] | Range] = {}
    if ranges is not None:
        items = ranges.items() if isinstance(ranges, Mapping) else map(parse_param, ranges)
        for name, bounds in items:
            if name in words:
                old = known.get(name)
                extra[name] = categorical_range(f"--param {name}", name, bounds, "given with --param" if old is None
                                                else f"given with --param (file: {old.text()}; {old.source})",
                                                old.label_en if old else "", old.label_da if old else "")
                continue
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
        if (name in fields or name in words) and name not in names:
            raise JobsimError(f"--param {name}: not screened: --only names {', '.join(dict.fromkeys(names))}; add "
                              f"{name} to --only to screen it, or leave out its --param")
    chosen = []
    for name in dict.fromkeys(names):
        if name not in fields and name not in words:
            raise JobsimError(f"{name}: not a numeric or categorical scenario parameter"
                              f"{did_you_mean(name, [*fields, *words])}; 'jobsim show SCENARIO' lists them")
        if isinstance(extra.get(name), Range):
            r = extra[name]
        elif name in extra:
            low, high = extra[name]
            old = known.get(name)
            r = Range(name, low, high, fields[name], "given with --param" if old is None else
                      f"given with --param (file: {old.low:g} to {old.high:g}; {old.source})",
                      old.label_en if old else "", old.label_da if old else "")
        elif name in known:
            r = known[name]
        elif name in words:
            raise JobsimError(f"{name}: has no levels in {RANGES_FILE.name}; give them with --param "
                              f"{name}={','.join(words[name])}")
        else:
            raise JobsimError(f"{name}: has no range in {RANGES_FILE.name}; give one with --param {name}=LOW:HIGH")
        if r.categorical:
            for level in r.levels:
                try:
                    base.replace(**{name: level})
                except ScenarioError as err:
                    raise JobsimError(f"{name}: the level {level!r} is not valid in this scenario: {err}") from None
            chosen.append(r)
            continue
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
