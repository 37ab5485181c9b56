"""The validation targets: published figures as data (``targets.toml``), loaded and checked.

:func:`load_targets` reads the package's ``targets.toml`` (or another file) into
:class:`Target` objects; every field is checked and a bad file gives one
:class:`~jobsim.errors.JobsimError` naming the target and the field.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from ..model.scenario import Scenario, builtin_names, load_scenario
from .measures import MEASURES

UNITS = ("share", "ratio", "citizens", "cases", "dkk")
INTERVALS = ("t", "share", "group")
#: What a target can tell about the model: *verification* (the figure equals an input, so the model can only
#: reproduce it), *calibration* (an input was chosen or fitted to make the model meet it) or *validation* (held
#: out: never used to set anything, so only it can show the model right or wrong).
ROLES = ("verification", "calibration", "validation")
_REQUIRED = ("id", "title", "title_da", "description", "unit", "reference", "source", "measure", "arms", "role",
             "role_note")
_KNOWN = {*_REQUIRED, "cite", "low", "high", "band_note", "interval", "options"}


@dataclass(frozen=True)
class Target:
    """One published figure and how the model is measured against it.

    ``low``/``high``: the reference band in ``unit`` (None when no defensible band exists: the
    verdict is then "not available"); ``arms``: name -> ``{"scenario": builtin name, "settings":
    {...}}`` run per replication with the same random streams; ``measure`` names an entry of
    :data:`jobsim.validation.measures.MEASURES`, given ``options``.
    """

    id: str
    title: str
    title_da: str
    description: str
    unit: str
    reference: str
    source: str
    measure: str
    arms: dict[str, dict[str, Any]]
    role: str = "validation"
    role_note: str = ""
    low: float | None = None
    high: float | None = None
    band_note: str = ""
    cite: str = ""
    interval: str = "t"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def has_band(self) -> bool:
        """True if the target has a reference band (else its verdict is "not available")."""
        return self.low is not None and self.high is not None

    @property
    def needs_tables(self) -> bool:
        """True if the measure reads the run's tables (not only its KPIs)."""
        return MEASURES[self.measure].tables

    def run_arms(self) -> dict[str, dict[str, Any]]:
        """The arms actually run (a grid measure expands its arms, e.g. one per caseload)."""
        expand = MEASURES[self.measure].expand
        return expand(self.arms, self.options) if expand else dict(self.arms)

    def scenarios(self) -> dict[str, Scenario]:
        """Arm name -> the scenario it runs (built-in scenario with the arm's settings)."""
        return {name: load_scenario(arm["scenario"], **arm.get("settings", {}))
                for name, arm in self.run_arms().items()}

    def label(self, lang: str = "en") -> str:
        """The short title of the target in ``lang`` (``en`` or ``da``)."""
        return self.title_da if lang == "da" else self.title

    def verdict(self, mean: float) -> str:
        """"inside" or "outside" the band for a model mean; "not available" without a band or a mean."""
        if not self.has_band or mean is None or math.isnan(mean):
            return "not available"
        return "inside" if self.low <= mean <= self.high else "outside"


def default_targets_path():
    """The ``targets.toml`` shipped with jobsim (a resource of :mod:`jobsim.validation`)."""
    return resources.files("jobsim") / "validation" / "targets.toml"


def load_targets(path: str | Path | None = None) -> list[Target]:
    """The targets of ``path`` (default: the package's ``targets.toml``), each checked.

    >>> [t.id for t in load_targets()][:3]
    ['direct_contact_share', 'prep_followup_share', 'noshow_rate']
    """
    source = default_targets_path() if path is None else Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise JobsimError(f"{source}: cannot read the validation targets ({err})") from None
    entries = data.get("target")
    if not isinstance(entries, list) or not entries:
        raise JobsimError(f"{source}: expected one or more [[target]] tables")
    targets = [_target(entry, i) for i, entry in enumerate(entries)]
    ids = [t.id for t in targets]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise JobsimError(f"{source}: target id {duplicates[0]!r} appears more than once")
    return targets


def _target(entry: dict[str, Any], index: int) -> Target:
    name = entry.get("id", f"target {index + 1}")

    def bad(field_name: str, what: str) -> JobsimError:
        return JobsimError(f"target {name!r}: {field_name}: {what}")

    for key in _REQUIRED:
        if key not in entry:
            raise bad(key, "missing")
    unknown = sorted(set(entry) - _KNOWN)
    if unknown:
        raise bad(unknown[0], f"unknown field; allowed: {', '.join(sorted(_KNOWN))}")
    if entry["role"] not in ROLES:
        raise bad("role", f"{entry['role']!r}; allowed: {', '.join(ROLES)}")
    if entry["unit"] not in UNITS:
        raise bad("unit", f"{entry['unit']!r}; allowed: {', '.join(UNITS)}")
    interval = entry.get("interval", "t")
    if interval not in INTERVALS:
        raise bad("interval", f"{interval!r}; allowed: {', '.join(INTERVALS)}")
    measure = entry["measure"]
    if measure not in MEASURES:
        raise bad("measure", f"{measure!r}; allowed: {', '.join(MEASURES)}")
    options = dict(entry.get("options", {}))
    missing = [o for o in MEASURES[measure].options if o not in options]
    if missing:
        raise bad("options", f"the measure {measure!r} needs {', '.join(missing)}")
    low, high = entry.get("low"), entry.get("high")
    if (low is None) != (high is None):
        raise bad("low", "give both low and high, or neither (no defensible band: 'not available')")
    if low is not None and not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and low <= high):
        raise bad("low", f"expected numbers with low <= high, got {low!r} and {high!r}")
    arms = entry["arms"]
    if not isinstance(arms, dict) or not arms:
        raise bad("arms", "expected one or more [target.arms.NAME] tables")
    for arm_name, arm in arms.items():
        if not isinstance(arm, dict) or arm.get("scenario") not in builtin_names():
            raise bad(f"arms.{arm_name}.scenario", f"expected a built-in scenario: {', '.join(builtin_names())}")
    target = Target(id=entry["id"], title=entry["title"], title_da=entry["title_da"], description=entry["description"], unit=entry["unit"],
                    reference=entry["reference"], source=entry["source"], measure=measure,
                    arms={k: dict(v) for k, v in arms.items()}, role=entry["role"], role_note=entry["role_note"],
                    low=None if low is None else float(low),
                    high=None if high is None else float(high), band_note=entry.get("band_note", ""), cite=entry.get("cite", ""),
                    interval=interval, options=options)
    try:
        target.scenarios()  # every arm's settings are valid scenario values
    except JobsimError as err:
        raise bad("arms", str(err)) from None
    return target
