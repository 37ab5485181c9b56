"""A caseworker: the working day, the conversations in the diary, and desk work.

Every minute of working time not spent in a conversation (or the skim after
check-in) is desk time. Desk tasks (preparation ahead, documentation,
casework) are worked in the order of ``desk_priority``; desk time is shared
out between the moments that matter (day start, slot starts, check-ins,
conversation ends, day end), so desk work costs no simulation events of its
own. A stretch of desk time is shared out when it ends or when the caseworker
next acts; tasks appear at day starts or when a conversation ends, and expire
at slot starts or week ends, which are stretch boundaries. (A citizen leaving
in the middle of a stretch withdraws their preparation task at once; minutes
already shared out to it count as wasted preparation.)
"""

from __future__ import annotations

from bisect import insort
from operator import itemgetter

from .calendar import DAY_END, DAY_START, MINUTES_PER_DAY, MINUTES_PER_WEEK, add_workdays
from .citizens import HELD, NO_SHOW, WITHDRAWN
from .diary import Diary

# kinds of desk task, and the worker-day columns they are booked to
PREP, DOC, CASEWORK = 0, 1, 2
# worker-day row layout
(R_DAY, R_WORKER, R_PRESENT, R_CONVERSATION, R_PREP, R_WASTED, R_DOC, R_CASEWORK, R_IDLE,
 R_OVERTIME) = range(10)
ROW_COLUMNS = ("day", "worker", "present_minutes", "conversation_minutes", "prep_minutes",
               "wasted_prep_minutes", "documentation_minutes", "casework_minutes", "idle_minutes",
               "overtime_minutes")
_KIND_COLUMN = {PREP: R_PREP, DOC: R_DOC, CASEWORK: R_CASEWORK}
#: Activity names used in traces (see ``simulate(..., trace=True)``).
KIND_NAMES = {PREP: "prep", DOC: "documentation", CASEWORK: "casework"}
TRACE_COLUMNS = ("worker", "start", "end", "activity", "meeting")
# task layout: [sort key, remaining minutes, kind, deadline (minutes), reference]
T_KEY, T_LEFT, T_KIND, T_DEADLINE, T_REF = range(5)
_RANK_SPAN = 1e9  # keys are rank * span + deadline; deadlines stay below 20 years of minutes
_EPS = 1e-9
_key = itemgetter(T_KEY)

#: Task rank (lower first) for each desk priority; ties broken by deadline.
PRIORITY_RANKS = {
    "edf": {PREP: 0, DOC: 0, CASEWORK: 0},
    "prep_first": {PREP: 0, DOC: 1, CASEWORK: 1},
    "casework_first": {CASEWORK: 0, DOC: 1, PREP: 2},
}


