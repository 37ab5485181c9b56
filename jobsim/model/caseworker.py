"""A caseworker: the working day, the conversations in the diary, absence, and the preparation window.

Every minute of working time not spent in a conversation (or the skim after
check-in) is desk time (:mod:`jobsim.model.desk`). Desk time is shared out
between the moments that matter (day start, slot starts, check-ins,
conversation ends, day end), so desk work costs no simulation events of its
own. Tasks appear at day starts or when a conversation ends, and expire at
slot starts or week ends, which are stretch boundaries. (A citizen leaving in
the middle of a stretch withdraws their preparation task at once; minutes
already shared out to it count as wasted preparation.)

A caseworker is handed what it works with: the scenario, the policy's
traits, the ledger (where its days and casework are counted) and the
jobcenter's booking rules (told when a conversation is held, missed, or must
move because the caseworker is away).
"""

from __future__ import annotations

from .calendar import DAY_END, MINUTES_PER_DAY, MINUTES_PER_WEEK, WORKDAY_MINUTES, add_workdays
from .desk import CASEWORK, DOC, EPS, PREP, CaseworkBucket, Desk
from .diary import Diary
from .ledger import CaseworkerDay
from .scenario import ScenarioValues


class Caseworker:
    """One caseworker: a diary, a desk, and the working day (worked out at 8:00 by :meth:`work_day`).

    ``absent`` is a list of booleans, one per day of the run (True: away the
    whole day). ``jobcenter`` must offer ``held(booking)``,
    ``no_show(booking)`` and ``move_for_absence(booking, day)``.
    """

    def __init__(self, index: int, env, scenario, policy, traits, ledger, jobcenter, absent: list,
                 trace: list | None = None, values: ScenarioValues | None = None):
        s = scenario
        self.index = index
        self.env = env
        self.scenario = s           # shown to the policy
        #: the scenario's values as plain attributes, read on the hot paths (see ScenarioValues)
        self.values = values if values is not None else ScenarioValues(scenario)
        self.policy = policy
        self.traits = traits
        self.ledger = ledger
        self.jobcenter = jobcenter
        self.absent = absent
        self.trace = trace          # list of (caseworker, start, end, activity, booking id) or None
        self.diary = Diary(s.slots_per_day, s.slot_minutes, s.overbook_per_day, s.reserved_slots_per_day)
        self.desk = Desk(s.desk_priority, index, ledger.casework_closed, trace)
        #: desk work from the last accounted minute to ``until`` (see :meth:`Desk.share_out`)
        self.work_at_desk = self.desk.share_out
        self.citizens = 0           # citizens on the caseload now
        #: weekly casework minutes of the caseload when groups differ in casework_minutes (else None:
        #: casework_minutes x citizens)
        self.casework_load: float | None = None
        self.today: CaseworkerDay | None = None
        self.day_end = 0.0          # today's end of the working day, minutes
        self.opened_until = -1      # the preparation window has been opened up to this day
        self.max_skim = max(0.0, s.slot_minutes - s.min_conversation_minutes)

    # ------------------------------------------------------------ the day
    def work_day(self, day: int) -> None:
        """8:00: the whole working day, in order of time: conversations in the diary, desk work around them,
        and what follows each conversation (its record, the next booking).

        The day is worked out in one step, on a clock of its own (``clock``, minutes), because nothing that
        happens during the day can change it: bookings are always for tomorrow or later, and a citizen's exit
        time is known in advance (:attr:`Citizen.exit_at`): a citizen who leaves before their slot is not
        seen (their exit withdraws the booking), and one whose stay ends during the slot leaves when it is
        over. Citizens who enter during the day book from tomorrow, after the day's follow-up bookings.
        """
        if day % 7 == 0:
            self.new_casework(day)
        if self.absent[day]:
            self.absent_day(day)
            return
        clock = self.env.now
        self.start_day(day)
        slots = self.diary.day_slots(day)
        run_end = self.ledger.run_end
        if slots and self.diary.overbook:
            clock = self.overbooked_day(slots, clock)
            if clock >= run_end:   # the run ended during a conversation
                return
        elif slots:
            slot_minutes = self.values.slot_minutes
            # (today's places change during the day only where a booking already worked out is moved)
            for k, booking in enumerate(slots):
                if booking is None or booking.place != k:   # free, or the rest of a longer booking
                    continue
                start = booking.start
                self.work_at_desk(start)
                # Times reached by different sums (the last conversation's end, this slot's start) can
                # differ by floating-point dust: a slot that "starts 1e-13 minutes ago" starts now.
                wait = start - clock
                clock = clock + (wait if wait > 0.0 else 0.0)
                c = booking.citizen
                # left before the slot: their exit withdraws the booking (unless their stay already ended while
                # they waited on an earlier day and were sent home: they keep the conversation, then leave)
                if c.exit_at < start and not c.leaving:
                    continue
                clock = self.conversation(booking, start + slot_minutes * booking.length, clock)
                if clock >= run_end:   # the run ended during the conversation
                    return
        self.end_day(day, clock)

    def overbooked_day(self, slots, clock: float) -> float:
        """A day with double bookings: at each slot, the citizens booked there, those who came first in order of
        arrival, then those who did not come (their no-show is recorded when the grace period is over)."""
        n = self.diary.slots_per_day
        slot_minutes = self.values.slot_minutes
        run_end = self.ledger.run_end
        for k in range(n):
            group = [b for i, b in enumerate(slots) if b is not None and b.place == i and b.slot == k]
            if not group:
                continue
            start = group[0].start
            self.work_at_desk(start)
            wait = start - clock
            clock = clock + (wait if wait > 0.0 else 0.0)
            group.sort(key=lambda b: (not b.attends, b.arrival_offset if b.attends else 0.0, b.place))
            for booking in group:
                if booking.citizen.exit_at < start and not booking.citizen.leaving:
                    continue
                clock = self.conversation(booking, start + slot_minutes * booking.length, clock)
                if clock >= run_end:
                    return clock
        return clock

    def conversation(self, booking, slot_end: float, clock: float) -> float:
        """The slot: the citizen checks in (or not), the caseworker may skim the case, they talk. ``clock`` is
        the minute the caseworker turns to it; returns the minute it is over."""
        s = self.values
        if booking.prep_task is not None:
            self.close_prep_task(booking)
        if not booking.attends:
            if clock <= booking.start:
                clock = clock + s.grace_minutes         # waits out the grace period at the desk
            else:                                       # an overrun ate into the slot: the grace period is shorter
                wait = booking.start + s.grace_minutes - clock
                clock = clock + (wait if wait > 0.0 else 0.0)
            if clock < self.ledger.run_end:
                self._stay_ends_during(booking, clock)
                self.jobcenter.no_show(booking, clock)
            return clock
        arrival = booking.start + booking.arrival_offset
        if arrival > clock:                         # a late citizen: desk work until check-in
            self.work_at_desk(arrival)
            clock = clock + (arrival - clock)
        booking.checkin = arrival
        begin = clock
        desk = self.desk
        if begin >= self.day_end:
            # conversations overran into the evening: a citizen still waiting at 15:24 is sent home and
            # rebooked like a conversation moved for absence (so a day ends by 15:24 + the longest need)
            self._stay_ends_during(booking, clock)
            self.jobcenter.move_for_absence(booking, booking.day)
            return clock
        if begin > desk.until:   # (usually the desk is already there: the slot start, or the check-in)
            self.work_at_desk(begin)
        skim = self.policy.skim_after_checkin(booking, self.scenario) if self.traits.skims else 0.0
        if skim > 0:
            need = booking.prep_need - booking.prep_done
            # skim = max(0, min(skim, need, max_skim, slot_end - begin - min_conversation_minutes)), written
            # out: a call of min() costs more than the comparisons (the same result, NaN included)
            if need < skim:
                skim = need
            if self.max_skim < skim:
                skim = self.max_skim
            cap = slot_end - begin - s.min_conversation_minutes
            if cap < skim:
                skim = cap
            if skim < 0:
                skim = 0.0
            booking.prep_done += skim
        talk = booking.conversation_need
        # with overrun a conversation runs to its need, but never past midnight (a need of many hours)
        end = begin - begin % MINUTES_PER_DAY + MINUTES_PER_DAY if s.overrun else slot_end
        length = end - begin - skim    # min(talk, the time left), written out
        if not length < talk:
            length = talk
        booking.conversation_start = begin + skim
        booking.conversation_minutes = length
        today = self.today
        today.prep_minutes += skim
        today.conversation_minutes += length
        late = begin + skim + length - self.day_end
        if late > 0.0:   # an overrun past 15:24 is overtime (counted now: the run may end during it)
            today.overtime_minutes += late if late < length else length
        desk.until = begin + skim + length
        if self.trace is not None:
            if skim > 0:
                self.trace.append((self.index, begin, begin + skim, "skim", booking.id))
            self.trace.append((self.index, begin + skim, begin + skim + length, "conversation", booking.id))
        clock = clock + (skim + length)
        if clock >= self.ledger.run_end:   # the run ends before the conversation does
            return clock
        self._stay_ends_during(booking, clock)
        self.jobcenter.held(booking, clock)
        if s.documentation_minutes > 0:
            desk.add(DOC, s.documentation_minutes, self.day_end, None)
        return clock

    @staticmethod
    def _stay_ends_during(booking, clock: float) -> None:
        """A citizen whose stay ends between the slot start and ``clock`` (the outcome) leaves when it is over."""
        c = booking.citizen
        if c.exit_at <= clock:
            c.leaving = True

    def start_day(self, day: int) -> None:
        """8:00: a new caseworker-day; preparation opens for slots within the window."""
        self.today = self.desk.today = CaseworkerDay(day, self.index, float(WORKDAY_MINUTES))
        self.ledger.new_day(self.today)
        self.desk.until = self.env.now
        self.day_end = day * MINUTES_PER_DAY + DAY_END
        if self.traits.prepares_ahead:
            self.open_prep_window(add_workdays(day, self.traits.window_days))

    def end_day(self, day: int, now: float) -> None:
        """15:24: desk work to the end of the day, overtime if allowed and work is left (``now``: the minute
        the last conversation ended, if later)."""
        end = self.day_end
        if now > end:   # a conversation overran the end of the day (its overtime is already counted)
            end = now
        self.work_at_desk(end)
        overtime = self.values.overtime_minutes
        if overtime > 0:
            extra = min(overtime, self.desk.minutes_left(end))
            if extra > 0:
                self.today.overtime_minutes += extra
                self.work_at_desk(end + extra, idle=False)
        self.diary.forget(day)

    def absent_day(self, day: int) -> None:
        """A whole day away: the day's conversations are moved."""
        self.ledger.new_day(CaseworkerDay(day, self.index, 0.0))
        slots = self.diary.day_slots(day)
        if slots:
            for k, booking in enumerate(slots):
                if booking is not None and booking.day == day and booking.place == k:   # once per booking
                    self.close_prep_task(booking)
                    self.jobcenter.move_for_absence(booking, day)
        self.diary.forget(day)

    def new_casework(self, day: int) -> None:
        """Monday 8:00: this week's casework for the current caseload, due at the end of next week."""
        s = self.values
        minutes = s.casework_minutes * self.citizens if self.casework_load is None else self.casework_load
        if minutes <= 0:
            return
        week_start = day * MINUTES_PER_DAY
        deadline = week_start + MINUTES_PER_WEEK + 4 * MINUTES_PER_DAY + DAY_END + s.overtime_minutes
        self.desk.add(CASEWORK, minutes, deadline, CaseworkBucket(week_start, minutes, deadline))
        self.desk.drop_expired_casework(self.env.now)

    # ------------------------------------------------------------ bookings
    def take_booking(self, booking, earliest_day: int) -> None:
        """Move a booking to a new slot from ``earliest_day`` (its old places are freed first, so a long booking
        is never met again on its old day); if the new day is inside the preparation window, offer preparation."""
        self.diary.release(booking, booking.day)
        self.diary.book(booking, earliest_day, int(self.env.now // MINUTES_PER_DAY), True, booking.length)
        self.offer_prep_if_open(booking)

    def offer_prep_if_open(self, booking) -> None:
        """Offer preparation for a booking whose day is already inside the preparation window."""
        if booking.day <= self.opened_until and self.traits.prepares_ahead:
            self.offer_prep(booking)

    def withdraw(self, booking, today: int) -> None:
        """The citizen has left: the slot is freed and preparation already done is wasted."""
        self.close_prep_task(booking)
        self.diary.release(booking, today)

    # ------------------------------------------------------------ preparation
    def open_prep_window(self, last_day: int) -> None:
        """Offer preparation ahead for bookings on days up to ``last_day`` (the policy decides)."""
        first = self.opened_until + 1
        if last_day < first:
            return
        days = self.diary.days
        for day in range(first, last_day + 1):
            slots = days.get(day)
            if slots:
                for k, booking in enumerate(slots):
                    if booking is not None and booking.place == k:
                        self.offer_prep(booking)
        self.opened_until = last_day

    def offer_prep(self, booking) -> None:
        """Ask the policy whether to prepare this booking ahead; if so, add the desk task."""
        if booking.prep_task is not None:
            return
        need = booking.prep_need - booking.prep_done
        if need <= EPS or not self.policy.prepare_ahead(booking, self.scenario):
            return
        if booking.prep_log is None:
            booking.prep_log = []
        booking.prep_task = self.desk.add(PREP, need, booking.start, booking)

    def close_prep_task(self, booking) -> None:
        task = booking.prep_task
        if task is not None:
            self.desk.remove(task)
            booking.prep_task = None
