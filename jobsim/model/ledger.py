"""All measurement of a run: the warm-up filter, running totals and the records of the tables.

The model tells the ledger what happened (a conversation held, a no-show, a
citizen leaving, a caseworker's day, a week's casework closed); the ledger
keeps only what falls in the measured horizon (after ``warmup_days``) and
keeps running totals that are enough to compute every KPI
(:mod:`jobsim.model.kpis`) without keeping tables. With ``tables=True`` it
also keeps one record per booking, citizen and caseworker-day; the fields of
the records are the columns of the tables.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from .calendar import MINUTES_PER_DAY
from .citizens import HELD
from .desk import DOC, NONCASE

#: Caseworker-day records before the horizon are not kept; with tables=False the ledger keeps at most
#: this many days of records per caseworker and folds older ones into the totals.
_KEEP_DAYS, _FOLD_DAYS = 64, 16
_NO_CONTACT_DAYS = 365


class BookingRecord(NamedTuple):
    """One row of the ``meetings`` table: a booking resolved in the horizon, or pending at the end."""

    meeting: int
    citizen: int
    worker: int
    booked_day: float
    due_day: int
    day: int
    slot: int
    slot_start: float
    outcome: str
    attended: bool
    checkin: float
    conversation_start: float
    prep_minutes: float
    prep_needed_minutes: float
    prepared: bool
    conversation_minutes: float
    gap_days: float
    first_conversation: bool
    late: bool
    rebooked: int
    confirmed: bool
    group: str
    slots: int
    overbooked: bool
    sms: bool


class CitizenRecord(NamedTuple):
    """One row of the ``citizens`` table."""

    citizen: int
    worker: int
    entry_day: float
    exit_day: float
    noshow_propensity: float
    prep_need_minutes: float
    conversation_need_minutes: float
    held: int
    noshows: int
    last_held_day: float
    max_gap_days: float
    no_contact_over_year: bool
    group: str


class TraceStretch(NamedTuple):
    """One row of a trace: a stretch of a caseworker's time spent on one activity."""

    worker: int
    start: float
    end: float
    activity: str
    meeting: int


class CaseworkerDay:
    """One caseworker's working day: minutes by activity (a row of the ``worker_days`` table).

    ``present_minutes`` is the working day (0 on a day of absence); the
    activities add up to present plus overtime minutes. ``contact_minutes`` is
    direct contact outside the booked conversations (calls and messages,
    employer contact, network meetings); ``documentation_minutes`` includes
    the documentation of that contact and the preparation of network meetings;
    ``noncase_minutes`` is time that is not case work. ``prep_minutes`` is
    all preparation done that day; ``wasted_prep_minutes`` the part of it
    later wasted (the citizen did not come or left first), which can be
    learned long after the day. The table shows preparation not wasted and
    wasted preparation as two columns (:meth:`Ledger.day_rows`).
    """

    COLUMNS = ("day", "worker", "present_minutes", "conversation_minutes", "contact_minutes", "prep_minutes",
               "wasted_prep_minutes", "documentation_minutes", "casework_minutes", "noncase_minutes", "idle_minutes",
               "overtime_minutes")
    __slots__ = COLUMNS

    def __init__(self, day: int, worker: int, present_minutes: float):
        self.day = day
        self.worker = worker
        self.present_minutes = present_minutes
        self.conversation_minutes = 0.0
        self.contact_minutes = 0.0
        self.prep_minutes = 0.0
        self.wasted_prep_minutes = 0.0
        self.documentation_minutes = 0.0
        self.casework_minutes = 0.0
        self.noncase_minutes = 0.0
        self.idle_minutes = 0.0
        self.overtime_minutes = 0.0


_day_values = attrgetter(*CaseworkerDay.COLUMNS)
_PREP_COLUMN = CaseworkerDay.COLUMNS.index("prep_minutes")


@dataclass
class Totals:
    """Running sums over the measured horizon; enough to compute every KPI without keeping tables."""

    caseload_area: float = 0.0      # citizen-minutes on the team's caseload
    held: int = 0
    noshows: int = 0
    prep_sum: float = 0.0
    prepared: int = 0
    conversation_sum: float = 0.0
    wait_sum: float = 0.0
    gaps: array = field(default_factory=lambda: array("d"))
    required: int = 0
    overdue: int = 0
    overdue_days_sum: float = 0.0   # days late, over the requirements met late or not met
    first_conversations: int = 0    # new citizens' first held conversations
    first_days_sum: float = 0.0     # days from entry to them
    no_contact: int = 0             # citizens over a year without a conversation, in a gap the run produced
    no_contact_pre_run: int = 0     # the same, in a gap that began before the run (pre-filled history)
    needs_met: int = 0              # followup_by = need: conversations held for a need, and the days they waited
    need_wait_days_sum: float = 0.0
    needs_waiting_at_end: int = 0   # needs not yet booked when the run ended
    casework_demand: float = 0.0
    casework_done: float = 0.0
    # caseworker-day totals (added up when a day is folded: a day's minutes never change after it)
    present: float = 0.0
    busy: float = 0.0
    conversation: float = 0.0
    contact: float = 0.0            # direct contact outside booked conversations
    prep: float = 0.0               # all preparation done (ahead and after check-in), wasted or not
    documentation: float = 0.0      # documentation of contacts and preparation of network meetings
    casework: float = 0.0
    noncase: float = 0.0
    idle: float = 0.0
    overtime: float = 0.0
    # desk tasks of the kinds never dropped, due in the horizon: finished (or still open) after their deadline
    contacts: int = 0               # unbooked contacts and meetings outside the diary
    contacts_late: int = 0
    documentation_tasks: int = 0
    documentation_late: int = 0
    # preparation wasted, added up when it is learned (the citizen did not come, or left first)
    wasted_noshow: float = 0.0
    wasted_withdrawn: float = 0.0