class Caseworker:
    """One caseworker: a diary, a list of desk tasks, and the working-day process."""

    def __init__(self, index: int, model):
        s = model.scenario
        self.index = index
        self.model = model
        self.env = model.env
        self.scenario = s
        self.policy = model.policy
        self.diary = Diary(s.slots_per_day, s.slot_minutes)
        self.citizens = 0               # citizens on the caseload now
        self.tasks: list[list] = []     # desk tasks sorted by key
        self.t_desk = 0.0               # desk time is accounted up to this minute
        self.row = None                 # today's worker-day row
        self.opened_until = -1          # preparation window has been opened up to this day
        self.trace = model.trace        # list of (worker, start, end, activity, meeting id) or None
        ranks = PRIORITY_RANKS[s.desk_priority]
        self.rank_base = {kind: rank * _RANK_SPAN for kind, rank in ranks.items()}

    # ------------------------------------------------------------ the day
    def working_days(self):
        """SimPy process: each working day, conversations in the diary and desk work around them."""
        env, s, model = self.env, self.scenario, self.model
        absent = model.absent[self.index]
        slot_minutes = s.slot_minutes
        for day in range(model.run_days):
            weekday = day % 7
            if weekday >= 5:
                continue
            yield env.timeout(day * MINUTES_PER_DAY + DAY_START - env.now)
            if weekday == 0:
                self.new_casework(day)
            if absent[day]:
                self.absent_day(day)
                continue
            self.start_day(day)
            slots = self.diary.day_slots(day)
            if slots:
                for k in range(len(slots)):
                    meeting = slots[k]
                    if meeting is None:
                        continue
                    start = meeting.start
                    self.desk(start)
                    yield env.timeout(start - env.now)
                    if slots[k] is meeting:  # not withdrawn while we waited
                        yield from self.conversation(meeting, start + slot_minutes)
            yield from self.end_day(day)

    def conversation(self, meeting, slot_end):
        """The slot: the citizen checks in (or not), the caseworker may skim, they talk."""
        env, model = self.env, self.model
        if meeting.prep_task is not None:
            self.close_prep_task(meeting)
        if not meeting.attends:
            yield env.timeout(model.grace_minutes)      # waits out the grace period at the desk
            model.no_show(meeting)
            return
        arrival = meeting.start + meeting.arrival_offset
        if arrival > env.now:                           # a late citizen: desk work until check-in
            self.desk(arrival)
            yield env.timeout(arrival - env.now)
        meeting.checkin = arrival
        begin = env.now
        self.desk(begin)
        skim = self.policy.skim_after_checkin(meeting, self.scenario) if model.skims else 0.0
        if skim > 0:
            need = meeting.citizen.prep_need - meeting.prep_done
            skim = min(skim, need, model.max_skim, slot_end - begin - model.min_conversation)
            if skim < 0:
                skim = 0.0
            meeting.prep_done += skim
        length = min(meeting.citizen.conversation_need, slot_end - begin - skim)
        meeting.conversation_start = begin + skim
        meeting.conversation_minutes = length
        row = self.row
        row[R_PREP] += skim
        row[R_CONVERSATION] += length
        self.t_desk = begin + skim + length
        if self.trace is not None:
            if skim > 0:
                self.trace.append((self.index, begin, begin + skim, "skim", meeting.id))
            self.trace.append((self.index, begin + skim, begin + skim + length, "conversation", meeting.id))
        yield env.timeout(skim + length)
        model.held(meeting)
        if model.documentation_minutes > 0:
            deadline = self.day_end_minute
            self.add_task(DOC, model.documentation_minutes, deadline, None)

    def start_day(self, day: int) -> None:
        """8:00: a new worker-day row; preparation opens for slots within the window."""
        self.row = row = [day, self.index, float(self.model.workday_minutes), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        self.model.add_row(row)
        self.t_desk = self.env.now
        self.day_end_minute = day * MINUTES_PER_DAY + DAY_END
        if self.model.prepares_ahead:
            self.open_prep_window(add_workdays(day, self.model.window_days))

    def end_day(self, day: int):
        """15:24: desk work to the end of the day, overtime if allowed and work is left."""
        end = self.day_end_minute
        self.desk(end)
        overtime = self.scenario.overtime_minutes
        if overtime > 0:
            left = sum(t[T_LEFT] for t in self.tasks if t[T_DEADLINE] > end or t[T_KIND] == DOC)
            extra = min(overtime, left)
            if extra > 0:
                self.row[R_OVERTIME] += extra
                self.desk(end + extra, idle=False)
                end += extra
        if end > self.env.now:
            yield self.env.timeout(end - self.env.now)
        self.diary.forget(day)

    def absent_day(self, day: int) -> None:
        """A whole day away: the day's conversations are rebooked."""
        self.model.add_row([day, self.index, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
        slots = self.diary.day_slots(day)
        if slots:
            for meeting in slots:
                if meeting is not None:
                    self.close_prep_task(meeting)
                    self.model.rebook_after_absence(meeting, day)
        self.diary.forget(day)

    # ------------------------------------------------------------ desk work
    def add_task(self, kind: int, minutes: float, deadline: float, ref) -> list:
        task = [self.rank_base[kind] + deadline, minutes, kind, deadline, ref]
        insort(self.tasks, task, key=_key)
        return task

    def desk(self, until: float, idle: bool = True) -> None:
        """Share out desk time from the last accounted minute to ``until`` over the tasks, in order."""
        begin = self.t_desk
        left = until - begin
        if left <= _EPS:
            return
        self.t_desk = until
        tasks = self.tasks
        row = self.row
        trace = self.trace
        i = 0
        while left > _EPS and i < len(tasks):
            task = tasks[i]
            kind = task[T_KIND]
            if task[T_DEADLINE] <= begin and kind != DOC:
                del tasks[i]
                self.expire(task)
                continue
            x = task[T_LEFT]
            if x > left:
                x = left
            if trace is not None:
                at = until - left
                ref = task[T_REF]
                trace.append((self.index, at, at + x, KIND_NAMES[kind], ref.id if kind == PREP else -1))
            task[T_LEFT] -= x
            left -= x
            row[_KIND_COLUMN[kind]] += x
            if kind == PREP:
                meeting = task[T_REF]
                meeting.prep_done += x
                meeting.prep_log.append((row, x))
            elif kind == CASEWORK:
                task[T_REF][2] += x
            if task[T_LEFT] <= _EPS:
                del tasks[i]
                if kind == PREP:
                    task[T_REF].prep_task = None
                elif kind == CASEWORK:
                    self.model.casework_closed(task[T_REF])
        if idle and left > _EPS:
            row[R_IDLE] += left
            if trace is not None:
                trace.append((self.index, until - left, until, "idle", -1))

    def expire(self, task: list) -> None:
        if task[T_KIND] == CASEWORK:
            self.model.casework_closed(task[T_REF])
        elif task[T_KIND] == PREP:
            task[T_REF].prep_task = None

    def new_casework(self, day: int) -> None:
        """Monday 8:00: this week's casework for the current caseload, due at the end of next week."""
        minutes = self.scenario.casework_minutes * self.citizens
        if minutes <= 0:
            return
        week_start = day * MINUTES_PER_DAY
        deadline = week_start + MINUTES_PER_WEEK + 4 * MINUTES_PER_DAY + DAY_END + self.scenario.overtime_minutes
        bucket = [week_start, minutes, 0.0, deadline]   # created (minutes), demand, done, deadline
        self.add_task(CASEWORK, minutes, deadline, bucket)
        # drop buckets whose deadline has passed (never reached under some priorities)
        now = self.env.now
        expired = [t for t in self.tasks if t[T_KIND] == CASEWORK and t[T_DEADLINE] <= now]
        for t in expired:
            self.tasks.remove(t)
            self.model.casework_closed(t[T_REF])

    # ------------------------------------------------------------ preparation
    def open_prep_window(self, last_day: int) -> None:
        """Offer preparation ahead for meetings on days up to ``last_day`` (policy decides)."""
        first = self.opened_until + 1
        if last_day < first:
            return
        days = self.diary.days
        for day in range(first, last_day + 1):
            slots = days.get(day)
            if slots:
                for meeting in slots:
                    if meeting is not None:
                        self.offer_prep(meeting)
        self.opened_until = last_day

    def offer_prep(self, meeting) -> None:
        """Ask the policy whether to prepare this meeting ahead; if so, add the desk task."""
        if meeting.prep_task is not None:
            return
        need = meeting.citizen.prep_need - meeting.prep_done
        if need <= _EPS or not self.policy.prepare_ahead(meeting, self.scenario):
            return
        if meeting.prep_log is None:
            meeting.prep_log = []
        meeting.prep_task = self.add_task(PREP, need, meeting.start, meeting)

    def close_prep_task(self, meeting) -> None:
        task = meeting.prep_task
        if task is not None:
            self.tasks.remove(task)
            meeting.prep_task = None

    def waste_prep(self, meeting) -> None:
        """Preparation done for a citizen who did not come is moved to wasted preparation."""
        log = meeting.prep_log
        if log:
            for row, x in log:
                row[R_PREP] -= x
                row[R_WASTED] += x
            log.clear()


__all__ = ["Caseworker", "ROW_COLUMNS", "HELD", "NO_SHOW", "WITHDRAWN"]
