"""Citizens on the caseload and their bookings (booked conversation slots).

Plain slotted objects: the model creates thousands of them, so they hold
data only; what happens to them is told in :mod:`jobsim.model.jobcenter`
(booking, outcomes) and :mod:`jobsim.model.caseworker` (the conversation).
"""

from __future__ import annotations

from math import inf, nan

#: Outcomes of a booking: the conversation was held, the citizen did not show, the citizen left
#: before the slot (the booking was withdrawn), or the slot is still ahead at the end of the run.
HELD, NO_SHOW, WITHDRAWN, PENDING = "held", "no_show", "withdrawn", "pending"

#: What :meth:`~jobsim.model.jobcenter.Jobcenter.checkin` gives for a citizen who is there already when the
#: caseworker turns to the slot: no event to wait for (a speed trick, labelled there).
ALREADY_THERE = True

#: Attendance records kept per citizen (the last this many bookings), for history-based policies.
HISTORY_LENGTH = 10


class Citizen:
    """One citizen on a caseworker's caseload.

    Times are in minutes from Monday 00:00 of week 1; ``propensity`` is the
    probability of not showing for a booked conversation (after any SMS
    effect); ``prep_need`` and ``conversation_need`` are minutes;
    ``caseworker`` is the index of the citizen's caseworker.
    """

    __slots__ = ("id", "caseworker", "entry", "exit", "propensity", "prep_need", "conversation_need",
                 "last_held", "due_day", "plan_day", "booking", "history", "held", "noshows", "max_gap_days",
                 "no_contact_counted", "present", "leaving", "new", "need_day", "urgency", "draws", "draws_used", "group", "since_entry",
                 "exit_clock", "exit_at", "path")

    def __init__(self, id, caseworker, entry, exit, propensity, prep_need, conversation_need, group=None):
        self.id = id
        self.caseworker = caseworker
        self.entry = entry
        self.exit = exit
        self.propensity = propensity
        self.prep_need = prep_need
        self.conversation_need = conversation_need
        self.last_held = entry      # a new citizen's first gap runs from entry (it is not a follow-up gap)
        self.due_day = 0            # day by which the next conversation must be held (the law)
        self.plan_day = 0           # day the next conversation is planned for (at most the due day)
        self.booking = None         # the current booking, if any
        self.history: list[bool] = []   # attended or not, the last HISTORY_LENGTH bookings, oldest first
        self.held = 0
        self.noshows = 0
        self.max_gap_days = 0.0
        self.no_contact_counted = False
        self.present = True
        self.need_day = None        # followup_by = need: the day the current need for a conversation arose, if any
        self.urgency = 0.0          # followup_by = need: how urgent that need is (uniform 0-1; most urgent booked first)
        self.new = False            # entered during the run (pre-filled citizens had conversations before it)
        self.leaving = False        # the stay ended during their slot: they leave when the slot is over
        self.draws = None              # array: attendance, confirmation, punctuality draws for future bookings
        self.draws_used = 0            # bookings that have used their draws from ``draws``
        self.group = group             # the citizen's group (jobsim.model.groups.GroupValues): rule and needs
        self.since_entry = 0           # conversations held since entry, before the run included (legal rules)
        self.exit_clock = None         # ExitClock: the stay left, when it responds to follow-up (exit_effect)
        self.exit_at = inf    # minute the stay is set to end (changes with exit_effect), inf if never
        self.path = None      # the citizen's SimPy process (jobsim.model.jobcenter.Jobcenter.citizen)

    def remember(self, attended: bool) -> None:
        """Add one booking's attendance to the history (the last HISTORY_LENGTH are kept)."""
        history = self.history
        history.append(attended)
        if len(history) > HISTORY_LENGTH:
            del history[0]


class ExitClock:
    """A stay that responds to follow-up (``exit_effect``): the citizen leaves when the cumulative hazard of
    leaving reaches their exponential draw. ``left`` is the stay left at the base rate (minutes) at minute
    ``updated``; the hazard is raised until minute ``raised_until`` after the last held conversation."""

    __slots__ = ("left", "updated", "raised_until")

    def __init__(self, left: float, updated: float):
        self.left = left
        self.updated = updated
        self.raised_until = -inf

    def followed_up(self, now: float, effect: float, raised_minutes: float) -> float:
        """A conversation was held at minute ``now``: the hazard is ``effect`` times the base for the next
        ``raised_minutes``. Returns the minute the stay now ends."""
        raised = min(now, self.raised_until) - self.updated   # minutes at the raised hazard since the update
        raised = raised if raised > 0.0 else 0.0
        self.left = left = self.left - (effect * raised + (now - self.updated - raised))
        self.updated = now
        self.raised_until = now + raised_minutes
        window = self.raised_until - now
        if window <= 0.0:
            wait = left
        elif left <= effect * window:
            wait = left / effect
        else:
            wait = window + (left - effect * window)
        return now + wait


class Booking:
    """One booked conversation: a slot in a caseworker's diary for one citizen.

    This is the object a preparation policy is shown (``booking.citizen``,
    ``.confirmed``, ``.prep_done``, ``.prep_need``, ``.first``, ``.start``).
    ``caseworker`` is the index of the citizen's caseworker; times are
    minutes, ``*_day`` days. ``prep_need`` and ``conversation_need`` are this
    conversation's needs in minutes: the citizen's, scaled up for a first
    conversation (``first_conversation_minutes``, ``first_prep_minutes``).
    """

    __slots__ = ("id", "citizen", "caseworker", "booked", "due_day", "day", "slot", "start", "attends",
                 "confirmed", "arrival_offset", "prep_done", "prep_log", "prep_task", "outcome",
                 "checkin", "conversation_start", "conversation_minutes", "rebooked", "gap_days",
                 "prep_need", "conversation_need", "first", "place", "length")

    def __init__(self, id, citizen, caseworker, booked, due_day, attends=True, confirmed=False, arrival_offset=0.0):
        self.id = id
        self.citizen = citizen
        self.caseworker = caseworker
        self.booked = booked          # minute the booking was made
        self.due_day = due_day
        self.day = -1
        self.slot = -1
        self.start = 0.0              # slot start, minutes
        self.attends = attends        # the citizen will come (drawn when the booking is made)
        self.confirmed = confirmed    # the citizen confirms an SMS reminder (answer drawn when booked)
        self.arrival_offset = arrival_offset  # minutes after the slot start the citizen arrives (if attending)
        self.prep_done = 0.0          # minutes of preparation done (ahead and after check-in)
        self.prep_log = None          # [(caseworker-day record, minutes)] of preparation done ahead
        self.prep_task = None         # the open desk task preparing this booking, if any
        self.outcome = PENDING
        self.checkin = nan            # minute of check-in (nan: none)
        self.conversation_start = nan
        self.conversation_minutes = 0.0
        self.rebooked = 0             # times moved because the caseworker was absent
        self.gap_days = nan
        self.prep_need = citizen.prep_need                  # minutes to read the case properly
        self.conversation_need = citizen.conversation_need  # minutes the conversation needs
        self.first = False            # the citizen's first conversation after entry
        self.place = -1               # place in the day's diary list (see jobsim.model.diary)
        self.length = 1               # slots taken (a long first conversation takes several)

    @property
    def overbooked(self) -> bool:
        """Double-booked into a slot that already had a booking (``overbook_per_day``)."""
        return self.place >= 0 and self.place != self.slot
