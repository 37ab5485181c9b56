"""The working calendar: every clock constant of the model lives here.

Time is in minutes from Monday 00:00 of week 1 (day 0 is a Monday). Working
days are Monday to Friday, 8:00 to 15:24 (37 hours a week); conversation
slots start at 9:00.
"""

from __future__ import annotations

#: Working day, minutes after midnight (8:00 to 15:24, 37 h a week).
DAY_START = 8 * 60
DAY_END = 15 * 60 + 24
#: The first conversation slot of the day starts at 9:00.
FIRST_SLOT = 9 * 60
WORKDAY_MINUTES = DAY_END - DAY_START
MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
WORKDAYS_PER_WEEK = 5


def add_workdays(day: int, n: int) -> int:
    """The day ``n`` working days after ``day`` (Friday + 2 working days is Tuesday).

    >>> add_workdays(4, 2)
    8
    """
    while n > 0:
        day += 1
        if day % 7 < WORKDAYS_PER_WEEK:
            n -= 1
    return day
