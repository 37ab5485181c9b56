"""Scenario fragments: a TOML file with some scenario values, run on top of a scenario (``jobsim run X --with F``).

``jobsim calibrate`` writes one; any TOML file of ``name = value`` lines
with scenario parameter names is one. Light on purpose (no pandas, no
SciPy): ``jobsim run`` imports it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..model.scenario import field_names, read_sources, read_text_file, unknown_parameter_message


def read_fragment(path: str | os.PathLike) -> tuple[dict[str, Any], dict[str, str]]:
    """A scenario fragment's values and their sources (the trailing comments), checked by name.

    Raises :class:`ScenarioError` naming the file and the parameter.
    """
    path = Path(path)
    text = read_text_file(path, "scenario fragment (TOML)")
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML: {err}") from None
    names = field_names()
    for key, value in values.items():
        if key not in names:
            raise ScenarioError(f"{path}: {unknown_parameter_message(key)}")
        if isinstance(value, dict):
            raise ScenarioError(f"{path}: {key}: tables are not allowed; write 'name = value'")
    sources = {k: v for k, v in read_sources(text).items() if k in values}
    return values, sources
