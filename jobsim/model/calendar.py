"""The working calendar: minutes from Monday 00:00 of week 1.

Working days are Monday to Friday, 8:00 to 15:24 (37 hours a week);
conversation slots start at 9:00.
"""

from __future__ import annotations

from .scenario import DAY_END, DAY_START, FIRST_SLOT, WORKDAY_MINUTES

MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

__all__ = ["DAY_END", "DAY_START", "FIRST_SLOT", "WORKDAY_MINUTES", "MINUTES_PER_DAY", "MINUTES_PER_WEEK",
           "is_workday", "day_of", "clock", "add_workdays"]


def is_workday(day: int) -> bool:
    """True for Monday to Friday (day 0 is a Monday)."""
    return day % 7 < 5


def day_of(minute: float) -> int:
    """The calendar day (0 = Monday of week 1) that a time in minutes falls on."""
    return int(minute // MINUTES_PER_DAY)


def add_workdays(day: int, n: int) -> int:
    """The day ``n`` working days after ``day`` (Friday + 2 working days is Tuesday)."""
    while n > 0:
        day += 1
        if day % 7 < 5:
            n -= 1
    return day


def clock(minute: float) -> str:
    """A time in minutes as 'week W day HH:MM' (for messages and diaries)."""
    day = day_of(minute)
    m = minute - day * MINUTES_PER_DAY
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return f"week {day // 7 + 1} {names[day % 7]} {int(m // 60):02d}:{int(m % 60):02d}"
