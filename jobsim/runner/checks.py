"""Checks of the runner's arguments: plain Python values, whole numbers, confidence levels."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import JobsimError


def plain(value: Any) -> Any:
    """numpy scalars as Python scalars (so ``np.arange`` grids work)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def check_int(name: str, value: Any, low: int) -> int:
    """``value`` if it is an integer of at least ``low`` (a numpy integer is accepted), else :class:`JobsimError`."""
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise JobsimError(f"{name}: {value!r} is not an integer of at least {low}")
    return value


def check_confidence(confidence: float) -> None:
    """Refuse a confidence level outside (0, 1)."""
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise JobsimError(f"confidence: {confidence!r} must lie strictly between 0 and 1 (e.g. 0.95)")
