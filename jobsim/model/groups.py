"""Citizen groups: parts of the inflow with their own legal rule and their own needs.

A scenario without groups has one group, made of the scenario's own values.
With groups (a TOML array of tables), each entering citizen belongs to one
group, drawn with the group's ``share`` of the inflow; any value a group
leaves out is the scenario's. KPIs stay team-wide; the ``meetings`` and
``citizens`` tables carry the group, so per-group results are one
``groupby("group")`` away.

.. code-block:: toml

    [[groups]]
    name = "activity_ready"
    share = 0.6
    rule = "activity_ready_2019"

    [[groups]]
    name = "sickness_benefit"
    share = 0.4
    rule = "sickness_benefit"
    noshow_probability = 0.08
    casework_minutes = 20.0
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import did_you_mean

RuleName = Literal["activity_ready_2019", "lab_2020", "sickness_benefit"]

#: The values a group may set for itself (None or left out: the scenario's value).
GROUP_VALUES = ("rule", "noshow_probability", "noshow_spread", "prep_minutes", "conversation_minutes",
                "first_conversation_minutes", "first_prep_minutes", "casework_minutes")


class CitizenGroup(BaseModel):
    """One group of citizens: a name, its share of the inflow, and the values it sets for itself.

    Units as the scenario's fields of the same name (minutes, probabilities).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$",
                      description="group name, as in the tables' group column (letters, digits, _ and -)")
    share: float = Field(gt=0, le=1, description="share of the inflow (the shares of all groups add up to 1)")
    rule: RuleName | None = Field(None, description="the legal follow-up rule for this group")
    noshow_probability: float | None = Field(None, ge=0, le=1, description="mean no-show propensity")
    noshow_spread: float | None = Field(None, ge=0, lt=0.5, description="sd of no-show propensities (Beta)")
    prep_minutes: float | None = Field(None, ge=0, le=240, description="mean preparation need, minutes")
    conversation_minutes: float | None = Field(None, gt=0, le=240, description="mean conversation need, minutes")
    first_conversation_minutes: float | None = Field(None, ge=0, le=360,
                                                     description="first conversation's mean need, minutes")
    first_prep_minutes: float | None = Field(None, ge=0, le=240, description="first conversation's mean prep")
    casework_minutes: float | None = Field(None, ge=0, le=2220, description="casework per citizen per week")


class GroupValues:
    """A group's effective values (its own, else the scenario's): what the model reads per citizen."""

    __slots__ = ("index", "name", "share") + GROUP_VALUES

    def __init__(self, index: int, name: str, share: float, values: dict[str, Any]):
        self.index = index
        self.name = name
        self.share = share
        for key in GROUP_VALUES:
            setattr(self, key, values[key])

    @property
    def first_conversation_need_factor(self) -> float:
        """First conversation need / ordinary need (a citizen's first conversation is scaled by this)."""
        first = self.first_conversation_minutes
        return first / self.conversation_minutes if first > 0 else 1.0

    @property
    def first_prep_need_factor(self) -> float:
        """First preparation need / ordinary need."""
        first = self.first_prep_minutes
        return first / self.prep_minutes if first > 0 and self.prep_minutes > 0 else 1.0


def effective_groups(scenario) -> list[GroupValues]:
    """The scenario's groups with every value filled in; one group named "all" when it has none."""
    base = {key: getattr(scenario, key) for key in GROUP_VALUES}
    if not scenario.groups:
        return [GroupValues(0, "all", 1.0, base)]
    out = []
    for i, g in enumerate(scenario.groups):
        own = {key: getattr(g, key) for key in GROUP_VALUES}
        out.append(GroupValues(i, g.name, g.share, {k: base[k] if v is None else v for k, v in own.items()}))
    return out


def check_groups(scenario) -> None:
    """Cross-field checks on groups: one ValueError naming the group and the field."""
    groups = scenario.groups
    if not groups:
        return
    names = [g.name for g in groups]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f"groups: the name {name!r} is used twice; allowed: one group per name")
    total = math.fsum(g.share for g in groups)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"groups: the shares add up to {total:g}; allowed: shares that add up to 1")
    for g in effective_groups(scenario):
        p, s = g.noshow_probability, g.noshow_spread
        limit = math.sqrt(p * (1 - p))
        if 0 < p < 1 and s > 0 and s >= limit:
            raise ValueError(f"groups.{g.name}.noshow_spread: {s:g} is too wide for noshow_probability {p:g}; "
                             f"allowed: 0 <= noshow_spread < {limit:.4f}")
        if 0 < g.first_conversation_minutes and math.ceil(g.first_conversation_minutes / scenario.slot_minutes - 1e-9) \
                > scenario.slots_per_day:
            raise ValueError(f"groups.{g.name}.first_conversation_minutes: {g.first_conversation_minutes:g} "
                             f"minutes need more slots than a day has ({scenario.slots_per_day} of "
                             f"{scenario.slot_minutes:g}); allowed: up to "
                             f"{scenario.slots_per_day * scenario.slot_minutes:g}")


def group_error_message(e: dict) -> str:
    """One message for an error inside ``[[groups]]``: which group (counted from 1), which value, what is allowed."""
    loc = e["loc"]
    where = f"groups[{loc[1] + 1}]" if isinstance(loc[1], int) else "groups"
    key = str(loc[2]) if len(loc) > 2 else ""
    if e["type"] == "extra_forbidden":
        allowed = ", ".join(["name", "share", *GROUP_VALUES])
        return f"{where}.{key}: unknown group value{did_you_mean(key, allowed.split(', ')) or ''}; allowed: {allowed}"
    if e["type"] == "missing":
        return f"{where}.{key}: missing; every group needs a name and a share of the inflow"
    if not key:
        return f"{where}: expected a table with name, share and the group's own values (got {e.get('input')!r})"
    msg = str(e["msg"]).removeprefix("Value error, ")
    return f"{where}.{key}: {msg} (got {e.get('input')!r})"
