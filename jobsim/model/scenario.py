"""Scenarios: every parameter of a jobsim run in one validated, immutable object.

A :class:`Scenario` is never changed in place: :meth:`Scenario.replace` returns
a new, re-validated scenario. Scenarios load from and save to TOML; the
built-in ones ship inside the package (``jobsim/scenarios/*.toml``), each value
commented with its source: a published reference or "assumption" (docs/model.md).

Units: times of day and durations in **minutes**, calendar spans in **days**,
money in **DKK**.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ScenarioError, did_you_mean
from .calendar import DAY_END, FIRST_SLOT
from .groups import CitizenGroup, RuleName, check_groups, group_error_message
from .inflow import derive_caseload
from .leadbands import BAND_FIELDS
from .policies import POLICIES
from .rules import RULES
from .textfile import read_text_file

DeskPriority = Literal["edf", "prep_first", "casework_first"]
FollowupBy = Literal["rule", "need"]
JOBSIM_DEFAULT = "assumption (jobsim default)"   # a modelling choice, no published figure behind it
#: The most caseworkers a scenario may have: a Copenhagen-sized organisation (1,000-2,000) fits many times over.
#: Runs of more than 500 ask first (jobsim.runner.size.MAX_WORKERS: --yes, confirm=True).
MAX_TEAM = 20_000
STAR_FOLLOW_UP = "STAR, 'Opfølgning på data om samtaler'"
#: Where the week's unsourced minutes and rates come from (no study gives them one by one).
WEEK_SOURCE = ("fitted: the posterior median of jobsim fit (approximate Bayesian computation, jobsim/fit/posterior) "
               "to the time-use shares at 82 cases: 15-26% direct contact (a DS time study: about 15% with "
               "citizens; Quartz+Co and BDO for KL 2014, 'Analyse af jobcentrenes ressourceforbrug': 26% with "
               "citizens and employers) and about a third on preparation and follow-up (the same KL study); no "
               "source gives it alone, and the two shares pin sums, not each parameter (docs/model.md, 3.4)")


#: Where the lead-band odds ratios come from (one text for the four fields).
_BAND_SOURCE = ("1 = no effect until calibrated (jobsim calibrate estimates them from a booking log); no-shows about "
                "3% for same-day bookings, 24% at 1-7 days and 33-40% beyond two weeks ('Medical Appointment No "
                "Shows' data, Vitória, Brazil, 2016, 110,527 appointments, Kaggle)")


def _f(default: Any, doc: str, unit: str = "", source: str = "assumption", **kw: Any) -> Any:
    """A scenario field with its unit and the default's source (shown by ``jobsim show``)."""
    return Field(default, description=doc, json_schema_extra={"unit": unit, "source": source}, **kw)


