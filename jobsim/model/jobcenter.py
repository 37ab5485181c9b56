"""The jobcenter team: citizens arriving and leaving, booking, and what follows each conversation.

One :class:`Jobcenter` is one replication, made of SimPy processes:

* arrivals (:meth:`Jobcenter.arrivals`): citizens enter as a Poisson stream (rate from Little's law)
  and go to the caseworker with the fewest citizens;
* each citizen (:meth:`Jobcenter.citizen`): on the caseload until the stay ends, then leaves; the citizen's
  side of a booked slot (check in, or not come) is :meth:`Jobcenter.checkin`;
* each caseworker's working days (:meth:`jobsim.model.caseworker.Caseworker.working_days`).

The booking rule (:func:`earliest_booking_day`): the next conversation is due
``interval_days`` after the last held one (``first_meeting_days`` after
entry) and goes into the earliest free slot no earlier than
``booking_lead_days`` before the due day (and never earlier than tomorrow);
after a no-show, no earlier than ``rebook_days`` later.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from heapq import heappop, heappush
from operator import attrgetter

import numpy as np
import simpy

from . import streams as st
from .calendar import DAY_START, MINUTES_PER_DAY, MINUTES_PER_WEEK
from .caseworker import Caseworker
from .citizens import ALREADY_THERE, HELD, NO_SHOW, PENDING, WITHDRAWN, Booking, Citizen, ExitClock
from .collector import paused_collection
from .groups import effective_groups
from .leadbands import band_odds_ratios, banded_propensity
from .ledger import Ledger
from .policies import PrepPolicy, get_policy, policy_traits
from .rules import (
    ACTIVITY_READY_2019,
    LAB_2020,
    LAB_INTENSIVE_DAYS,
    first_due_days,
    next_gap_days,
)
from .scenario import ScenarioValues
from .team import TeamLoads

_PREFILL_HISTORY = 4  # booked conversations in the year before the run, for pre-filled citizens
_EARLIEST_ARRIVAL = -30.0  # minutes before the slot: nobody comes earlier than this

#: The moments a booking is made (see :func:`earliest_booking_day`).
ENTRY, PREFILL, AFTER_HELD, AFTER_NO_SHOW, MOVED_FOR_ABSENCE = "entry", "prefill", "held", "no_show", "absence"
#: Bookings made at these moments may take reserved slots (``reserved_slots_per_day``).
PRIORITY_MOMENTS = frozenset({ENTRY, AFTER_NO_SHOW, MOVED_FOR_ABSENCE})
#: ``admit(first_due_day=BY_RULE)``: the first conversation is due when the citizen's legal rule says.
BY_RULE = -1


def earliest_booking_day(moment: str, day: int, plan_day: int, scenario) -> int:
    """The earliest day a booking may take, as in the booking table of docs/model.md.

    ``day`` is the day it happens (entry, the conversation held or missed,
    the day the caseworker is away); ``plan_day`` the day the citizen's next conversation is planned for:
    their due day, or earlier under a contact plan (``contact_interval_days``). "due" below is that day.

    ============================  =======================================================
    moment                        earliest day
    ============================  =======================================================
    entry                         tomorrow
    pre-filled at the start       max(1, due - booking_lead_days)
    conversation held on day d    max(d + 1, due - booking_lead_days)
    no-show on day d              max(d + rebook_days, due - booking_lead_days)
    caseworker absent on day d    max(d + 1, due - booking_lead_days)
    ============================  =======================================================

    >>> from jobsim.model.scenario import Scenario
    >>> earliest_booking_day(AFTER_NO_SHOW, 100, 110, Scenario())   # rebook_days 7, lead 14
    107
    """
    if moment == ENTRY:
        return day + 1
    lead = plan_day - scenario.booking_lead_days
    # max(first, lead), written out (this is called for every booking)
    first = day + scenario.rebook_days if moment == AFTER_NO_SHOW else 1 if moment == PREFILL else day + 1
    return lead if lead > first else first


class Jobcenter:
    """One replication of the model: build it, then :meth:`run` it.

    ``ledger`` holds what was measured (:mod:`jobsim.model.ledger`).
    """

    def __init__(self, scenario, seed: int = 0, replication: int = 0, policy: PrepPolicy | None = None,
                 tables: bool = True, trace: bool = False):
        self.scenario = scenario
        #: the scenario's values as plain attributes (the model's hot paths read these; see ScenarioValues)
        s = self.values = ScenarioValues(scenario)
        self.seed = seed
        self.replication = replication
        self.policy = policy if policy is not None else get_policy(s.prep_policy)
        self.traits = policy_traits(self.policy, scenario)
        self.tables = tables
        self.trace: list | None = [] if trace else None
        #: SimPy events processed by the run, counted when the run keeps its tables (see _run_counting), else 0
        self.events = 0
        self.env = simpy.Environment()
        self.exit_days = ExitDays(self.env)
        self.ledger = Ledger(s.warmup_days, s.run_days, s.workers, tables, sms=self.traits.sends_sms)
        self.groups = effective_groups(scenario)
        self._planned = s.planned_interval_days   # days between planned conversations (a property, kept)
        #: the hazard ratio of leaving after a held conversation, or None when stays do not respond
        self.exit_effect = s.exit_effect if s.exit_effect != 1.0 else None
        #: contact outside the diary reaches the caseworkers (else no process is started for it)
        self.has_contacts = (s.citizen_contacts_per_week > 0 or s.employer_contacts_per_week > 0
                             or s.network_meetings_per_citizen_year > 0)
        #: the lead bands' odds ratios (None: no band effect; see jobsim.model.leadbands)
        self.lead_band_odds = band_odds_ratios(s)
        #: follow-up by need (Odense's exemption): needs waiting for their day, as a heap of
        #: (day the citizen may be booked, citizen id, citizen); see :meth:`need_planning`
        self.by_need = s.followup_by == "need"
        self.needs: list = []
        self._streams(seed, replication)
        self.population: dict[int, Citizen] = {}
        self._next_citizen = 0
        self._next_booking = 0
        self.caseworkers = [
            Caseworker(i, self.env, scenario, self.policy, self.traits, self.ledger, self,
                       # one stream per caseworker, so absence days do not move when the team or run length changes
                       (st.generator(seed, replication, f"absence/{i}").random(s.run_days + 1)
                        < s.absence_share).tolist(),
                       self.trace, values=s)
            for i in range(s.workers)]
        if self.casework_by_group:
            for caseworker in self.caseworkers:
                caseworker.casework_load = 0.0
        #: who has the fewest citizens (a new citizen joins them)
        self.loads = TeamLoads(self.caseworkers)

    def _streams(self, seed: int, replication: int) -> None:
        s = self.values

        def make(name, draw):
            return st.Stream(st.generator(seed, replication, name), draw).next

        sms = (1.0 - s.sms_effect) if self.traits.sends_sms else 1.0
        # each group draws its citizens' propensities and needs from streams of its own; without groups the
        # streams keep the names they had before groups existed, so results do not move
        self.u_group = make("group", st.uniform) if s.groups else None
        self.cumulative_shares = list(np.cumsum([g.share for g in self.groups]))
        self.group_streams = []
        for g in self.groups:
            suffix = f"/{g.name}" if s.groups else ""
            self.group_streams.append((
                st.propensity_stream(make, "propensity" + suffix, g.noshow_probability, g.noshow_spread, sms),
                st.lognormal_stream(make, "prep_need" + suffix, g.prep_minutes, s.prep_cv),
                st.lognormal_stream(make, "conversation_need" + suffix, g.conversation_minutes, s.conversation_cv)))
        self.casework_by_group = any(g.casework_minutes != s.casework_minutes for g in self.groups)
        # pre-filled citizens under a rule that counts from entry are given an age on the caseload
        self.u_age = make("prefill_age", st.exponential) if any(g.rule == LAB_2020 for g in self.groups) else None
        self.stay = make("stays", st.exponential)
        self.interarrival = make("arrivals", st.exponential)
        # each citizen's attendance, confirmation and punctuality draws, one triple per booking
        self.booking_draws = st.BookingDraws(seed, replication)
        self.u_prefill = make("prefill", st.uniform)
        # drawn only when follow-up goes by need, so other scenarios' streams do not move
        if self.by_need:
            self.need_gap = make("need_interval", st.exponential)
            self.u_urgency = make("need_urgency", st.uniform)

    # ------------------------------------------------------------ running
    def run(self, prefill: bool = True, arrivals: bool = True) -> Jobcenter:
        """Pre-fill the caseloads at steady state, then simulate warm-up and horizon.

        ``prefill=False, arrivals=False`` runs only the citizens admitted by hand
        with :meth:`admit` and :meth:`book` (used by the hand-traced tests).
        """
        env = self.env
        with paused_collection():
            if prefill:
                self.prefill()
            for caseworker in self.caseworkers:
                env.process(caseworker.working_days())
            if self.has_contacts:
                for caseworker in self.caseworkers:
                    # one stream per caseworker, so contact does not move when the team changes
                    env.process(caseworker.contacts(st.generator(self.seed, self.replication,
                                                                 f"contacts/{caseworker.index}")))
            env.process(self.exit_days.opening())
            if self.by_need:
                env.process(self.need_planning())
            if arrivals:
                env.process(self.arrivals())
            if self.tables:
                self.events = _run_counting(env, self.ledger.run_end)
            else:   # speed, labelled: counting costs 2% of a run; sweeps keep neither tables nor the count
                env.run(until=self.ledger.run_end)
            self.finish()
        return self

    def prefill(self) -> None:
        """Each caseworker starts with ``caseload`` citizens whose last conversations spread over the last interval."""
        s = self.values
        n = int(round(s.citizens))
        citizens = []
        planned = self._planned
        steady: dict[str, int] = {}     # the steady legal gap of each rule
        u_prefill = self.u_prefill
        only_group = self.groups[0] if self.u_group is None else None
        for _ in range(n):
            g = only_group if only_group is not None else self._pick_group()
            gap = steady.get(g.rule)
            if gap is None:
                gap = steady[g.rule] = self._steady_gap(g.rule)
            since, age = 1, None
            if self.u_age is not None and g.rule == LAB_2020:
                age, since, gap = self._lab_age()
            if self.by_need:   # steady state of exponential needs: the time since the last one is exponential too
                last = math.log(1.0 - u_prefill()) * (s.need_interval_days * MINUTES_PER_DAY)
            else:
                last = -u_prefill() * ((gap if gap < planned else planned) * MINUTES_PER_DAY)
            if age is not None:
                last = max(last, -age * MINUTES_PER_DAY)
                c = self.admit(-age * MINUTES_PER_DAY, first_due_day=None, group=g)
                c.last_held = last
            else:
                c = self.admit(last, first_due_day=None, group=g)
            c.since_entry = since
            # a plausible attendance record of the last year, so history-based policies work from day one
            p = c.propensity
            c.history = history = []
            for _ in range(_PREFILL_HISTORY):
                history.append(u_prefill() >= p)
            citizens.append(c)
        for c in sorted(citizens, key=attrgetter("last_held")):
            last_day = int(math.floor(c.last_held / MINUTES_PER_DAY))
            self._set_due(c, last_day)
            if self.by_need:   # pre-filled citizens have had their first conversation
                self._next_need(c, last_day)
            else:
                self.book(c, earliest_booking_day(PREFILL, 0, c.plan_day, s), priority=False)

    def _pick_group(self):
        """The group of an entering citizen, drawn with the groups' shares of the inflow."""
        if self.u_group is None:
            return self.groups[0]
        i = bisect_right(self.cumulative_shares, self.u_group())
        return self.groups[min(i, len(self.groups) - 1)]

    def _steady_gap(self, rule: str) -> int:
        """The legal gap between conversations after any period counted from entry (days)."""
        return next_gap_days(rule, self.values, entry_day=-LAB_INTENSIVE_DAYS, held=99, today=0)

    def _lab_age(self) -> tuple[float, int, int]:
        """A pre-filled citizen under the 2020 law: days on the caseload so far (the stock's age is exponential
        like the stays), conversations held since entry (on an even plan, at least the first), legal gap."""
        s = self.values
        age = self.u_age() * s.stay_days
        first = first_due_days(LAB_2020, s)
        if age >= LAB_INTENSIVE_DAYS:
            return age, 4, s.interval_days
        even = next_gap_days(LAB_2020, s, entry_day=0, held=1, today=first)
        return age, min(3, 1 + int(max(0.0, age - first) // even)), even

    def _set_due(self, c: Citizen, today: int) -> None:
        """After a conversation on ``today``: the day the law requires the next (its due day) and the day the
        contact plan aims for (never later than the due day)."""
        s = self.values
        rule = c.group.rule
        gap = s.interval_days if rule == ACTIVITY_READY_2019 else \
            next_gap_days(rule, s, int(c.entry // MINUTES_PER_DAY), c.since_entry, today)
        c.due_day = today + gap
        planned = self._planned
        c.plan_day = today + (planned if planned < gap else gap)

    def arrivals(self):
        """Citizens enter the team's caseload as a Poisson stream (the rate from Little's law), a SimPy process:
        each joins the caseworker with the fewest citizens (:meth:`admit`) and books a first conversation."""
        env = self.env
        mean_gap = MINUTES_PER_DAY / self.values.arrival_rate_per_day   # minutes between arrivals, on average
        while True:
            yield env.timeout(self.interarrival() * mean_gap)
            now = env.now
            c = self.admit(now, first_due_day=BY_RULE)
            self.book(c, earliest_booking_day(ENTRY, int(now // MINUTES_PER_DAY), c.plan_day, self.values), now=now)

    def checkin(self, booking: Booking, grace: float):
        """The citizen's side of a booked slot, when the caseworker turns to it: an event at the citizen's
        check-in, value True (they arrive with the punctuality noise drawn at booking; one who came early is
        there already), or, for a citizen who does not come, at the end of ``grace`` minutes, value False.

        Speed trick (measured in benchmarks/simpy_anchor.py): a timeout with a value rather than a process of
        its own, since the citizen does nothing in between (a process would cost two more events per slot);
        and a citizen who is there already is no event at all (:data:`ALREADY_THERE`, which the caseworker
        does not yield).
        """
        env = self.env
        if not booking.attends:
            return env.timeout(grace, False)
        arrival = booking.start + booking.arrival_offset
        booking.checkin = arrival
        if arrival > env.now:
            return env.timeout(arrival - env.now, True)
        return ALREADY_THERE

    def admit(self, entry: float, first_due_day: int | None, stay: float | None = None, group=None) -> Citizen:
        """A citizen joins the caseworker with the fewest citizens; their exit is scheduled.

        ``first_due_day``: days from entry to the first conversation's due day (``BY_RULE``: as the citizen's
        legal rule says), or None for a pre-filled citizen. ``stay`` (minutes) overrides the random stay;
        ``math.inf`` means the citizen never leaves. ``group`` is drawn with the groups' shares if not given.
        """
        now = self.env.now
        caseworker = self.loads.least_loaded()
        s = self.values
        if group is None:
            group = self.groups[0] if self.u_group is None else self._pick_group()
        if stay is None:
            stay = self.stay() * s.stay_days * MINUTES_PER_DAY
        propensity, prep_need, conversation_need = self.group_streams[group.index]
        c = Citizen(self._next_citizen, caseworker.index, entry, now + stay, propensity(),
                    prep_need(), conversation_need(), group)
        c.draws = self.booking_draws.for_citizen()
        self._next_citizen += 1
        if first_due_day is not None:
            c.new = True
            if first_due_day == BY_RULE:
                first_due_day = first_due_days(group.rule, s)
            c.due_day = c.plan_day = int(entry // MINUTES_PER_DAY) + first_due_day
        caseworker.citizens += 1
        self.loads.changed(caseworker)
        if caseworker.casework_load is not None:
            caseworker.casework_load += group.casework_minutes
        self.ledger.caseload_change(now, +1)
        self.population[c.id] = c
        c.exit_at = now + stay
        if self.exit_effect is not None and stay != math.inf:
            c.exit_clock = ExitClock(stay, now)
        c.path = self.env.process(self.citizen(c))
        return c

    def citizen(self, c: Citizen):
        """A citizen's path on the caseload, a SimPy process.

        They have entered (:meth:`admit`: the caseworker with the fewest citizens; :meth:`book`: the first
        conversation). Each booked conversation happens in the caseworker's day
        (:meth:`~jobsim.model.caseworker.Caseworker.slot`: the citizen checks in or does not come
        (:meth:`checkin`), the skim, the conversation), and what follows it here (:meth:`held`,
        :meth:`no_show`: the next booking). The stay ends at :attr:`~Citizen.exit_at` (minutes); under
        ``exit_effect`` a held conversation moves it and interrupts this wait (:meth:`_followed_up`). Then
        the citizen leaves (:meth:`leave`): a booking not yet started is withdrawn, one under way is finished
        first.
        """
        env = self.env
        while c.exit_at != math.inf:
            try:
                eve = self.exit_days.eve(c.exit_at)
                if eve is not None:   # (speed: wait on the day before's shared event, see ExitDays)
                    yield eve
                yield env.timeout(c.exit_at - env.now)
                self.leave(c)
                return
            except simpy.Interrupt:   # the end of the stay moved
                pass

    def _followed_up(self, c: Citizen, now: float) -> None:
        """A conversation was held at minute ``now``: the hazard of leaving is ``exit_effect`` times the base for
        the next ``exit_effect_days``; the end of the stay moves (the citizen's wait is interrupted)."""
        clock = c.exit_clock
        if clock is None:
            return
        c.exit_at = clock.followed_up(now, self.exit_effect, self.values.exit_effect_days * MINUTES_PER_DAY)
        c.path.interrupt()

    # ------------------------------------------------------------ booking
    def book(self, c: Citizen, earliest_day: int, priority: bool = True, now: float | None = None) -> Booking:
        """Book the citizen's next conversation in their caseworker's diary, from ``earliest_day``, at minute
        ``now`` (default: the simulation's clock).

        ``priority`` bookings (first conversations, rebookings) may take reserved slots. A first conversation
        needs ``first_conversation_minutes`` (the citizen's need, scaled) and takes several slots if longer
        than one.
        """
        s = self.values
        if now is None:
            now = self.env.now
        u_attend, u_confirm, z_punctuality = self.booking_draws.next(c)
        attends = u_attend >= c.propensity
        offset = s.punctuality_mean_minutes + s.punctuality_sd_minutes * z_punctuality
        b = Booking(self._next_booking, c, c.caseworker, now, c.due_day, attends,
                    u_confirm < (s.confirm_share if attends else s.false_confirm_share),
                    _EARLIEST_ARRIVAL if offset < _EARLIEST_ARRIVAL
                    else s.grace_minutes if offset > s.grace_minutes else offset)
        self._next_booking += 1
        length = 1
        if c.new and c.held == 0:
            b.first = True
            g = c.group
            if g.first_conversation_minutes > 0:
                b.conversation_need = _scaled(c.conversation_need, g.first_conversation_need_factor,
                                              g.first_conversation_minutes, g.conversation_minutes)
                length = max(1, math.ceil(g.first_conversation_minutes / s.slot_minutes - 1e-9))
            if g.first_prep_minutes > 0:
                b.prep_need = _scaled(c.prep_need, g.first_prep_need_factor, g.first_prep_minutes, g.prep_minutes)
        c.booking = b
        caseworker = self.caseworkers[c.caseworker]
        diary = caseworker.diary
        # today matters only for reserved slots (ordinary bookings may take them the day before)
        diary.book(b, earliest_day, int(now // MINUTES_PER_DAY) if diary.reserved else -1, priority, length)
        if s.noshow_lead_odds_ratio != 1.0:
            b.attends = u_attend >= _lead_propensity(c.propensity, b.day - earliest_day, s.noshow_lead_odds_ratio)
        elif self.lead_band_odds is not None:   # the lead a booking log would show: slot day less booking day
            b.attends = u_attend >= banded_propensity(c.propensity, b.day - int(now // MINUTES_PER_DAY),
                                                      self.lead_band_odds)
        if b.attends != attends:   # the confirmation follows attendance as the lead left it
            b.confirmed = u_confirm < (s.confirm_share if b.attends else s.false_confirm_share)
        if b.day <= caseworker.opened_until:   # inside the preparation window (opened only by policies that prepare)
            caseworker.offer_prep(b)
        return b

    def move_for_absence(self, b: Booking, day: int) -> None:
        """The caseworker is away (or the day ran out): the conversation moves to the earliest free slot from
        tomorrow, no earlier than the plan allows (under follow-up by need, from tomorrow: the need is there)."""
        b.rebooked += 1
        earliest = day + 1 if self.by_need and b.citizen.need_day is not None else \
            earliest_booking_day(MOVED_FOR_ABSENCE, day, b.citizen.plan_day, self.values)
        self.caseworkers[b.caseworker].take_booking(b, earliest)

    # ------------------------------------------------------------ outcomes
    def held(self, b: Booking, now: float) -> None:
        """A conversation took place, ending at minute ``now``: record it; the next one is due ``interval_days``
        later."""
        c = b.citizen
        t = b.conversation_start
        b.outcome = HELD
        began = c.last_held
        gap = (t - began) / MINUTES_PER_DAY
        b.gap_days = gap
        c.last_held = t
        held = c.held = c.held + 1
        c.since_entry += 1
        c.remember(True)
        if gap > c.max_gap_days:
            c.max_gap_days = gap
        ledger = self.ledger
        ledger.conversation_held(b, gap, held == 1 and c.new, began)
        today = b.day
        ledger.requirement(c.due_day, today)   # the requirement this conversation meets
        self._set_due(c, today)
        if self.exit_effect is not None and not c.leaving:
            self._followed_up(c, now)
        if self.by_need:   # the law's due day is only the yardstick: the next conversation waits for a need
            if c.need_day is not None:
                ledger.need_met(b, today - c.need_day)
                c.need_day = None
            self._next_after_slot(c, None, False, now)
            if c.present and not c.leaving:
                self._next_need(c, today)
            return
        self._next_after_slot(c, earliest_booking_day(AFTER_HELD, today, c.plan_day, self.values), False, now)

    def no_show(self, b: Booking, now: float) -> None:
        """The citizen did not come within the grace period (over at minute ``now``): rebook no earlier than
        ``rebook_days`` later."""
        c = b.citizen
        b.outcome = NO_SHOW
        c.noshows += 1
        c.remember(False)
        self.ledger.prep_wasted(b, withdrawn=False)
        self.ledger.no_show(b)
        if self.by_need and not (c.new and c.held == 0):
            # the need stays: back on the list a rebooking later (a missed first conversation is rebooked as under
            # the rules, below: it is still due within first_meeting_days)
            self._next_after_slot(c, None, True, now)
            if c.present and not c.leaving:
                if c.need_day is None:
                    c.need_day, c.urgency = b.day, self.u_urgency()
                heappush(self.needs, (b.day + self.values.rebook_days, c.id, c))
            return
        self._next_after_slot(c, earliest_booking_day(AFTER_NO_SHOW, b.day, c.plan_day, self.values), True, now)

    def _next_after_slot(self, c: Citizen, earliest_day: int | None, priority: bool, now: float) -> None:
        """After a slot, over at minute ``now``: the next booking from ``earliest_day`` (None: no follow-up is
        planned), or, if the citizen's stay ended during the slot, they leave at ``now``."""
        if c.leaving:
            c.booking = None
            self._depart(c)
        elif c.present and earliest_day is not None:
            self.book(c, earliest_day, priority, now)
        else:
            c.booking = None

    # ------------------------------------------------------------ follow-up by need
    def _next_need(self, c: Citizen, today: int) -> None:
        """After a conversation held on ``today`` (followup_by = need): the day the caseworker will next judge
        that the citizen needs one (exponential, mean ``need_interval_days``) and how urgent it will be."""
        day = today + max(1, math.ceil(self.need_gap() * self.values.need_interval_days))
        c.need_day, c.urgency = day, self.u_urgency()
        heappush(self.needs, (day, c.id, c))

    def need_planning(self):
        """Follow-up by need, a SimPy process: each Monday at 8:00 every caseworker takes the citizens whose need
        has arisen, most urgent first (then the longest waiting), and books each into the earliest free slot
        from tomorrow, as long as that slot lies within ``need_planning_days``; the rest wait for the next Monday.

        Capacity is the diary's: first conversations (booked at entry) and rebookings share it. When needs
        arise faster than the free slots, the least urgent wait longest.
        """
        env, s, needs = self.env, self.values, self.needs
        waiting: list[list[Citizen]] = [[] for _ in self.caseworkers]
        week = int(env.now // MINUTES_PER_WEEK)
        while True:
            yield env.timeout(week * MINUTES_PER_WEEK + DAY_START - env.now)
            today = week * 7
            while needs and needs[0][0] <= today:
                c = heappop(needs)[2]
                waiting[c.caseworker].append(c)
            for caseworker, queue in zip(self.caseworkers, waiting):
                # who left, or was booked meanwhile (a first conversation rebooked), is no longer waiting
                queue[:] = [c for c in queue if c.present and not c.leaving and c.booking is None]
                queue.sort(key=_by_urgency)
                booked = 0
                for c in queue:
                    if caseworker.diary.first_free_day(today + 1) > today + s.need_planning_days:
                        break
                    self.book(c, today + 1, priority=False)
                    booked += 1
                del queue[:booked]
            week += 1

    def leave(self, c: Citizen) -> None:
        """The citizen's stay ends: a booking not yet started is withdrawn; open gaps are closed.

        A citizen whose stay ends during their slot (checked in, waited for, or in the
        conversation) leaves when the slot is over.
        """
        if c.leaving:   # their slot's outcome is known: they leave when it is over
            return
        b = c.booking
        if b is not None and b.outcome == PENDING and b.start <= self.env.now:
            c.leaving = True
            return
        self._depart(c)

    def _depart(self, c: Citizen) -> None:
        now = self.env.now
        ledger = self.ledger
        c.present = False
        c.exit = now
        caseworker = self.caseworkers[c.caseworker]
        caseworker.citizens -= 1
        self.loads.changed(caseworker)
        if caseworker.casework_load is not None:
            caseworker.casework_load = max(0.0, caseworker.casework_load - c.group.casework_minutes)
        ledger.caseload_change(now, -1)
        b = c.booking
        if b is not None and b.outcome == PENDING and b.start > now:
            caseworker.withdraw(b, int(now // MINUTES_PER_DAY))
            b.outcome = WITHDRAWN
            ledger.prep_wasted(b, withdrawn=True)
            c.booking = None
            if now >= ledger.horizon_start:
                ledger.record_booking(b)
        if now >= ledger.horizon_start:
            ledger.open_gap(c, now)
            today = int(now // MINUTES_PER_DAY)
            if c.due_day < today:
                ledger.requirement(c.due_day, today)
        ledger.record_citizen(c, now)
        del self.population[c.id]

    def finish(self) -> None:
        """End of the horizon: open gaps, unresolved requirements, pending bookings, casework and totals."""
        ledger = self.ledger
        end = ledger.run_end
        ledger.caseload_change(end, 0)
        for caseworker in self.caseworkers:
            for bucket in caseworker.desk.open_casework():
                if bucket.deadline <= end:
                    ledger.casework_closed(bucket)
            for task in caseworker.desk.open_kept():   # still open at the end: late if already due
                ledger.task_done(task.kind, task.deadline, math.inf)
        pending = [b for cw in self.caseworkers for b in cw.diary.bookings() if b.outcome == PENDING]
        for b in sorted(pending, key=attrgetter("id")):
            ledger.record_booking(b)
        for c in self.population.values():
            if self.by_need and c.need_day is not None and c.need_day < ledger.run_days and c.booking is None:
                ledger.totals.needs_waiting_at_end += 1
            ledger.open_gap(c, end)
            if c.due_day < ledger.run_days:  # the requirement is still open and past due
                ledger.requirement(c.due_day, ledger.run_days)
            ledger.record_citizen(c, end)
        ledger.close()


class ExitDays:
    """The days on which stays end: one SimPy event per day, shared by every citizen whose stay ends the day
    after, triggered at the start of that day before (:meth:`opening`).

    Speed part, labelled: a citizen's process waits on it (:meth:`eve`) and only then for the minute the stay
    ends, so SimPy's event queue holds a day or two of exits rather than one per citizen on the caseload (at
    500 caseworkers a queue of 41,000 exits made each event cost twice as much; benchmarks/team_size_benchmark.py).
    The minute is the same either way: a day start is a whole number of minutes, so ``start + (at - start)``
    is exactly ``at``.
    """

    def __init__(self, env: simpy.Environment):
        self.env = env
        self.days: dict[int, simpy.Event] = {}   # day before the stays end -> its event

    def eve(self, minute: float) -> simpy.Event | None:
        """The event at the start of the day before ``minute``'s day, or None if that day has begun."""
        day = int(minute // MINUTES_PER_DAY) - 1
        if day * MINUTES_PER_DAY <= self.env.now:
            return None
        event = self.days.get(day)
        if event is None:
            event = self.days[day] = self.env.event()
        return event

    def opening(self):
        """A SimPy process: at each midnight, the day's event is triggered."""
        env = self.env
        day = int(env.now // MINUTES_PER_DAY)
        while True:
            day += 1
            yield env.timeout(day * MINUTES_PER_DAY - env.now)
            event = self.days.pop(day, None)
            if event is not None:
                event.succeed()


def _by_urgency(c: Citizen) -> tuple[float, int, int]:
    """Order of the need list: most urgent first, then the need that arose first, then the citizen's number."""
    return -c.urgency, c.need_day, c.id


def _run_counting(env: simpy.Environment, until: float) -> int:
    """``env.run(until=until)``, counting the events processed on the way (SimPy keeps no public count).

    The loop is SimPy's own (``step`` until the next event is at ``until`` or later); the last call only moves
    the clock to ``until`` and processes what SimPy's ``run`` would still process there (urgent events at
    ``until`` scheduled before its stop event).
    """
    step, peek = env.step, env.peek
    events = 0
    while peek() < until:
        step()
        events += 1
    env.run(until=until)
    return events


def _scaled(need: float, factor: float, first: float, mean: float) -> float:
    """A citizen's ``need`` (minutes) scaled by ``factor`` = ``first`` / ``mean`` for a first conversation; as
    ``first`` x (``need`` / ``mean``) when the factor overflows (a mean need of a denormal number of minutes, where
    the citizen's need is 0 and 0 x inf would be NaN)."""
    return need * factor if factor != math.inf else first * (need / mean)


def _lead_propensity(p: float, extra_days: int, odds_ratio: float) -> float:
    """A no-show propensity ``p`` whose odds are multiplied by ``odds_ratio`` per 30 ``extra_days`` of lead."""
    if extra_days <= 0 or p <= 0.0 or p >= 1.0:
        return p
    odds = p / (1.0 - p) * odds_ratio ** (extra_days / 30.0)
    return odds / (1.0 + odds)
