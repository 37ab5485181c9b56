"""``name=value`` assignments (``--set``, grids): text to a typed scenario value, with one clear error."""

from __future__ import annotations

import math
from typing import Any

from ..errors import ScenarioError
from .scenario import Scenario, field_info, unknown_parameter_message


def coerce_value(name: str, text: str) -> Any:
    """Turn the text of ``--set name=value`` into the parameter's type, or raise a clear error."""
    info = field_info(name)
    if name == "groups":
        raise ScenarioError("groups: cannot be set with --set; write [[groups]] tables in a scenario file")
    ann = Scenario.model_fields[name].annotation
    t = text.strip()
    try:
        if ann is bool:
            low = t.lower()
            if low in ("true", "yes", "1", "on"):
                return True
            if low in ("false", "no", "0", "off"):
                return False
            raise ValueError
        if ann is int:
            v = float(t)
            if not v.is_integer():
                raise ValueError
            return int(v)
        if ann is float:
            v = float(t)
            if not math.isfinite(v):
                raise ValueError
            return v
    except ValueError:
        raise ScenarioError(f"{name}: {text!r} is not a valid value; expected {info['type']}") from None
    return t


def parse_assignment(item: str) -> tuple[str, Any]:
    """Parse one ``name=value`` into (name, typed value)."""
    if "=" not in item:
        raise ScenarioError(f"--set: {item!r} is not of the form name=value")
    name, text = item.split("=", 1)
    name = name.strip()
    if not name:
        raise ScenarioError(f"--set: {item!r} has no parameter name; expected name=value, e.g. caseload=45")
    if name not in Scenario.model_fields:
        raise ScenarioError(unknown_parameter_message(name))
    return name, coerce_value(name, text)