class Scenario(BaseModel):
    """All parameters of one jobcenter team. Immutable; use :meth:`replace`.

    The top-level names are the public contract: they do not change between
    versions. Units are given per field (minutes, days, DKK).

    >>> s = Scenario()
    >>> s.caseload
    45.0
    >>> s.replace(caseload=220).caseload
    220.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, validate_default=True, allow_inf_nan=False)

    def __init__(self, **values: Any) -> None:
        # one clear ScenarioError naming the field, from Python as from the command line
        try:
            super().__init__(**values)
        except ValidationError as err:
            raise ScenarioError(_format_validation_error(err)) from None

    @model_validator(mode="before")
    @classmethod
    def _plain_numbers(cls, values: Any) -> Any:
        """NumPy scalars (what a loop over ``np.arange`` gives) count as the Python numbers they hold."""
        if isinstance(values, dict):
            values = {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}
            if isinstance(values.get("groups"), list):   # a TOML array of tables
                values["groups"] = tuple(values["groups"])
            values = derive_caseload(values, cls.model_fields["stay_days"].default,
                                     cls.model_fields["workers"].default)
        return values

    name: str = _f("custom", "short name of the scenario", source="label")
    description: str = _f("", "one line on what the scenario represents", source="label")

    # team and caseload
    workers: int = _f(10, "caseworkers in the team", "workers", JOBSIM_DEFAULT, ge=1, le=MAX_TEAM)
    caseload: float = _f(45.0, "mean citizens per caseworker (Little's law sets the inflow)", "citizens",
                         "DS recommended 40-50 (2017); since 2020 35-55 job-ready, 25-40 activity-ready "
                         "(Dansk Socialrådgiverforening, 'Overblik over DS' vejledende sagstal')", gt=0, le=1000)
    stay_days: float = _f(365.0, "mean time a citizen stays on the caseload (exponential; at least a day)", "days",
                          JOBSIM_DEFAULT, ge=1, le=3650)
    inflow_per_year: float = _f(
        0.0, "citizens entering the team's caseload per year; 0 = caseload-driven (the inflow follows from "
        "caseload and stay_days by Little's law). When set, caseload is derived from it (without any exit "
        "effect) and the measured caseload_mean is an outcome", "citizens/year",
        "0 = caseload-driven (first edition)", ge=0, le=1e6)
    exit_effect: float = _f(
        1.0, "hazard ratio of leaving the caseload (to work or education) during exit_effect_days after each "
        "held conversation; 1 = stays do not depend on follow-up", "ratio",
        "1 = no effect (first edition); the literature's option is 1.3, range 1.0-1.5: job-finding about 30% "
        "higher under intensive contact (Graversen & van Ours 2008, 'How to help unemployed find jobs quickly', "
        "J. Public Econ. 92), early and frequent meetings raised employment (Maibom, Rosholm & Svarer 2017, "
        "'Experimental evidence on the effects of early meetings and activation', Scand. J. Econ. 119); both "
        "from other settings, an assumption here", ge=0.2, le=5)
    exit_effect_days: float = _f(30.0, "days after a held conversation during which exit_effect applies", "days",
                                 "assumption (range 14-91 for the sensitivity analysis)", ge=1, le=365)
    # run length
    horizon_days: int = _f(364, "measured horizon after the warm-up", "days", JOBSIM_DEFAULT, ge=7, le=3650)
    warmup_days: int = _f(56, "warm-up before statistics are collected", "days", JOBSIM_DEFAULT, ge=0, le=3650)
    # diary
    slot_minutes: float = _f(25.0, "length of one conversation slot", "minutes",
                             "Lærkevej: 25 minutes per citizen (Dansk Socialrådgiverforening 2017, 'Jobcenter "
                             "Lærkevej: Socialrådgivere får ros for fagligt opråb')", ge=5, le=240)
    slots_per_day: int = _f(4, "conversation slots a caseworker offers per day present, from 9:00", "slots",
                            "assumption, ~20% of the day; 26% direct contact (Quartz+Co/BDO for KL 2014, 'Analyse af "
                            "jobcentrenes ressourceforbrug')", ge=1, le=40)
    booking_lead_days: int = _f(14, "earliest booking before the due date", "days", "assumption", ge=0, le=365)
    rebook_days: int = _f(7, "earliest rebooking after a no-show", "days", "assumption", ge=1, le=365)
    interval_days: int = _f(91, "maximum interval between held conversations (follow-up rule)", "days",
                            f"pre-2020 activity-ready rule: 4 in 12 months ({STAR_FOLLOW_UP})", ge=1, le=3650)
    contact_interval_days: int = _f(
        0, "planned days between conversations, above the legal minimum of contact (at most interval_days); "
        "0 = plan at the legal maximum, interval_days", "days",
        "0 = the legal maximum; Aabenraa's 'hand-held' effort saw citizens far more often (Aabenraa "
        "Kommune, 'Mål og resultater', aabenraa.dk)", ge=0, le=3650)
    first_meeting_days: int = _f(7, "first conversation due after entry", "days",
                                 f"pre-2020 rule: first within 1 week ({STAR_FOLLOW_UP})", ge=1, le=365)
    rule: RuleName = _f("activity_ready_2019", "the legal follow-up rule overdue is measured against: "
                        + "; ".join(f"{k}: {v}" for k, v in RULES.items()), "",
                        f"{STAR_FOLLOW_UP} (pre-2020 activity-ready rule); Lov om en aktiv "
                        "beskæftigelsesindsats (LAB, 2019) § 31; STAR, 'Sygedagpengeopfølgning'")
    reserved_slots_per_day: int = _f(
        0, "slots a day kept free until the day before for first conversations and rebookings (after a "
        "no-show or an absence); ordinary follow-ups cannot take them earlier", "slots",
        "0 = none reserved (first edition); assumption: a common diary practice", ge=0, le=39)
    overbook_per_day: int = _f(
        0, "extra bookings a day placed into slots already booked (the j-th into the day's j-th slot); "
        "needs overrun = true, as both citizens may come and one waits", "bookings",
        "0 = no overbooking; the classic answer to no-shows (LaGanga & Lawrence 2007, 'Clinic overbooking "
        "to improve patient access and increase provider productivity', Decision Sciences)", ge=0, le=40)
    # attendance
    noshow_probability: float = _f(0.145, "mean no-show propensity of citizens", "probability",
                                   "calibrated: with noshow_spread 0.10 the rate per booking at 82 cases is about 16%, "
                                   "inside the 14-17% of interviews missed at UK Jobcentre Plus (House of Commons "
                                   "Public Accounts Committee, 56th report 2006-07; see docs/validation.md)", ge=0, le=1)
    noshow_spread: float = _f(0.10, "standard deviation of citizens' no-show propensities (Beta); 0 = all alike",
                              "probability", "calibrated with noshow_probability (frequent no-showers are rebooked "
                              "more, so the rate per booking exceeds the mean); propensities differ (a prior no-show "
                              "has odds ratio 4.4: Shour & Onitilo 2023, Clin Med Res 21(4))", ge=0, lt=0.5)
    noshow_lead_odds_ratio: float = _f(
        1.0, "the odds of not showing multiply by this for every 30 days the slot lies beyond the earliest day "
        "the booking rule allows (the diary's queue); 1 = no effect", "ratio",
        "1 = no effect until calibrated; leads over four weeks: odds ratio 5.5 (Shour & Onitilo 2023, Clin Med "
        "Res 21(4), 263,464 appointments); no-shows 3% same day, 33-40% beyond two weeks ('Medical Appointment "
        "No Shows' data, Vitória, Brazil, 2016, Kaggle)", ge=0.1, le=20)
    noshow_lead_odds_ratio_same_day: float = _f(
        1.0, "odds ratio of a no-show for a slot booked the same day, against one booked 1-7 days ahead "
        "(lead bands: see jobsim.model.leadbands); 1 = no effect", "ratio", _BAND_SOURCE, ge=0.01, le=100)
    noshow_lead_odds_ratio_8_14_days: float = _f(
        1.0, "odds ratio of a no-show for a slot booked 8-14 days ahead, against 1-7 days; 1 = no effect", "ratio",
        _BAND_SOURCE, ge=0.01, le=100)
    noshow_lead_odds_ratio_15_30_days: float = _f(
        1.0, "odds ratio of a no-show for a slot booked 15-30 days ahead, against 1-7 days; 1 = no effect", "ratio",
        _BAND_SOURCE, ge=0.01, le=100)
    noshow_lead_odds_ratio_31_plus_days: float = _f(
        1.0, "odds ratio of a no-show for a slot booked 31 days or more ahead, against 1-7 days; 1 = no effect",
        "ratio", _BAND_SOURCE, ge=0.01, le=100)
    followup_by: FollowupBy = _f(
        "rule", "how follow-up conversations are planned: rule (at the legal rule's interval, or the contact "
        "plan's) or need (no legal interval, as under Odense's frikommune exemption: a conversation is booked "
        "when the caseworker judges the citizen needs one, by urgency into the slots free in the next "
        "need_planning_days, the rest waiting; the rule is then only the yardstick that overdue is measured "
        "against)", "", "rule = the law is followed; the exemption lifted the follow-up rules and 'some unemployed "
        "went years without a conversation' (Dansk Socialrådgiverforening 2017, 'Kommunalt misbrug truer sociale "
        "jobindsatser'); how caseworkers then chose whom to see is an assumption")
    need_interval_days: float = _f(
        182.0, "under followup_by = need: mean days from a held conversation to the caseworker judging that the "
        "citizen needs the next one (exponential: needs arise from changes in the citizen's situation); a "
        "missed conversation's need stays", "days", "assumption: twice a year on average, half the law's four; "
        "no source gives how often Odense's caseworkers saw a need (range 91-364 in the sensitivity ranges)",
        gt=0, le=3650)
    need_planning_days: int = _f(
        14, "under followup_by = need: each Monday the caseworker books the citizens who need a conversation, most "
        "urgent first (urgency drawn uniformly per need), into free slots no further ahead than this; the rest "
        "wait for the next Monday", "days", "assumption: two weeks, the booking lead's default", ge=1, le=365)
    grace_minutes: float = _f(10.0, "wait for a citizen before a no-show is recorded", "minutes", "assumption",
                              ge=0, le=120)
    punctuality_mean_minutes: float = _f(-2.0, "mean arrival time relative to the slot start (negative = early)",
                                         "minutes", "assumption", ge=-60, le=60)
    punctuality_sd_minutes: float = _f(4.0, "standard deviation of arrival time around the slot start", "minutes",
                                       "assumption", ge=0, le=60)
    sms_reminders: bool = _f(False, "send SMS reminders (cuts no-show propensity by sms_effect)", "", JOBSIM_DEFAULT)
    sms_effect: float = _f(0.3, "relative cut in no-show propensity from an SMS reminder", "share",
                           "assumption, below the 34% cut (39.8% to 26.3%) in Youssef 2014, RCT, East Mediterr "
                           "Health J 20(5); follow-up odds ratio 1.76 (Lin & Wu 2014, PLoS ONE)", ge=0, le=1)
    reminder_days: int = _f(2, "the SMS reminder goes out this many working days before the slot; under "
                            "confirmed_ahead preparation starts when the reply is in", "days",
                            "assumption", ge=0, le=60)
    confirm_share: float = _f(0.8, "share of attending citizens who confirm the SMS (confirmed_ahead)", "share",
                              "assumption", ge=0, le=1)
    false_confirm_share: float = _f(0.05, "share of citizens who confirm and then do not show", "share",
                                    "assumption", ge=0, le=1)
    # time needs
    prep_minutes: float = _f(28.7, "mean preparation need to read a case properly (lognormal)", "minutes",
                             WEEK_SOURCE, ge=0, le=240)
    prep_cv: float = _f(0.5, "coefficient of variation of the preparation need", "ratio", "assumption",
                        ge=0, le=5)
    conversation_minutes: float = _f(20.0, "mean conversation need (lognormal)", "minutes", "assumption",
                                     gt=0, le=240)
    conversation_cv: float = _f(0.3, "coefficient of variation of the conversation need", "ratio", "assumption",
                                ge=0, le=5)
    first_conversation_minutes: float = _f(
        0.0, "mean need of a citizen's first conversation (the same citizen's need, scaled); booked as a "
        "double (or longer) slot when longer than one slot; 0 = as conversation_minutes", "minutes",
        "0 = as any conversation (first edition); assumption: first conversations take longer", ge=0, le=360)
    first_prep_minutes: float = _f(
        0.0, "mean preparation need before a first conversation; 0 = as prep_minutes", "minutes",
        JOBSIM_DEFAULT, ge=0, le=240)
    overrun: bool = _f(False, "a conversation runs to its need past the slot end; the next citizen waits and the "
                       "day can end late (overtime); false = conversations are cut at the slot end", "",
                       "assumption (jobsim default): cut at the slot end; true is the classic appointment-"
                       "scheduling model (Ho & Lau 1992, Management Science)")
    min_conversation_minutes: float = _f(10.0, "the skim after check-in never cuts a conversation below this",
                                         "minutes", "assumption", ge=0, le=240)
    checkin_prep_minutes: float = _f(5.0, "skim allowed after check-in under after_checkin", "minutes",
                                     "assumption", ge=0, le=240)
    prep_window_days: int = _f(2, "preparation ahead can start this many working days before the slot", "days",
                               "assumption", ge=0, le=60)
    documentation_minutes: float = _f(20.8, "documentation after each held conversation", "minutes",
                                      WEEK_SOURCE, ge=0, le=240)
    casework_minutes: float = _f(16.9, "ongoing casework per citizen per week, due by the end of the next week",
                                 "minutes", WEEK_SOURCE,
                                 ge=0, le=2220)
    # the rest of the week: contact outside the diary, and time that is not case work
    citizen_contacts_per_week: float = _f(
        0.19, "calls and messages from and to each citizen on the caseload, per week at work, outside the booked "
        "conversations; each arrives during the day and is taken before any other desk work (it interrupts it)",
        "contacts/citizen/week", WEEK_SOURCE, ge=0, le=20)
    citizen_contact_minutes: float = _f(6.58, "direct contact per call or message with a citizen", "minutes",
                                        WEEK_SOURCE, ge=0, le=120)
    contact_documentation_minutes: float = _f(13.7, "documentation after each call, message or employer contact",
                                              "minutes", WEEK_SOURCE, ge=0, le=120)
    employer_contacts_per_week: float = _f(
        3.3, "contacts with employers per caseworker per week at work (planned among the desk work)",
        "contacts/week", WEEK_SOURCE, ge=0, le=100)
    employer_contact_minutes: float = _f(21.8, "direct contact per employer contact", "minutes", WEEK_SOURCE,
                                         ge=0, le=240)
    network_meetings_per_citizen_year: float = _f(
        1.22, "network and round-table meetings (with other professionals) per citizen on the caseload per year, "
        "held outside the conversation slots", "meetings/citizen/year", WEEK_SOURCE, ge=0, le=52)
    network_meeting_minutes: float = _f(56.3, "direct contact per network meeting", "minutes", WEEK_SOURCE,
                                        ge=0, le=480)
    network_prep_minutes: float = _f(57.0, "preparation and documentation per network meeting", "minutes",
                                     WEEK_SOURCE, ge=0, le=480)
    contact_answer_days: int = _f(
        1, "working days after the day it arrives within which a call or employer contact is answered (0 = the "
        "same day); answered later, it counts as postponed", "days",
        "assumption: answered by the next working day", ge=0, le=20)
    network_meeting_days: int = _f(
        10, "working days within which a network meeting is held once it is called; held later, it counts as "
        "postponed", "days", "assumption: within two weeks", ge=1, le=60)
    noncase_minutes_per_day: float = _f(
        72.2, "time that is not case work (team meetings, supervision, training, administration), per day "
        "present; done that day, ranked with documentation", "minutes", WEEK_SOURCE, ge=0, le=444)
    # staff time
    absence_share: float = _f(0.12, "share of working days a caseworker is absent (whole days)", "share",
                              "assumption: 6 weeks' holiday plus sickness", ge=0, lt=1)
    overtime_minutes: float = _f(0.0, "desk work allowed past 15:24 per day present", "minutes", JOBSIM_DEFAULT,
                                 ge=0, le=480)
    desk_priority: DeskPriority = _f("edf", "order of desk tasks: edf (earliest deadline first), prep_first, "
                                     "casework_first", "", JOBSIM_DEFAULT)
    prep_policy: str = _f("ahead", "preparation policy (see jobsim.policies)", "", JOBSIM_DEFAULT)
    groups: tuple[CitizenGroup, ...] = _f(
        (), "citizen groups (TOML [[groups]] tables: name, share of the inflow, rule, and any of "
        "noshow_probability, noshow_spread, prep_minutes, conversation_minutes, first_conversation_minutes, "
        "first_prep_minutes, casework_minutes); none = one group with the values above", "", JOBSIM_DEFAULT)
    benefit_dkk_per_citizen_year: float = _f(
        133716.0, "cash benefit paid per citizen on the caseload per year, before tax", "DKK",
        "kontanthjælp 2017, over 30 and not a provider: 11,143 DKK a month (Beskæftigelsesministeriet, "
        "'Satser for 2017: Kontanthjælp'); providers get 14,808; gross, so part comes back as tax", ge=0, le=1e7)
    fte_cost_dkk: float = _f(600000.0, "cost of one full-time caseworker per year incl. overhead", "DKK",
                             "assumption: DS average pay 474,500 DKK incl. pension (Dansk "
                             "Socialrådgiverforening 2021-22) plus overhead", ge=0, le=1e8)

    # ----------------------------------------------------------------- checks
    @model_validator(mode="after")
    def _cross_field(self) -> "Scenario":
        if self.prep_policy not in POLICIES:
            raise ValueError(f"prep_policy: unknown policy {self.prep_policy!r}; allowed: {', '.join(POLICIES)}")
        if self.followup_by == "need" and (self.reserved_slots_per_day or self.overbook_per_day):
            field = "reserved_slots_per_day" if self.reserved_slots_per_day else "overbook_per_day"
            raise ValueError(f"{field}: {getattr(self, field)} with followup_by = \"need\"; follow-up by need books "
                             "into ordinary slots only, so allowed: 0")
        if self.contact_interval_days > self.interval_days:
            raise ValueError(f"contact_interval_days: {self.contact_interval_days} exceeds interval_days "
                             f"({self.interval_days}), the legal maximum; allowed: 0 (= interval_days) to "
                             f"{self.interval_days}")
        room = DAY_END - FIRST_SLOT
        if self.slots_per_day * self.slot_minutes > room:
            raise ValueError(
                f"slots_per_day: {self.slots_per_day} slots of {self.slot_minutes:g} minutes do not fit between "
                f"9:00 and 15:24 ({room} minutes); allowed: slots_per_day * slot_minutes <= {room}")
        if self.min_conversation_minutes > self.slot_minutes:
            raise ValueError(f"min_conversation_minutes: {self.min_conversation_minutes:g} exceeds slot_minutes "
                             f"({self.slot_minutes:g}); allowed: 0 to slot_minutes")
        if self.grace_minutes >= self.slot_minutes:
            raise ValueError(f"grace_minutes: {self.grace_minutes:g} must be below slot_minutes "
                             f"({self.slot_minutes:g})")
        p, s = self.noshow_probability, self.noshow_spread
        limit = math.sqrt(p * (1 - p))
        if 0 < p < 1 and s > 0 and s >= limit:
            raise ValueError(f"noshow_spread: {s:g} is too wide for noshow_probability {p:g}; allowed: "
                             f"0 <= noshow_spread < {limit:.4f} (a Beta distribution needs sd^2 < p(1-p))")
        if self.noshow_lead_odds_ratio != 1.0:
            banded = [name for name in BAND_FIELDS.values() if getattr(self, name) != 1.0]
            if banded:
                raise ValueError(f"noshow_lead_odds_ratio: {self.noshow_lead_odds_ratio:g} per 30 days cannot be "
                                 f"combined with lead bands ({', '.join(banded)}); allowed: one lead shape, set the "
                                 "other to 1")
        if self.reserved_slots_per_day >= self.slots_per_day:
            raise ValueError(f"reserved_slots_per_day: {self.reserved_slots_per_day} leaves no slot for ordinary "
                             f"follow-ups; allowed: 0 to slots_per_day - 1 ({self.slots_per_day - 1})")
        if self.overbook_per_day and not self.overrun:
            raise ValueError(f"overbook_per_day: {self.overbook_per_day} needs overrun = true (when both "
                             "double-booked citizens come, one waits and the conversation runs past the slot); "
                             "allowed: 0 with overrun = false")
        first = self.first_conversation_minutes
        if first > 0 and math.ceil(first / self.slot_minutes - 1e-9) > self.slots_per_day:
            raise ValueError(f"first_conversation_minutes: {first:g} minutes need more slots than a day has "
                             f"({self.slots_per_day} of {self.slot_minutes:g}); allowed: up to "
                             f"{self.slots_per_day * self.slot_minutes:g}")
        check_groups(self)
        if self.warmup_days + self.horizon_days > 20 * 365:
            raise ValueError("horizon_days: warmup_days + horizon_days must be at most 7300 days (20 years)")
        return self

    # ------------------------------------------------------------ derived
    @property
    def citizens(self) -> float:
        """Mean number of citizens on the team's caseload (workers x caseload)."""
        return self.workers * self.caseload

    @property
    def arrival_rate_per_day(self) -> float:
        """Citizens entering per calendar day: ``inflow_per_year / 365``, or by Little's law (L = lambda x W)."""
        if self.inflow_per_year > 0:
            return self.inflow_per_year / 365.0
        return self.citizens / self.stay_days

    @property
    def planned_interval_days(self) -> int:
        """Days planned between conversations: ``contact_interval_days``, or ``interval_days`` if that is 0."""
        return self.contact_interval_days or self.interval_days

    @property
    def run_days(self) -> int:
        """Warm-up plus horizon, in days."""
        return self.warmup_days + self.horizon_days

    # --------------------------------------------------------------- API
    def replace(self, **changes: Any) -> "Scenario":
        """A new scenario with ``changes`` applied and validated (the original is untouched)."""
        values = {**self.to_dict(), **changes}
        if values.get("inflow_per_year") and "caseload" not in changes:
            values.pop("caseload")     # inflow-driven: the caseload follows from the (new) inflow
        return make_scenario(values)

    def to_dict(self) -> dict[str, Any]:
        """All parameters as a plain dict (name -> value); ``groups`` is a list of dicts, as in JSON and TOML."""
        values = self.model_dump()
        values["groups"] = [dict(g) for g in values["groups"]]
        return values

    def to_toml(self, sources: dict[str, str] | None = None) -> str:
        """The scenario as TOML text, one ``name = value  # source`` line per parameter.

        Values without a source in ``sources`` keep the default's source if they equal the
        default, and are marked "no source given" otherwise.
        """
        sources = sources or {}
        lines = [f"# jobsim scenario {self.name!r}", ""]
        for key, value in self.to_dict().items():
            if key == "groups":
                continue
            comment = sources.get(key) or (field_info(key)["source"] if value == Scenario.model_fields[key].default
                                           else "no source given")
            lines.append(f"{key} = {_toml_value(value)}  # {comment}" if comment else f"{key} = {_toml_value(value)}")
        for group in self.groups:   # TOML puts arrays of tables after the top-level values
            lines += ["", "[[groups]]"] + [f"{k} = {_toml_value(v)}" for k, v in group.model_dump().items()
                                            if v is not None]
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path, sources: dict[str, str] | None = None) -> Path:
        """Write the scenario to a TOML file and return its path."""
        path = Path(path)
        path.write_text(self.to_toml(sources), encoding="utf-8")
        return path

    def __str__(self) -> str:
        changed = {k: v for k, v in self.to_dict().items() if k not in ("name", "description")
                   and v != Scenario.model_fields[k].default}
        return f"Scenario({', '.join([repr(self.name)] + [f'{k}={v!r}' for k, v in changed.items()])})"


