"""Desk work: the tasks on a caseworker's desk, and how desk time is shared out over them.

The kinds of task:

* preparation of a booking (due at its slot start; dropped at the slot start);
* documentation after a contact, and the preparation of a network meeting (due as the contact says; never
  dropped: done late if need be);
* a week's casework for the caseload (due at the end of the following week, dropped as unmet if not done by then);
* contact that is not a booked conversation: a call or message from or to a citizen (``CALL``), taken before any
  other desk work (it interrupts it), and an employer contact or network meeting (``MEETING``), planned among the
  desk work; never dropped: answered late (postponed) if need be;
* the day's time that is not case work (team meetings, supervision, training, administration: ``NONCASE``),
  due at the end of the day and never dropped.

Apart from calls, which come first under every rule, the caseworker takes the tasks in the order of the desk rule
(``desk_priority``); employer contact, network meetings and non-case time rank with documentation (the model does
not know at which hour a team meeting is held, only that the day's share of it is done that day):

* ``edf``: "whatever is due first, whatever it is";
* ``prep_first``: "I prepare my conversations first; then documentation and casework, whichever is due first";
* ``casework_first``: "casework first, but I prepare tomorrow's conversations before casework that is not due
  this week": casework due this week, then preparation for conversations by the end of the next working
  day, then today's documentation, then the rest of the casework, then the rest of the preparation.

Desk time costs no simulation events: a stretch of desk time is shared out
over the tasks, in order, when it ends (at a slot start, a check-in, the end
of the day). That is the model's speed design; :meth:`Desk.share_out` is the
hot path.
"""

from __future__ import annotations

from bisect import insort
from operator import attrgetter

from .calendar import DAY_END, MINUTES_PER_DAY, MINUTES_PER_WEEK, add_workdays

#: Kinds of desk task.
PREP, DOC, CASEWORK, CALL, MEETING, NONCASE = 0, 1, 2, 3, 4, 5
#: Activity names of the kinds, as used in traces and caseworker-day columns.
KIND_NAMES = {PREP: "prep", DOC: "documentation", CASEWORK: "casework", CALL: "contact", MEETING: "contact",
              NONCASE: "noncase"}
#: Task rank (lower first) for each desk rule; ties broken by deadline. Calls come first under every rule.
PRIORITY_RANKS = {
    "edf": {CALL: -1, PREP: 0, DOC: 0, MEETING: 0, NONCASE: 0, CASEWORK: 0},
    "prep_first": {CALL: -1, PREP: 0, DOC: 1, MEETING: 1, NONCASE: 1, CASEWORK: 1},
    "casework_first": {CALL: -1, CASEWORK: 0, DOC: 1, MEETING: 1, NONCASE: 1, PREP: 2},
}
_RANK_SPAN = 1e9  # sort keys are rank * span + deadline; deadlines stay below 20 years of minutes
EPS = 1e-9        # minutes: less than this is nothing (floating-point dust)
_by_key = attrgetter("key")


class DeskTask:
    """One task: ``left`` minutes of work of a ``kind``, due at ``deadline`` (minutes).

    ``ref`` is the :class:`~jobsim.model.citizens.Booking` being prepared, the
    :class:`CaseworkBucket` of a week's casework, or None for the kinds never dropped (documentation,
    contact, non-case time).
    """

    __slots__ = ("key", "left", "kind", "deadline", "ref")

    def __init__(self, key: float, left: float, kind: int, deadline: float, ref):
        self.key = key
        self.left = left
        self.kind = kind
        self.deadline = deadline
        self.ref = ref


class CaseworkBucket:
    """One week's casework of one caseworker: ``demand`` minutes created at ``created``, ``done`` so far."""

    __slots__ = ("created", "demand", "done", "deadline")

    def __init__(self, created: float, demand: float, deadline: float):
        self.created = created
        self.demand = demand
        self.done = 0.0
        self.deadline = deadline


