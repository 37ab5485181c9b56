"""A caseworker: the working day (a SimPy process), the conversations in the diary, absence, and the preparation window.

The day, in the order it happens, is :meth:`Caseworker.working_day`; one
booked slot is :meth:`Caseworker.slot`. Every minute of working time not spent
in a conversation (or the skim after check-in) is desk time
(:mod:`jobsim.model.desk`). Desk time is shared out between the moments that
matter (day start, slot starts, check-ins, conversation ends, day end, and
whatever changes the desk during the day: a citizen leaving, work arriving,
:meth:`Caseworker.add_desk_work`), so desk work costs no simulation events of
its own.

A caseworker is handed what it works with: the scenario, the policy's
traits, the ledger (where its days and casework are counted) and the
jobcenter's booking rules (told when a conversation is held, missed, or must
move because the caseworker is away).
"""

from __future__ import annotations

from .calendar import DAY_END, DAY_START, MINUTES_PER_DAY, MINUTES_PER_WEEK, WORKDAY_MINUTES, add_workdays
from .citizens import ALREADY_THERE, PENDING
from .desk import CALL, CASEWORK, DOC, EPS, MEETING, NONCASE, PREP, CaseworkBucket, Desk
from .diary import Diary
from .ledger import CaseworkerDay
from .scenario import ScenarioValues

#: A network meeting called (arrives as contact; on the desk it is a MEETING).
NETWORK = -1