class ScenarioValues:
    """A read-only-by-convention plain copy of a scenario's values, for the model's hot paths.

    Every field of :class:`Scenario`, and its derived values (:data:`DERIVED`), as plain attributes.
    A pydantic model defines ``__getattr__``, which keeps CPython from specialising attribute reads on it
    (about 30 ns a read, against 8 on a plain object); the model reads a few dozen values per booked
    conversation. Policies are still shown the :class:`Scenario` itself.
    """

    #: The derived values (properties of :class:`Scenario`) copied too.
    DERIVED = ("citizens", "arrival_rate_per_day", "planned_interval_days", "run_days")

    def __init__(self, scenario: Scenario):
        values = self.__dict__
        for name in type(scenario).model_fields:
            values[name] = getattr(scenario, name)
        for name in self.DERIVED:
            values[name] = getattr(scenario, name)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def field_names() -> list[str]:
    """The names of all scenario parameters, in declaration order."""
    return list(Scenario.model_fields)


def field_bounds(name: str) -> dict[str, float]:
    """The bounds a parameter declares, as ``{"ge": 0, "lt": 0.5}`` and so on (empty for one without any)."""
    field = Scenario.model_fields.get(name)
    return {key: getattr(m, key) for m in (field.metadata if field is not None else ())   # annotated_types Ge/Lt/...
            for key in ("ge", "gt", "le", "lt") if getattr(m, key, None) is not None}