class Desk:
    """The desk tasks of one caseworker, kept sorted by the desk rule, and the desk clock.

    ``on_closed(bucket)`` is called when a week's casework is finished or
    expires (the ledger counts it); ``on_done(kind, deadline, finished)`` when a task of a kind never dropped
    (documentation, contact, non-case time) is finished, at minute ``finished``; ``trace`` is a list to append
    ``(caseworker, start, end, activity, booking id)`` stretches to, or None.
    """

    __slots__ = ("tasks", "until", "today", "rank_base", "by_urgency", "caseworker", "on_closed", "on_done",
                 "trace")

    def __init__(self, desk_priority: str, caseworker: int, on_closed, trace: list | None, on_done=None):
        self.tasks: list[DeskTask] = []
        self.until = 0.0                # desk time is shared out up to this minute
        self.today = None               # the caseworker-day record that desk minutes are booked to
        self.rank_base = {kind: rank * _RANK_SPAN for kind, rank in PRIORITY_RANKS[desk_priority].items()}
        # casework_first orders by what is urgent at the start of each stretch, not by a fixed key
        self.by_urgency = desk_priority == "casework_first"
        self.caseworker = caseworker
        self.on_closed = on_closed
        self.on_done = on_done
        self.trace = trace

    def add(self, kind: int, minutes: float, deadline: float, ref) -> DeskTask:
        """A new task, placed in desk-rule order."""
        task = DeskTask(self.rank_base[kind] + deadline, minutes, kind, deadline, ref)
        insort(self.tasks, task, key=_by_key)
        return task

    def remove(self, task: DeskTask) -> None:
        self.tasks.remove(task)

    def share_out(self, until: float, idle: bool = True) -> float:
        """Share out desk time from :attr:`until` to ``until`` over the tasks, in order; return the minutes
        no task needed (0.0 if the work filled the stretch).

        Minutes go to the caseworker-day record :attr:`today` (by kind; what
        is left over is idle unless ``idle=False``). Preparation and casework
        past their deadline are dropped first; the other kinds never are.
        """
        begin = self.until
        left = until - begin
        if left <= EPS:
            return 0.0
        self.until = until
        tasks = self.tasks
        queue = _casework_first_order(tasks, begin) if self.by_urgency else tasks
        trace = self.trace
        day = self.today
        i = 0
        while left > EPS and i < len(queue):
            task = queue[i]
            kind = task.kind
            if task.deadline <= begin and (kind == CASEWORK or kind == PREP):
                del queue[i]
                if queue is not tasks:
                    tasks.remove(task)
                self._expire(task)
                continue
            x = task.left
            if x > left:
                x = left
            if trace is not None:
                at = until - left
                trace.append((self.caseworker, at, at + x, KIND_NAMES[kind], task.ref.id if kind == PREP else -1))
            task.left -= x
            left -= x
            if kind == PREP:
                day.prep_minutes += x
                booking = task.ref
                booking.prep_done += x
                booking.prep_log.append((day, x))
            elif kind == CASEWORK:
                day.casework_minutes += x
                task.ref.done += x
            elif kind == DOC:
                day.documentation_minutes += x
            elif kind == NONCASE:
                day.noncase_minutes += x
            else:
                day.contact_minutes += x
            if task.left <= EPS:
                del queue[i]
                if queue is not tasks:
                    tasks.remove(task)
                if kind == PREP:
                    task.ref.prep_task = None
                elif kind == CASEWORK:
                    self.on_closed(task.ref)
                elif self.on_done is not None:
                    self.on_done(kind, task.deadline, until - left)
        if left <= EPS:
            return 0.0
        if idle:
            day.idle_minutes += left
            if trace is not None:
                trace.append((self.caseworker, until - left, until, "idle", -1))
        return left

    def _expire(self, task: DeskTask) -> None:
        if task.kind == CASEWORK:
            self.on_closed(task.ref)
        elif task.kind == PREP:
            task.ref.prep_task = None

    def drop_expired_casework(self, now: float) -> None:
        """Close casework past its deadline that was never reached (under some desk rules)."""
        expired = [t for t in self.tasks if t.kind == CASEWORK and t.deadline <= now]
        for task in expired:
            self.tasks.remove(task)
            self.on_closed(task.ref)

    def minutes_left(self, end: float) -> float:
        """Minutes of work left that overtime after ``end`` could still do (not yet due, or of a kind never
        dropped)."""
        return sum(t.left for t in self.tasks if t.deadline > end or (t.kind != CASEWORK and t.kind != PREP))

    def open_casework(self) -> list[CaseworkBucket]:
        """The casework buckets still on the desk."""
        return [t.ref for t in self.tasks if t.kind == CASEWORK]

    def open_kept(self) -> list[DeskTask]:
        """The tasks of the kinds never dropped (documentation, contact, non-case time) still on the desk."""
        return [t for t in self.tasks if t.kind != CASEWORK and t.kind != PREP]


def _casework_first_order(tasks: list[DeskTask], now: float) -> list[DeskTask]:
    """The tasks in ``casework_first`` order at minute ``now`` (see the module docstring)."""
    day = int(now // MINUTES_PER_DAY)
    next_week = (day - day % 7) * MINUTES_PER_DAY + MINUTES_PER_WEEK
    tomorrow_end = add_workdays(day, 1) * MINUTES_PER_DAY + DAY_END

    def urgency(task: DeskTask) -> int:
        if task.kind == CALL:
            return -1
        if task.kind == CASEWORK:
            return 0 if task.deadline < next_week else 3
        if task.kind == PREP:
            return 1 if task.deadline <= tomorrow_end else 4
        return 2

    return sorted(tasks, key=urgency)  # stable: within a class, the fixed order (by deadline)
