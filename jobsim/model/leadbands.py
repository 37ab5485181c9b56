"""Lead bands: the no-show odds by how long before the slot a booking was made.

Real appointment logs are not log-linear in lead: bookings for the same day
are almost never missed, bookings 1-7 days ahead are missed about eight times
as often, and beyond two weeks a little more again (no-shows about 3 % same
day, 24 % at 1-7 days and 33-40 % beyond two weeks in the 'Medical
Appointment No Shows' data, Vitória, Brazil, 2016, 110,527 appointments).
A scenario gives one odds ratio per band against the reference band of 1-7
days (``noshow_lead_odds_ratio_same_day`` and so on); the model applies it to
the lead of each booking (slot day less the day it was booked), and
``jobsim calibrate`` estimates the same ratios from the same leads, so what is
estimated is what the model runs.

The alternative shape, one odds ratio per 30 days beyond the earliest day the
booking rule allowed (``noshow_lead_odds_ratio``), stays; a scenario uses one
shape or the other, not both.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

#: (band name, first lead day, last lead day); leads in whole days, slot day less booking day.
LEAD_BANDS = (("same_day", 0, 0), ("1_7_days", 1, 7), ("8_14_days", 8, 14), ("15_30_days", 15, 30),
              ("31_plus_days", 31, math.inf))
#: The band the odds ratios are relative to.
REFERENCE = "1_7_days"
#: Band name -> the scenario field holding its odds ratio (none for the reference band).
BAND_FIELDS = {name: f"noshow_lead_odds_ratio_{name}" for name, _, _ in LEAD_BANDS if name != REFERENCE}
#: Band name -> how people read it.
BAND_LABELS = {"same_day": "same day", "1_7_days": "1-7 days", "8_14_days": "8-14 days",
               "15_30_days": "15-30 days", "31_plus_days": "31 days or more"}
_LAST_DAYS = tuple(last for _, _, last in LEAD_BANDS[:-1])


def band_index(lead_days):
    """The band (0 = same day ... 4 = 31 days or more) of a lead in whole days, or an array of leads.

    >>> band_index(0), band_index(7), band_index(8), band_index(400)
    (0, 1, 2, 4)
    """
    if np.ndim(lead_days) == 0:   # one booking's lead (the model, per booking): no array machinery
        return bisect_left(_LAST_DAYS, lead_days)
    return np.searchsorted(_LAST_DAYS, np.asarray(lead_days), side="left")


def band_odds_ratios(values) -> tuple[float, ...] | None:
    """The five bands' odds ratios from a scenario (1 for the reference band), or None when all are 1."""
    ratios = tuple(1.0 if name == REFERENCE else float(getattr(values, BAND_FIELDS[name]))
                   for name, _, _ in LEAD_BANDS)
    return None if all(r == 1.0 for r in ratios) else ratios


def banded_propensity(p: float, lead_days: int, ratios: tuple[float, ...]) -> float:
    """A no-show propensity ``p`` (at a lead of 1-7 days) whose odds are multiplied by its lead band's ratio."""
    ratio = ratios[band_index(lead_days)]
    if ratio == 1.0 or p <= 0.0 or p >= 1.0:
        return p
    odds = p / (1.0 - p) * ratio
    return odds / (1.0 + odds)