def field_info(name: str) -> dict[str, Any]:
    """Type, default, unit, description and default source of one parameter."""
    if name not in Scenario.model_fields:
        raise ScenarioError(unknown_parameter_message(name))
    f = Scenario.model_fields[name]
    extra = f.json_schema_extra or {}
    return {"name": name, "type": _type_name(name), "default": f.default, "unit": extra.get("unit", ""),
            "description": f.description or "", "source": extra.get("source", "")}


def _type_name(name: str) -> str:
    ann = Scenario.model_fields[name].annotation
    if name == "desk_priority":
        return "one of edf, prep_first, casework_first"
    if name == "rule":
        return "one of " + ", ".join(RULES)
    if name == "followup_by":
        return "one of rule, need"
    if name == "groups":
        return "[[groups]] tables"
    return {int: "integer", float: "number", bool: "true/false", str: "text"}.get(ann, str(ann))


#: Parameters of earlier editions that are gone, with what replaces them (said instead of "unknown parameter").
REMOVED = {
    "no_followup_share": "removed in the third edition (it assumed a share of citizens never followed up); "
                         "use followup_by = \"need\" (conversations by need and urgency, as under Odense's exemption)",
}


def unknown_parameter_message(key: str) -> str:
    """"NAME: unknown parameter (did you mean 'x'?)", pointing to ``jobsim show`` for the full list."""
    if key in REMOVED:
        return f"{key}: {REMOVED[key]}"
    hint = did_you_mean(key, field_names())
    return f"{key}: unknown parameter{hint or ''}; 'jobsim show SCENARIO' lists every parameter"