class Caseworker:
    """One caseworker: a diary, a desk, and the working days (the SimPy process :meth:`working_days`).

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
        self.desk = Desk(s.desk_priority, index, ledger.casework_closed, trace, ledger.task_done)
        #: desk work from the last accounted minute to ``until`` (see :meth:`Desk.share_out`)
        self.work_at_desk = self.desk.share_out
        self.citizens = 0           # citizens on the caseload now
        #: weekly casework minutes of the caseload when groups differ in casework_minutes (else None:
        #: casework_minutes x citizens)
        self.casework_load: float | None = None
        self.today: CaseworkerDay | None = None
        self.day_end = 0.0          # today's end of the working day, minutes
        self.working_until = 0.0    # today's end of work: the end of the day, or of overtime (minutes)
        self.opened_until = -1      # the preparation window has been opened up to this day
        self.max_skim = max(0.0, s.slot_minutes - s.min_conversation_minutes)

    # ------------------------------------------------------------ the working day, a SimPy process
    def working_days(self):
        """The caseworker's working days, a SimPy process: from 8:00 on each working day of the run, the day
        (:meth:`working_day`); weekends are skipped."""
        env = self.env
        for day in range(self.ledger.run_days):
            if day % 7 < 5:
                yield env.timeout(day * MINUTES_PER_DAY + DAY_START - env.now)
                yield from self.working_day(day)

    def working_day(self, day: int):
        """One day, in the order it happens: Monday's casework arrives; away all day, or at work: the day's
        slots one by one (:meth:`slot`), with desk work between them, then the end of the day and any overtime.

        A caseworker does one thing at a time: this process is the caseworker's capacity of one. Desk work
        needs no events of its own: it is shared out over the stretch between two events (:mod:`.desk`).
        """
        if day % 7 == 0:
            self.new_casework(day)
        if self.absent[day]:
            self.absent_day(day)
            return
        self.start_day(day)
        for booking in self.todays_bookings(day):
            yield from self.slot(booking)
        yield from self.end_day(day)

    def todays_bookings(self, day: int):
        """The bookings of ``day`` in the order the caseworker takes them: slot by slot (a booking of several
        slots once). The diary's list of the day is read as it is now at each step: a citizen who left is no
        longer in it, and one sent home has moved to a later day. On a day with double bookings, the citizens
        booked into one slot are taken in order of arrival, those who do not come last."""
        slots = self.diary.day_slots(day)
        if not slots:
            return
        if not self.diary.overbook:
            for k in range(len(slots)):
                booking = slots[k]
                if booking is not None and booking.place == k:   # not free, not the rest of a longer booking
                    yield booking
            return
        for k in range(self.diary.slots_per_day):
            group = [b for i, b in enumerate(slots) if b is not None and b.place == i and b.slot == k]
            # the order of arrival (the attendance drawn at booking stands in for watching the waiting room)
            group.sort(key=lambda b: (not b.attends, b.arrival_offset if b.attends else 0.0, b.place))
            for booking in group:
                if booking.day == day and booking.outcome == PENDING:
                    yield booking

    def slot(self, booking):
        """One booked slot, as the caseworker lives it: desk work until the slot starts; the citizen checks in,
        or is given up after the grace period (:meth:`~jobsim.model.jobcenter.Jobcenter.checkin`, the
        citizen's side); the skim after check-in (the policy); the conversation; documentation."""
        env = self.env
        s = self.values
        start = booking.start
        wait = start - env.now
        if wait > 0.0:   # (a slot that "starts 1e-13 minutes ago" after an overrun starts now)
            yield env.timeout(wait)
        self.work_at_desk(start)
        if booking.outcome != PENDING:   # the citizen left before the slot: it is desk time
            return
        if booking.prep_task is not None:
            self.close_prep_task(booking)
        # the grace period runs from the slot start (an overrun into the slot shortens it)
        grace = s.grace_minutes if env.now <= start else start + s.grace_minutes - env.now
        turned = env.now
        checkin = self.jobcenter.checkin(booking, grace if grace > 0.0 else 0.0)
        checked_in = True if checkin is ALREADY_THERE else (yield checkin)   # True: checked in; False: no-show
        if checked_in and booking.checkin > turned:   # a late citizen: desk work until check-in
            self.work_at_desk(booking.checkin)
        if not checked_in:
            self._stay_ends_during(booking, env.now)
            self.jobcenter.no_show(booking, env.now)
            return
        begin = env.now
        if begin >= self.day_end:
            # conversations overran into the evening: a citizen still waiting at 15:24 is sent home and
            # rebooked like a conversation moved for absence (so a day ends by 15:24 + the longest need)
            self._stay_ends_during(booking, begin)
            self.jobcenter.move_for_absence(booking, booking.day)
            return
        if begin > self.desk.until:   # (usually the desk is already there: the slot start, or the check-in)
            self.work_at_desk(begin)
        slot_end = start + s.slot_minutes * booking.length
        skim = self.skim(booking, begin, slot_end)
        length = self.conversation_length(booking, begin + skim, slot_end)
        self.record_conversation(booking, begin, skim, length)
        yield env.timeout(skim + length)
        self._stay_ends_during(booking, env.now)
        self.jobcenter.held(booking, env.now)
        if s.documentation_minutes > 0:
            self.desk.add(DOC, s.documentation_minutes, self.day_end, None)

    def skim(self, booking, begin: float, slot_end: float) -> float:
        """Minutes of preparation after check-in at minute ``begin`` (the policy's skim, at most the need left,
        ``slot_minutes - min_conversation_minutes``, and what leaves the conversation its minimum before
        ``slot_end``); added to the booking's preparation."""
        if not self.traits.skims:
            return 0.0
        skim = self.policy.skim_after_checkin(booking, self.scenario)
        if skim > 0:
            need = booking.prep_need - booking.prep_done
            # skim = max(0, min(skim, need, max_skim, slot_end - begin - min_conversation_minutes)), written
            # out: a call of min() costs more than the comparisons (the same result, NaN included)
            if need < skim:
                skim = need
            if self.max_skim < skim:
                skim = self.max_skim
            cap = slot_end - begin - self.values.min_conversation_minutes
            if cap < skim:
                skim = cap
            if skim < 0:
                skim = 0.0
            booking.prep_done += skim
            return skim
        return 0.0

    def conversation_length(self, booking, begin: float, slot_end: float) -> float:
        """Minutes of a conversation starting at ``begin``: the citizen's need, cut at the slot's end (with
        ``overrun``: at midnight, for a need of many hours)."""
        end = begin - begin % MINUTES_PER_DAY + MINUTES_PER_DAY if self.values.overrun else slot_end
        length = end - begin    # min(need, the time left), written out
        talk = booking.conversation_need
        return talk if not length < talk else length

    def record_conversation(self, booking, begin: float, skim: float, length: float) -> None:
        """Count the skim and the conversation (from ``begin``) in the day, and overtime past 15:24, at once
        (the run may end during the conversation); the desk is busy until it is over."""
        booking.conversation_start = begin + skim
        booking.conversation_minutes = length
        today = self.today
        today.prep_minutes += skim
        today.conversation_minutes += length
        late = begin + skim + length - self.day_end
        if late > 0.0:
            today.overtime_minutes += late if late < length else length
        self.desk.until = begin + skim + length
        if self.trace is not None:
            if skim > 0:
                self.trace.append((self.index, begin, begin + skim, "skim", booking.id))
            self.trace.append((self.index, begin + skim, begin + skim + length, "conversation", booking.id))

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
        self.day_end = self.working_until = day * MINUTES_PER_DAY + DAY_END
        if self.traits.prepares_ahead:
            self.open_prep_window(add_workdays(day, self.traits.window_days))
        if self.values.noncase_minutes_per_day > 0:
            self.desk.add(NONCASE, self.values.noncase_minutes_per_day, self.day_end, None)

    def end_day(self, day: int):
        """15:24 (or when the last conversation is over, if later): desk work to the end of the day, then
        overtime if allowed and work is left."""
        env = self.env
        end = self.day_end
        if env.now < end:
            yield env.timeout(end - env.now)
        else:   # a conversation overran the end of the day (its overtime is already counted)
            end = env.now
        self.work_at_desk(end)
        overtime = self.values.overtime_minutes
        if overtime > 0:
            extra = min(overtime, self.desk.minutes_left(end))
            if extra > 0:
                # overtime for the work left now, counted as it is worked (the run may end during it); if some
                # of the work goes meanwhile (a citizen leaves, so their preparation is no longer needed), the
                # minutes that then find no work are not worked
                self.working_until = end + extra
                yield env.timeout(extra)
                # (a stretch from the end of the day is ``extra`` minutes exactly: (end + extra) - end may differ
                # from it in the last bit)
                self.work_overtime(end + extra, extra if self.desk.until == end else None)
        self.diary.forget(day)

    def work_overtime(self, until: float, stretch: float | None = None) -> None:
        """Desk work in overtime up to minute ``until`` (``stretch`` minutes from the last share-out, if known):
        the minutes that found work count as overtime."""
        if stretch is None:
            stretch = until - self.desk.until
        unused = self.work_at_desk(until, idle=False)
        if stretch > 0.0:
            self.today.overtime_minutes += stretch - unused

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

    # ------------------------------------------------------------ contact outside the diary, a SimPy process
    def contacts(self, rng):
        """The contact outside the booked conversations that reaches this caseworker, a SimPy process.

        On each working day at work: calls and messages from and to citizens (Poisson, with mean
        ``citizen_contacts_per_week / 5`` per citizen on the caseload at 8:00), employer contacts (mean
        ``employer_contacts_per_week / 5``) and network meetings called (mean
        ``network_meetings_per_citizen_year / (365 / 7) / 5`` per citizen), each at a uniform minute of the
        working day (:meth:`contact_arrives`). ``rng`` is the caseworker's own random generator. On a day
        away nothing arrives (a colleague answers; not modelled).
        """
        env = self.env
        s = self.values
        per_day_citizen = s.citizen_contacts_per_week / 5.0
        per_day_employer = s.employer_contacts_per_week / 5.0
        per_day_network = s.network_meetings_per_citizen_year / (365.0 / 7.0) / 5.0
        kinds = (CALL, MEETING, NETWORK)
        for day in range(self.ledger.run_days):
            if day % 7 >= 5 or self.absent[day]:
                continue
            start = day * MINUTES_PER_DAY + DAY_START
            counts = rng.poisson((per_day_citizen * self.citizens, per_day_employer,
                                  per_day_network * self.citizens))
            total = int(counts.sum())
            if not total:
                continue
            offsets = rng.random(total) * WORKDAY_MINUTES
            arrivals = sorted(zip(offsets.tolist(), [k for k, n in zip(kinds, counts.tolist()) for _ in range(n)]))
            for offset, kind in arrivals:
                yield env.timeout(start + offset - env.now)
                self.contact_arrives(kind, day)

    def contact_arrives(self, kind: int, day: int) -> None:
        """A call or message (``CALL``), an employer contact (``MEETING``) or a network meeting called
        (``NETWORK``) arrives now: the desk time up to now goes to the work that was on the desk; the contact
        joins the desk (a call before any other desk work; the others among it), due by the end of the working
        day ``contact_answer_days`` (a network meeting: ``network_meeting_days``) after today, with its
        documentation (a network meeting: its preparation and documentation) due at the same minute."""
        s = self.values
        if kind == NETWORK:
            minutes, follow_up, days, kind = s.network_meeting_minutes, s.network_prep_minutes, \
                s.network_meeting_days, MEETING
        elif kind == CALL:
            minutes, follow_up, days = s.citizen_contact_minutes, s.contact_documentation_minutes, s.contact_answer_days
        else:
            minutes, follow_up, days = s.employer_contact_minutes, s.contact_documentation_minutes, \
                s.contact_answer_days
        if self.at_desk():
            self.desk_work_to_now()
        due = add_workdays(day, days) * MINUTES_PER_DAY + DAY_END
        if minutes > 0:
            self.desk.add(kind, minutes, due, None)
        if follow_up > 0:
            self.desk.add(DOC, follow_up, due, None)

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
        """The citizen has left: the slot is freed and preparation already done is wasted (desk time up to now
        is shared out first, if the caseworker is at the desk)."""
        if self.at_desk():
            self.desk_work_to_now()
        self.close_prep_task(booking)
        self.diary.release(booking, today)

    # ------------------------------------------------------------ things that happen during the day
    def at_desk(self) -> bool:
        """At work and at the desk at this minute: a working day, between 8:00 and 15:24 (or the end of
        overtime), not away and not in a conversation (waiting for a citizen to check in counts as desk time)."""
        now = self.env.now
        today = self.today
        return (today is not None and today.day == int(now // MINUTES_PER_DAY)
                and self.desk.until <= now <= self.working_until)

    def desk_work_to_now(self) -> None:
        """Share out the desk time up to now (before something changes the desk). In overtime, only the minutes
        that found work count (:meth:`work_overtime`); before it, the rest is idle."""
        now = self.env.now
        if now > self.day_end:
            self.work_overtime(now)
        else:
            self.work_at_desk(now)

    def add_desk_work(self, minutes: float, due: float | None = None) -> None:
        """Desk work that arrives now (a phone call, an urgent case): the desk time up to now goes to the work
        that was on the desk; then ``minutes`` of new work join the tasks in the desk rule's order, due at
        minute ``due`` (default: the end of today), never dropped. Counted as documentation minutes."""
        if self.at_desk():
            self.desk_work_to_now()
        self.desk.add(DOC, minutes, self.day_end if due is None else due, None)

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
