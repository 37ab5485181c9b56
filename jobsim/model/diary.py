"""A caseworker's diary: slots per day, and the earliest free slot from a given day.

Bookings are always for tomorrow or later, so today's slots never change
except by withdrawal. Days with a free place are kept in a sorted list up to a
frontier that grows on demand: finding the earliest free day is a bisection.

A day has ``slots_per_day`` regular places (one per slot, from 9:00) and
``overbook`` extra places: the j-th extra booking of a day is double-booked
into the day's j-th slot (counting from the first, wrapping round), so it
starts with the citizen already booked there. The last ``reserved`` regular
slots of a day are kept for *priority* bookings (first conversations and
rebookings) until the day before; an ordinary booking made the day before may
take them. A booking of ``length`` > 1 (a long first conversation) takes that
many consecutive regular slots.
"""

from __future__ import annotations

from bisect import bisect_left

from .calendar import FIRST_SLOT, MINUTES_PER_DAY

_EXTEND = 28  # days added to the frontier at a time


class Diary:
    """Slots of one caseworker: ``slots_per_day`` slots of ``slot_minutes`` from 9:00 on working days.

    ``days[day]`` is a list of places: ``slots_per_day`` regular places, then
    ``overbook`` extra ones; each holds a booking or None (a booking of several
    slots is in each of its places).
    """

    __slots__ = ("slots_per_day", "slot_minutes", "overbook", "reserved", "places", "days", "free_days",
                 "free_ordinary", "frontier", "offsets")

    def __init__(self, slots_per_day: int, slot_minutes: float, overbook: int = 0, reserved: int = 0):
        self.slots_per_day = slots_per_day
        self.slot_minutes = slot_minutes
        self.overbook = overbook
        self.reserved = reserved
        self.places = slots_per_day + overbook
        self.days: dict[int, list] = {}    # day -> list of bookings or None, one per place
        self.free_days: list[int] = []     # working days below the frontier with a free place
        #: days with a place an ordinary booking may take (not reserved); the same list when none are reserved
        self.free_ordinary: list[int] = [] if reserved else self.free_days
        self.frontier = 0
        #: minutes from the day's first slot to each slot's start (``slot * slot_minutes``, computed once)
        self.offsets = [slot * slot_minutes for slot in range(slots_per_day)]

    def book(self, booking, earliest_day: int, today: int = -1, priority: bool = True, length: int = 1) -> None:
        """Put ``booking`` into the earliest free place on or after ``earliest_day``.

        ``priority`` bookings (first conversations, rebookings) may take reserved slots; ordinary ones only
        on the day after ``today``. ``length`` consecutive regular slots are taken for a long conversation.
        """
        if length == 1 and (priority or not self.reserved):   # the common case, kept inline
            free = self.free_days
            i = bisect_left(free, earliest_day)
            try:
                day = free[i]
            except IndexError:   # past the frontier: it grows
                i = self._free_index(free, earliest_day)
                day = free[i]
            slots = self.days.get(day)
            if slots is None:
                slots = self.days[day] = [None] * self.places
            k = slots.index(None)
            slots[k] = booking
            if None not in slots:
                del free[i]
                if self.reserved:
                    _discard(self.free_ordinary, day)
            elif self.reserved:
                self._update_free(day, slots)
        else:
            day, slots, k = self._search(earliest_day, today, priority, length)
            for i in range(k, k + length):
                slots[i] = booking
            self._update_free(day, slots)
        booking.day = day
        booking.place = k
        booking.length = length
        n = self.slots_per_day
        booking.slot = slot = k if k < n else (k - n) % n
        booking.start = day * MINUTES_PER_DAY + FIRST_SLOT + self.offsets[slot]

    def first_free_day(self, earliest_day: int) -> int:
        """The first day on or after ``earliest_day`` with a free place (the frontier grows as needed)."""
        free = self.free_days
        return free[self._free_index(free, earliest_day)]

    def _free_index(self, free: list[int], earliest_day: int) -> int:
        """The index in ``free`` of the first day on or after ``earliest_day``; the frontier grows as needed."""
        i = bisect_left(free, earliest_day)
        while i == len(free):
            self._extend(max(self.frontier, earliest_day) + _EXTEND)
            i = bisect_left(free, earliest_day)
        return i

    def _first_free(self, free: list[int], earliest_day: int) -> tuple[int, list]:
        """The first day in ``free`` on or after ``earliest_day`` (the frontier grows as needed), and its places."""
        day = free[self._free_index(free, earliest_day)]
        slots = self.days.get(day)
        if slots is None:
            slots = self.days[day] = [None] * self.places
        return day, slots

    def _search(self, earliest_day: int, today: int, priority: bool, length: int) -> tuple[int, list, int]:
        """The earliest (day, places, place) a reserved-aware or multi-slot booking may take."""
        n = self.slots_per_day
        day = earliest_day
        while True:
            free = self.free_days if priority or day <= today + 1 else self.free_ordinary
            day, slots = self._first_free(free, day)
            if not priority and day > today + 1:
                allowed = [i for i in range(self.places) if not (n - self.reserved <= i < n)]
            else:
                allowed = range(self.places)
            if length == 1:
                for k in allowed:
                    if slots[k] is None:
                        return day, slots, k
            else:   # consecutive regular slots only
                for k in range(n - length + 1):
                    if all(slots[i] is None for i in range(k, k + length)) and \
                            (priority or day <= today + 1 or k + length <= n - self.reserved):
                        return day, slots, k
            day += 1

    def _update_free(self, day: int, slots: list) -> None:
        """Keep ``day`` in the free lists only while it has a place free (an ordinary one, for free_ordinary)."""
        if None not in slots:
            _discard(self.free_days, day)
            if self.reserved:
                _discard(self.free_ordinary, day)
        elif self.reserved:
            n = self.slots_per_day
            if not any(slots[i] is None for i in range(self.places) if not (n - self.reserved <= i < n)):
                _discard(self.free_ordinary, day)

    def release(self, booking, today: int) -> None:
        """Free a booking's places (withdrawn or moved); a future day becomes bookable again."""
        slots = self.days.get(booking.day)
        k = booking.place
        if slots is None or slots[k] is not booking:
            return
        for i in range(k, k + booking.length):
            slots[i] = None
        if booking.day > today:
            _insert(self.free_days, booking.day)
            if self.reserved:
                n = self.slots_per_day
                if any(slots[i] is None for i in range(self.places) if not (n - self.reserved <= i < n)):
                    _insert(self.free_ordinary, booking.day)

    def day_slots(self, day: int) -> list | None:
        """The places of ``day`` (a list of bookings or None), or None if nothing was booked."""
        return self.days.get(day)

    def forget(self, day: int) -> None:
        """Drop a day that has passed (keeps memory bounded by the booked future)."""
        self.days.pop(day, None)
        for free in (self.free_days, self.free_ordinary) if self.reserved else (self.free_days,):
            if free and free[0] <= day:
                del free[:bisect_left(free, day + 1)]

    def _extend(self, new_frontier: int) -> None:
        # every free day lies below the frontier, so new working days go at the end
        new = [d for d in range(self.frontier, new_frontier) if d % 7 < 5]
        self.free_days.extend(new)
        if self.reserved:
            self.free_ordinary.extend(new)
        self.frontier = new_frontier

    def bookings(self):
        """Every booking still in the diary (days not yet forgotten), once each, in no particular order."""
        for slots in self.days.values():
            for k, booking in enumerate(slots):
                if booking is not None and booking.place == k:
                    yield booking


def _discard(free: list[int], day: int) -> None:
    i = bisect_left(free, day)
    if i < len(free) and free[i] == day:
        del free[i]


def _insert(free: list[int], day: int) -> None:
    i = bisect_left(free, day)
    if i == len(free) or free[i] != day:
        free.insert(i, day)
