"""Grids of parameter values: ``--vary`` parsing, checking and expanding a grid into its points.

A grid maps parameter names to lists of values; its points are the product
of the lists, the last parameter varying fastest.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from ..errors import JobsimError, ScenarioError
from ..model.assignments import coerce_value
from ..model.scenario import Scenario, unknown_parameter_message
from .checks import plain

#: Most values one ``--vary`` range may expand to (a typo like 0:1000:0.001 should fail fast).
MAX_RANGE_VALUES = 10_000


def annotation(name: str):
    """The type a scenario parameter is declared with (``int``, ``float``, ``str``...)."""
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
    if not name:
        raise JobsimError(f"--vary: {text!r} has no parameter name; expected name=values, e.g. caseload=40:220:20")
    if name not in Scenario.model_fields:
        raise ScenarioError(unknown_parameter_message(name))
    numeric = annotation(name) in (int, float)
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


def check_grid(grid: Mapping[str, Iterable[Any]]) -> dict[str, list[Any]]:
    """The grid as lists of plain values, its names and lists checked (not yet the values' types and ranges).

    Cheap for any number of points: nothing is built (see :func:`expand_grid` for that).
    """
    if not isinstance(grid, Mapping):
        raise JobsimError(f"grid: expected a dict of parameter name -> list of values, got {type(grid).__name__}")
    raw: dict[str, list[Any]] = {}
    for name, values in grid.items():
        if not isinstance(name, str) or name not in Scenario.model_fields:
            raise ScenarioError(unknown_parameter_message(str(name)))
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise JobsimError(f"{name}: expected a list of values in the grid, got {values!r}")
        values = [plain(v) for v in values]
        if not values:
            raise JobsimError(f"{name}: empty list of values in the grid; give at least one value")
        _check_duplicates(name, values)
        raw[name] = values
    return raw


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
    raw = check_grid(grid)
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


def points_frame(grid: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """One row per point of ``grid``: ``point`` (0, 1, ...) and the parameters' values (one row for no grid)."""
    names = list(grid)
    rows = [dict(zip(names, combo)) for combo in itertools.product(*grid.values())]
    frame = pd.DataFrame(rows, columns=names) if names else pd.DataFrame(index=range(1))
    frame.insert(0, "point", np.arange(len(frame), dtype="int64"))
    return frame
