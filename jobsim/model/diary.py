"""A caseworker's diary: slots per day, and the earliest free slot from a given day.

Bookings are always for tomorrow or later, so today's slots never change
except by withdrawal. Days with a free slot are kept in a sorted list up to a
frontier that grows on demand: finding the earliest free day is a bisection.
"""

from __future__ import annotations

from bisect import bisect_left

from .calendar import FIRST_SLOT, MINUTES_PER_DAY

_EXTEND = 28  # days added to the frontier at a time


class Diary:
    """Slots of one caseworker: ``slots_per_day`` slots of ``slot_minutes`` from 9:00 on working days."""

    __slots__ = ("slots_per_day", "slot_minutes", "days", "free_days", "frontier")

    def __init__(self, slots_per_day: int, slot_minutes: float):
        self.slots_per_day = slots_per_day
        self.slot_minutes = slot_minutes
        self.days: dict[int, list] = {}    # day -> list of bookings or None, one per slot
        self.free_days: list[int] = []     # working days below the frontier with a free slot
        self.frontier = 0

    def book(self, booking, earliest_day: int) -> None:
        """Put ``booking`` into the earliest free slot on or after ``earliest_day``."""
        free = self.free_days
        i = bisect_left(free, earliest_day)
        while i == len(free):
            self._extend(max(self.frontier, earliest_day) + _EXTEND)
            i = bisect_left(free, earliest_day)
        day = free[i]
        slots = self.days.get(day)
        if slots is None:
            slots = self.days[day] = [None] * self.slots_per_day
        k = slots.index(None)
        slots[k] = booking
        if k == self.slots_per_day - 1 or None not in slots:
            del free[i]
        booking.day = day
        booking.slot = k
        booking.start = day * MINUTES_PER_DAY + FIRST_SLOT + k * self.slot_minutes

    def release(self, booking, today: int) -> None:
        """Free a booking's slot (withdrawn or moved); a future day becomes bookable again."""
        slots = self.days.get(booking.day)
        if slots is None or slots[booking.slot] is not booking:
            return
        slots[booking.slot] = None
        if booking.day > today:
            free = self.free_days
            i = bisect_left(free, booking.day)
            if i == len(free) or free[i] != booking.day:
                free.insert(i, booking.day)

    def day_slots(self, day: int) -> list | None:
        """The slots of ``day`` (a list of bookings or None), or None if nothing was booked."""
        return self.days.get(day)

    def forget(self, day: int) -> None:
        """Drop a day that has passed (keeps memory bounded by the booked future)."""
        self.days.pop(day, None)
        free = self.free_days
        if free and free[0] <= day:
            del free[:bisect_left(free, day + 1)]

    def _extend(self, new_frontier: int) -> None:
        # every free day lies below the frontier, so new working days go at the end
        self.free_days.extend(d for d in range(self.frontier, new_frontier) if d % 7 < 5)
        self.frontier = new_frontier

    def bookings(self):
        """Every booking still in the diary (days not yet forgotten), in no particular order."""
        for slots in self.days.values():
            for booking in slots:
                if booking is not None:
                    yield booking