def is_prepared(booking) -> bool:
    """Preparation done met the citizen's need (to within floating-point dust)."""
    return booking.prep_done >= booking.prep_need - 1e-9


class Ledger:
    """The measurement of one run (see the module docstring).

    ``warmup_days`` and ``run_days`` bound the horizon; ``caseworkers`` is
    the team size (for folding caseworker-day records).
    """

    def __init__(self, warmup_days: int, run_days: int, caseworkers: int, tables: bool, sms: bool = False):
        self.warmup_days = warmup_days
        self.run_days = run_days
        self.horizon_start = warmup_days * MINUTES_PER_DAY     # minutes
        self.run_end = run_days * MINUTES_PER_DAY              # minutes
        self.caseworkers = caseworkers
        self.tables = tables
        self.sms = sms                  # the policy sends SMS reminders (the meetings table's sms column)
        self.totals = Totals()
        self.days: list[CaseworkerDay] = []
        self.bookings: list[BookingRecord] = []
        self.citizens: list[CitizenRecord] = []
        self.n_citizens = 0
        self._t_count = 0.0

    # ------------------------------------------------------------ caseload
    def caseload_change(self, now: float, delta: int) -> None:
        """The team's caseload changes by ``delta`` at minute ``now`` (time-weighted for the mean)."""
        start = self.horizon_start
        if now > start:
            since = self._t_count
            self.totals.caseload_area += self.n_citizens * (now - (start if start > since else since))
        self._t_count = now
        self.n_citizens += delta

    # ------------------------------------------------------------ conversations
    def conversation_held(self, booking, gap: float, first: bool, began: float) -> None:
        """A conversation was held ``gap`` days after the citizen's previous one (at minute ``began``), or, if
        ``first``, after entry.

        A new citizen's first conversation counts for ``first_conversation_days_mean``; every other one
        for the follow-up gaps.
        """
        if booking.start >= self.horizon_start:
            t = self.totals
            c = booking.citizen
            t.held += 1
            t.prep_sum += booking.prep_done
            if is_prepared(booking):
                t.prepared += 1
            t.conversation_sum += booking.conversation_minutes
            t.wait_sum += booking.conversation_start - booking.checkin
            if first:
                t.first_conversations += 1
                t.first_days_sum += gap
            else:
                t.gaps.append(gap)
            if gap > _NO_CONTACT_DAYS and not c.no_contact_counted:
                self._no_contact(c, began)
            if self.tables:
                self.record_booking(booking, first)

    def no_show(self, booking) -> None:
        if booking.start >= self.horizon_start:
            self.totals.noshows += 1
            self.record_booking(booking)

    def requirement(self, due_day: int, day: int) -> None:
        """A follow-up requirement due on ``due_day`` was met on ``day``, or is still not met on ``day``
        (the citizen left, or the run ended) and ``day`` is past it; counted if due in the horizon."""
        if self.warmup_days <= due_day < self.run_days:
            t = self.totals
            t.required += 1
            if day > due_day:
                t.overdue += 1
                t.overdue_days_sum += day - due_day

    def open_gap(self, citizen, now: float) -> None:
        """The citizen's gap since their last conversation, still open at ``now`` (they left, or the run ended)."""
        gap = (now - citizen.last_held) / MINUTES_PER_DAY
        if gap > citizen.max_gap_days:
            citizen.max_gap_days = gap
        if gap > _NO_CONTACT_DAYS and not citizen.no_contact_counted:
            self._no_contact(citizen, citizen.last_held)

    def _no_contact(self, citizen, began: float) -> None:
        """The citizen has gone over a year without a conversation, in a gap that began at minute ``began``:
        counted once per citizen, apart when the gap began before the run (a pre-filled citizen's history,
        which the run did not produce)."""
        citizen.no_contact_counted = True
        if began < 0:
            self.totals.no_contact_pre_run += 1
        else:
            self.totals.no_contact += 1

    def need_met(self, booking, wait_days: int) -> None:
        """A conversation booked by need was held ``wait_days`` after the need arose (followup_by = need)."""
        if booking.start >= self.horizon_start:
            self.totals.needs_met += 1
            self.totals.need_wait_days_sum += wait_days

    # ------------------------------------------------------------ desk work
    def casework_closed(self, bucket) -> None:
        """A week's casework is finished or past its deadline: count it if it belongs to the horizon."""
        if bucket.created >= self.horizon_start and bucket.deadline <= self.run_end:
            self.totals.casework_demand += bucket.demand
            self.totals.casework_done += min(bucket.done, bucket.demand)  # chunks can add up to dust more

    def task_done(self, kind: int, deadline: float, finished: float) -> None:
        """A desk task of a kind never dropped, due at minute ``deadline``, was finished at ``finished`` (or is
        still open at the end of the run: ``finished`` is then infinite); counted if due in the horizon.
        Non-case time is not counted (it has no deadline that anyone outside the team sees)."""
        if kind == NONCASE or not self.horizon_start <= deadline <= self.run_end:
            return
        t = self.totals
        late = finished > deadline + 1e-9
        if kind == DOC:
            t.documentation_tasks += 1
            t.documentation_late += late
        else:
            t.contacts += 1
            t.contacts_late += late

    def new_day(self, day: CaseworkerDay) -> None:
        """A caseworker-day begins; days before the horizon are not kept."""
        if day.day >= self.warmup_days:
            days = self.days
            days.append(day)
            if not self.tables and len(days) > _KEEP_DAYS * self.caseworkers:
                self._fold(len(days) - _FOLD_DAYS * self.caseworkers)

    def _fold(self, n: int) -> None:
        """Add the first ``n`` caseworker-day records to the totals and forget them."""
        t = self.totals
        days = self.days
        for d in days[:n]:
            t.present += d.present_minutes
            t.busy += (d.conversation_minutes + d.contact_minutes + d.prep_minutes + d.documentation_minutes
                       + d.casework_minutes + d.noncase_minutes)
            t.conversation += d.conversation_minutes
            t.contact += d.contact_minutes
            t.prep += d.prep_minutes
            t.documentation += d.documentation_minutes
            t.casework += d.casework_minutes
            t.noncase += d.noncase_minutes
            t.idle += d.idle_minutes
            t.overtime += d.overtime_minutes
        self.days = days[n:]

    def prep_wasted(self, booking, withdrawn: bool) -> None:
        """Preparation done ahead for ``booking`` is wasted: the citizen did not show, or left (``withdrawn``).

        Counted in the totals now, in the order it is learned, so the totals do
        not depend on whether caseworker-days are kept (``tables``).
        """
        log = booking.prep_log
        if not log:
            return
        t = self.totals
        for day, x in log:
            day.wasted_prep_minutes += x
            if day.day >= self.warmup_days:
                if withdrawn:
                    t.wasted_withdrawn += x
                else:
                    t.wasted_noshow += x
        log.clear()

    # ------------------------------------------------------------ records
    def record_booking(self, b, first: bool = False) -> None:
        if self.tables:
            c = b.citizen
            held = b.outcome == HELD
            self.bookings.append(BookingRecord(
                meeting=b.id, citizen=c.id, worker=b.caseworker, booked_day=b.booked / MINUTES_PER_DAY,
                due_day=b.due_day, day=b.day, slot=b.slot, slot_start=b.start, outcome=b.outcome, attended=held,
                checkin=b.checkin, conversation_start=b.conversation_start, prep_minutes=b.prep_done,
                prep_needed_minutes=b.prep_need, prepared=is_prepared(b) if held else False,
                conversation_minutes=b.conversation_minutes, gap_days=b.gap_days, first_conversation=first,
                late=held and b.day > b.due_day,
                rebooked=b.rebooked, confirmed=b.confirmed, group=c.group.name if c.group else "all",
                slots=b.length, overbooked=b.overbooked, sms=self.sms))

    def record_citizen(self, c, now: float) -> None:
        if not self.tables or (c.present and now < self.horizon_start):
            return
        self.citizens.append(CitizenRecord(
            citizen=c.id, worker=c.caseworker, entry_day=c.entry / MINUTES_PER_DAY,
            exit_day=c.exit / MINUTES_PER_DAY if not c.present else math.nan, noshow_propensity=c.propensity,
            prep_need_minutes=c.prep_need, conversation_need_minutes=c.conversation_need, held=c.held,
            noshows=c.noshows, last_held_day=c.last_held / MINUTES_PER_DAY, max_gap_days=c.max_gap_days,
            no_contact_over_year=c.no_contact_counted, group=c.group.name if c.group else "all"))

    def close(self) -> None:
        """End of the run: fold every caseworker-day into the totals (the records stay with tables=True)."""
        kept = self.days
        self._fold(len(kept))
        if self.tables:
            self.days = kept

    def day_rows(self) -> list[tuple]:
        """The caseworker-day records as tuples in :attr:`CaseworkerDay.COLUMNS` order.

        The ``prep_minutes`` column is preparation not wasted (all preparation minus the wasted part).
        """
        rows = []
        for d in self.days:
            row = list(_day_values(d))
            row[_PREP_COLUMN] = d.prep_minutes - d.wasted_prep_minutes
            rows.append(tuple(row))
        return rows
