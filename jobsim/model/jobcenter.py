"""The jobcenter team: citizens arriving and leaving, booking, and the bookkeeping of outcomes.

One :class:`Jobcenter` is one replication. Its processes are

* ``arrivals``: citizens enter as a Poisson stream (rate from Little's law)
  and go to the caseworker with the fewest citizens; each leaves after an
  exponential stay (a timeout with a callback, no process of its own);
* one ``working_days`` process per caseworker (:mod:`jobsim.caseworker`).

The booking rule: the next conversation is due ``interval_days`` after the
last held one (``first_meeting_days`` after entry) and goes into the earliest
free slot no earlier than ``booking_lead_days`` before the due day (and never
earlier than tomorrow); after a no-show, no earlier than ``rebook_days``
later.
"""

from __future__ import annotations

import math
from operator import attrgetter

import numpy as np
import simpy
from scipy import stats

from . import streams as st
from .calendar import MINUTES_PER_DAY, WORKDAY_MINUTES
from .caseworker import R_CASEWORK, R_CONVERSATION, R_DAY, R_DOC, R_OVERTIME, R_PREP, R_PRESENT, R_WASTED, Caseworker
from .citizens import HELD, NO_SHOW, PENDING, WITHDRAWN, Citizen, Meeting
from .kpis import Accumulators
from .policies import PrepPolicy, get_policy

_HISTORY = 10
_PREFILL_HISTORY = 4  # booked conversations in the year before the run, for pre-filled citizens
#: Random numbers for this many bookings are drawn when a citizen is admitted, so each citizen's
#: bookings use the same numbers whatever happens to other citizens (common random numbers).
_BOOKING_DRAWS = 12
_EARLIEST_ARRIVAL = -30.0  # minutes before the slot: nobody comes earlier than this