def _format_validation_error(err: ValidationError) -> str:
    msgs = []
    for e in err.errors():
        loc = e["loc"]
        if loc and loc[0] == "groups" and len(loc) > 1:
            msgs.append(group_error_message(e))
            continue
        field = ".".join(str(x) for x in loc) if loc else ""
        if e["type"] == "extra_forbidden":
            msgs.append(unknown_parameter_message(field))
            continue
        if not field:  # cross-field checks carry the field name in their text
            msgs.append(str(e["msg"]).removeprefix("Value error, "))
            continue
        info = field_info(field)
        got = e.get("input")
        msg = str(e["msg"]).removeprefix("Value error, ")
        msgs.append(f"{field}: {msg} (got {got!r}; expected {info['type']}"
                    + (f" in {info['unit']}" if info["unit"] and info["type"] in ("number", "integer") else "")
                    + ")")
    return "; ".join(msgs)


def make_scenario(values: dict[str, Any]) -> Scenario:
    """Build a validated scenario from a dict, raising :class:`ScenarioError` with one clear message."""
    if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
        raise ScenarioError("scenario: expected parameter names (text) and values")
    return Scenario(**values)


# ------------------------------------------------------------------ files

_COMMENT = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^#"]*?)\s*#\s*(.+?)\s*$')