class Jobcenter:
    """One replication of the model: build it, then :meth:`run` it."""

    def __init__(self, scenario, seed: int = 0, replication: int = 0, policy: PrepPolicy | None = None,
                 tables: bool = True, trace: bool = False):
        s = self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.policy = policy if policy is not None else get_policy(s.prep_policy)
        self.tables = tables
        self.trace: list | None = [] if trace else None
        self.env = simpy.Environment()
        self.run_days = s.run_days
        self.warm = s.warmup_days * MINUTES_PER_DAY
        self.end = self.run_days * MINUTES_PER_DAY
        self.end_day = self.run_days
        self.warm_day = s.warmup_days
        # constants used per conversation
        self.grace_minutes = s.grace_minutes
        self.min_conversation = s.min_conversation_minutes
        self.max_skim = max(0.0, s.slot_minutes - s.min_conversation_minutes)
        self.documentation_minutes = s.documentation_minutes
        self.confirm_share, self.false_confirm_share = s.confirm_share, s.false_confirm_share
        self.punctuality_mean, self.punctuality_sd = s.punctuality_mean_minutes, s.punctuality_sd_minutes
        self.interval_days, self.lead_days, self.rebook_days = s.interval_days, s.booking_lead_days, s.rebook_days
        self.workday_minutes = WORKDAY_MINUTES
        policy_cls = type(self.policy)
        self.prepares_ahead = policy_cls.prepare_ahead is not PrepPolicy.prepare_ahead
        self.skims = policy_cls.skim_after_checkin is not PrepPolicy.skim_after_checkin
        # an SMS reminder goes out under sms_reminders, or when the policy needs confirmations;
        # preparation ahead for such a policy starts when the reply is in (reminder_days before)
        self.sends_sms = s.sms_reminders or bool(getattr(self.policy, "sends_reminder", False))
        self.window_days = (min(s.prep_window_days, s.reminder_days) if getattr(self.policy, "sends_reminder", False)
                            else s.prep_window_days)
        self._streams(seed, replication)
        # one stream per caseworker, so absence days do not move when the team or run length changes
        self.absent = [(st.generator(seed, replication, f"absence/{w}").random(self.run_days + 1)
                        < s.absence_share).tolist() for w in range(s.workers)]
        self.acc = Accumulators()
        self.rows: list[list] = []
        self.meeting_rows: list[tuple] = []
        self.citizen_rows: list[tuple] = []
        self.population: dict[int, Citizen] = {}
        self.n_citizens = 0
        self._t_count = 0.0
        self._next_citizen = 0
        self._next_meeting = 0
        self.workers = [Caseworker(i, self) for i in range(s.workers)]

    def _streams(self, seed: int, replication: int) -> None:
        s = self.scenario

        def make(name, draw):
            return st.Stream(st.generator(seed, replication, name), draw)

        p, spread = s.noshow_probability, s.noshow_spread
        sms = (1.0 - s.sms_effect) if self.sends_sms else 1.0
        if 0 < p < 1 and spread > 0:
            k = p * (1 - p) / (spread * spread) - 1
            a, b = p * k, (1 - p) * k
            # inverse-CDF sampling keeps propensities coupled across scenario points (common random numbers)
            self.propensity = make("propensity", lambda rng, n: stats.beta.ppf(rng.random(n), a, b) * sms)
        else:
            self.propensity = lambda: p * sms
        self.prep_need = _lognormal(make, "prep_need", s.prep_minutes, s.prep_cv)
        self.conversation_need = _lognormal(make, "conversation_need", s.conversation_minutes, s.conversation_cv)
        self.stay = make("stays", st.exponential)
        self.interarrival = make("arrivals", st.exponential)
        self.u_attend = make("attendance", st.uniform)
        self.u_confirm = make("confirmation", st.uniform)
        self.z_punctual = make("punctuality", st.normal)
        self._seed, self._replication = seed, replication
        self.u_prefill = make("prefill", st.uniform)

    # ------------------------------------------------------------ running
    def run(self, prefill: bool = True, arrivals: bool = True) -> "Jobcenter":
        """Pre-fill the caseloads at steady state, then simulate warm-up and horizon.

        ``prefill=False, arrivals=False`` runs only the citizens admitted by hand
        with :meth:`admit` and :meth:`book` (used by the hand-traced tests).
        """
        env = self.env
        if prefill:
            self.prefill()
        for w in self.workers:
            env.process(w.working_days())
        if arrivals:
            env.process(self.arrivals())
        env.run(until=self.end)
        self.finish()
        return self

    def prefill(self) -> None:
        """Each worker starts with ``caseload`` citizens whose last conversations spread over the last interval."""
        s = self.scenario
        n = int(round(s.citizens))
        interval = s.interval_days * MINUTES_PER_DAY
        citizens = []
        for _ in range(n):
            last = -self.u_prefill() * interval
            c = self.admit(last, first_due_day=None)
            # a plausible attendance record of the last year, so history-based policies work from day one
            c.history = [self.u_prefill() >= c.propensity for _ in range(_PREFILL_HISTORY)]
            citizens.append(c)
        for c in sorted(citizens, key=attrgetter("last_held")):
            c.due_day = int(math.floor(c.last_held / MINUTES_PER_DAY)) + s.interval_days
            self.book(c, max(1, c.due_day - s.booking_lead_days))

    def arrivals(self):
        """SimPy process: citizens enter the team's caseload as a Poisson stream."""
        env = self.env
        mean_gap = MINUTES_PER_DAY / self.scenario.arrival_rate_per_day
        first = self.scenario.first_meeting_days
        while True:
            yield env.timeout(self.interarrival() * mean_gap)
            c = self.admit(env.now, first_due_day=first)
            today = int(env.now // MINUTES_PER_DAY)
            self.book(c, today + 1)

    def admit(self, entry: float, first_due_day: int | None, stay: float | None = None) -> Citizen:
        """A citizen joins the caseworker with the fewest citizens; their exit is scheduled.

        ``stay`` (minutes) overrides the random stay; ``math.inf`` means the citizen never leaves.
        """
        worker = min(self.workers, key=attrgetter("citizens"))
        if stay is None:
            stay = self.stay() * self.scenario.stay_days * MINUTES_PER_DAY
        c = Citizen(self._next_citizen, worker.index, entry, self.env.now + stay, self.propensity(),
                    self.prep_need(), self.conversation_need())
        k = _BOOKING_DRAWS
        c.draws = list(zip(self.u_attend.take(k), self.u_confirm.take(k), self.z_punctual.take(k)))
        self._next_citizen += 1
        if first_due_day is not None:
            c.due_day = int(entry // MINUTES_PER_DAY) + first_due_day
        worker.citizens += 1
        self._count_change(+1)
        self.population[c.id] = c
        if stay != math.inf:
            self.env.timeout(stay).callbacks.append(lambda _ev, c=c: self.leave(c))
        return c

    def _count_change(self, delta: int) -> None:
        now = self.env.now
        if now > self.warm:
            self.acc.caseload_area += self.n_citizens * (now - max(self._t_count, self.warm))
        self._t_count = now
        self.n_citizens += delta

    # ------------------------------------------------------------ booking
    def book(self, c: Citizen, earliest_day: int) -> Meeting:
        """Book the citizen's next conversation in their caseworker's diary."""
        m = Meeting(self._next_meeting, c, c.worker, self.env.now, c.due_day)
        self._next_meeting += 1
        worker = self.workers[c.worker]
        worker.diary.book(m, earliest_day)
        if not c.draws:
            c.draws = self._more_draws(c)
        u_attend, u_confirm, z_punctual = c.draws.pop()
        m.attends = attends = u_attend >= c.propensity
        m.confirmed = u_confirm < (self.confirm_share if attends else self.false_confirm_share)
        offset = self.punctuality_mean + self.punctuality_sd * z_punctual
        m.arrival_offset = (_EARLIEST_ARRIVAL if offset < _EARLIEST_ARRIVAL
                            else self.grace_minutes if offset > self.grace_minutes else offset)
        c.meeting = m
        if m.day <= worker.opened_until and self.prepares_ahead:
            worker.offer_prep(m)
        return m

    def _more_draws(self, c: Citizen) -> list[tuple[float, float, float]]:
        """A citizen with many bookings: further draws from a stream of their own."""
        rng = st.generator(self._seed, self._replication, f"bookings/{c.id}/{c.held + c.noshows}")
        k = _BOOKING_DRAWS
        return list(zip(rng.random(k).tolist(), rng.random(k).tolist(), rng.standard_normal(k).tolist()))

    def rebook_after_absence(self, m: Meeting, day: int) -> None:
        """The caseworker is away: the conversation moves to the earliest free slot from tomorrow."""
        m.rebooked += 1
        c = m.citizen
        worker = self.workers[m.worker]
        worker.diary.book(m, max(day + 1, c.due_day - self.lead_days))
        if m.day <= worker.opened_until and self.prepares_ahead:
            worker.offer_prep(m)

    # ------------------------------------------------------------ outcomes
    def held(self, m: Meeting) -> None:
        """A conversation took place: record it; the next one is due ``interval_days`` later."""
        c = m.citizen
        t = m.conversation_start
        m.outcome = HELD
        gap = (t - c.last_held) / MINUTES_PER_DAY
        m.gap_days = gap
        c.last_held = t
        c.held += 1
        history = c.history
        history.append(True)
        if len(history) > _HISTORY:
            del history[0]
        if gap > c.max_gap_days:
            c.max_gap_days = gap
        if m.start >= self.warm:
            acc = self.acc
            acc.held += 1
            acc.prep_sum += m.prep_done
            if m.prep_done >= c.prep_need - 1e-9:
                acc.prepared += 1
            acc.conversation_sum += m.conversation_minutes
            acc.wait_sum += m.conversation_start - m.checkin
            acc.gaps.append(gap)
            if gap > 365 and not c.no_contact_counted:
                c.no_contact_counted = True
                acc.no_contact += 1
            self._record(m)
        due = c.due_day
        today = m.day
        if self.warm_day <= due < self.end_day:  # the requirement this conversation meets
            self.acc.required += 1
            if today > due:
                self.acc.overdue += 1
        c.due_day = due = today + self.interval_days
        if c.present:
            earliest = due - self.lead_days
            self.book(c, earliest if earliest > today else today + 1)
        else:
            c.meeting = None

    def no_show(self, m: Meeting) -> None:
        """The citizen did not come within the grace period: rebook no earlier than ``rebook_days`` later."""
        c = m.citizen
        m.outcome = NO_SHOW
        c.noshows += 1
        _remember(c.history, False)
        self.workers[m.worker].waste_prep(m)
        if m.start >= self.warm:
            self.acc.noshows += 1
            self._record(m)
        if c.present:
            self.book(c, max(m.day + self.rebook_days, c.due_day - self.lead_days))
        else:
            c.meeting = None

    def leave(self, c: Citizen) -> None:
        """The citizen's stay ends: a booked conversation is withdrawn; open gaps are closed."""
        now = self.env.now
        c.present = False
        worker = self.workers[c.worker]
        worker.citizens -= 1
        self._count_change(-1)
        m = c.meeting
        if m is not None and m.outcome == PENDING and m.start > now:
            worker.close_prep_task(m)
            worker.diary.release(m, int(now // MINUTES_PER_DAY))
            m.outcome = WITHDRAWN
            worker.waste_prep(m)
            c.meeting = None
            if now >= self.warm:
                self._record(m)
        if now >= self.warm:
            self._open_gap(c, now)
            if c.due_day < int(now // MINUTES_PER_DAY):
                self._requirement_resolved(c, late=True)
        if self.tables:
            self._record_citizen(c, now)
        del self.population[c.id]

    def _requirement_resolved(self, c: Citizen, late: bool) -> None:
        if self.warm_day <= c.due_day < self.end_day:
            self.acc.required += 1
            if late:
                self.acc.overdue += 1

    def _open_gap(self, c: Citizen, now: float) -> None:
        gap = (now - c.last_held) / MINUTES_PER_DAY
        if gap > c.max_gap_days:
            c.max_gap_days = gap
        if gap > 365 and not c.no_contact_counted:
            c.no_contact_counted = True
            self.acc.no_contact += 1

    def casework_closed(self, bucket: list) -> None:
        """A week's casework is finished or past its deadline: count it if it belongs to the horizon."""
        created, demand, done, deadline = bucket
        if created >= self.warm and deadline <= self.end:
            self.acc.casework_demand += demand
            self.acc.casework_done += min(done, demand)  # chunks can add up to a rounding error more

    def add_row(self, row: list) -> None:
        """A new worker-day; rows before the horizon are not kept."""
        if row[R_DAY] >= self.warm_day:
            self.rows.append(row)
            if not self.tables and len(self.rows) > 64 * self.scenario.workers:
                self._fold_rows(len(self.rows) - 16 * self.scenario.workers)

    def _fold_rows(self, n: int) -> None:
        """Add the first ``n`` worker-day rows to the totals and forget them (tables=False)."""
        acc = self.acc
        rows = self.rows
        for row in rows[:n]:
            acc.present += row[R_PRESENT]
            acc.busy += row[R_CONVERSATION] + row[R_PREP] + row[R_WASTED] + row[R_DOC] + row[R_CASEWORK]
            acc.wasted += row[R_WASTED]
            acc.overtime += row[R_OVERTIME]
        self.rows = rows[n:]

    # ------------------------------------------------------------ records
    def _record(self, m: Meeting) -> None:
        if self.tables:
            c = m.citizen
            self.meeting_rows.append((
                m.id, c.id, m.worker, m.booked / MINUTES_PER_DAY, m.due_day, m.day, m.slot, m.start, m.outcome,
                m.outcome == HELD, m.checkin, m.conversation_start, m.prep_done, c.prep_need,
                m.prep_done >= c.prep_need - 1e-9 if m.outcome == HELD else False,
                m.conversation_minutes, m.gap_days, m.outcome == HELD and m.day > m.due_day, m.rebooked,
                m.confirmed))

    def _record_citizen(self, c: Citizen, now: float) -> None:
        if c.present and now < self.warm:
            return
        self.citizen_rows.append((
            c.id, c.worker, c.entry / MINUTES_PER_DAY, c.exit / MINUTES_PER_DAY if not c.present else math.nan,
            c.propensity, c.prep_need, c.conversation_need, c.held, c.noshows, c.last_held / MINUTES_PER_DAY,
            c.max_gap_days, c.no_contact_counted))

    def finish(self) -> None:
        """End of the horizon: open gaps, unresolved requirements, pending bookings, casework and totals."""
        end = self.end
        self._count_change(0)
        for w in self.workers:
            for task in list(w.tasks):
                if task[2] == 2:  # casework
                    if task[3] <= end:
                        self.casework_closed(task[4])
        pending = []
        for w in self.workers:
            for slots in w.diary.days.values():
                pending.extend(m for m in slots if m is not None and m.outcome == PENDING)
        for m in sorted(pending, key=attrgetter("id")):
            self._record(m)
        for c in self.population.values():
            self._open_gap(c, end)
            if c.due_day < self.end_day:  # the requirement is still open and past due
                self._requirement_resolved(c, late=True)
            if self.tables:
                self._record_citizen(c, end)
        kept = self.rows
        self._fold_rows(len(kept))
        if self.tables:
            self.rows = kept


def _remember(history: list, attended: bool) -> None:
    history.append(attended)
    if len(history) > _HISTORY:
        del history[0]


def _lognormal(make, name: str, mean: float, cv: float):
    """A stream of lognormal needs with the given mean (minutes) and coefficient of variation."""
    if cv <= 0 or mean <= 0:
        return lambda: mean
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    return make(name, lambda rng, n: np.exp(mu + sigma * rng.standard_normal(n)))