def read_sources(text: str) -> dict[str, str]:
    """The trailing comment of each ``name = value  # comment`` line: where each value comes from."""
    out = {}
    for line in text.splitlines():
        m = _COMMENT.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with jobsim."""
    folder = resources.files("jobsim") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _builtin_text(name: str) -> str:
    return (resources.files("jobsim") / "scenarios" / f"{name}.toml").read_text(encoding="utf-8")


def scenario_text(name_or_path: str | os.PathLike) -> str:
    """The TOML text of a built-in scenario (by name) or of a file."""
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path).strip():
        raise ScenarioError(f"scenario: expected a built-in scenario name or the path of a TOML file, got "
                            f"{name_or_path!r}; built-in: {', '.join(builtin_names())}")
    if isinstance(name_or_path, str) and name_or_path in builtin_names():
        return _builtin_text(name_or_path)
    path = Path(name_or_path)
    if not path.exists():
        raise ScenarioError(f"scenario: no built-in scenario or file named {str(name_or_path)!r}; "
                            f"built-in: {', '.join(builtin_names()) or '(none installed)'}")
    return read_text_file(path, "scenario TOML file")


def parse_scenario(text: str, origin: str = "<text>") -> Scenario:
    """Parse and validate TOML text (origin names the file in error messages)."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{origin}: not valid TOML: {err}") from None
    for key, value in values.items():
        if isinstance(value, dict) or (isinstance(value, list) and key != "groups"):
            raise ScenarioError(f"{key}: tables and lists are not allowed in a scenario file (except "
                                "[[groups]]); write every parameter as 'name = value' at the top level")
    try:
        return make_scenario(values)
    except ScenarioError as err:
        raise ScenarioError(f"{origin}: {err}") from None


def load_scenario(name_or_path: str | Path, **changes: Any) -> Scenario:
    """A built-in scenario by name (``"laerkevej"``) or a TOML file, with optional changes.

    >>> load_scenario("ds_norm").caseload
    45.0
    """
    origin = str(name_or_path)
    scenario = parse_scenario(scenario_text(name_or_path), origin)
    return scenario.replace(**changes) if changes else scenario


def scenario_sources(name_or_path: str | Path) -> dict[str, str]:
    """Where each value of a scenario comes from: its file's comments, else the default's source.

    A value that differs from the default and has no comment is labelled "set in <file>".
    """
    text = scenario_text(name_or_path)
    scenario = parse_scenario(text, str(name_or_path))
    comments = read_sources(text)
    sources = {}
    for k in field_names():
        if k in comments:
            sources[k] = comments[k]
        elif getattr(scenario, k) != Scenario.model_fields[k].default:
            sources[k] = f"set in {name_or_path} (no source given)"
        else:
            sources[k] = field_info(k)["source"]
    return sources
