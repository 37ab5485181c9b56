"""Legal follow-up rules: when a citizen's first and next conversations are due.

A rule says by which day the law requires the next held conversation. It
decides the citizen's *due day*; the jobcenter's contact plan
(``contact_interval_days``) may plan conversations earlier, never later, and
"overdue" is always measured against the rule of the citizen's own group.

==========================  ==============================  ==================================================
rule                        first conversation due          next conversation due after one held on day d
==========================  ==============================  ==================================================
``activity_ready_2019``     ``first_meeting_days`` after    d + ``interval_days``
                            entry
``lab_2020``                ``first_meeting_days`` after    while fewer than 4 are held and the citizen is in
                            entry                           the first 182 days: the remaining ones spread
                                                            evenly up to day 182 after entry; then
                                                            d + ``interval_days``
``sickness_benefit``        56 days after entry (end of     d + 28
                            sick week 8)
==========================  ==============================  ==================================================

Sources: the pre-2020 activity-ready cash-benefit rule (first conversation
within a week, then at least 4 in every 12 months) and the sickness-benefit
follow-up (before the end of sick week 8, then at least every 4 weeks) from
the Danish Agency for Labour Market and Recruitment (STAR, "Opfølgning på
data om samtaler"; "Sygedagpengeopfølgning"); the 2020 law: Lov om en aktiv
beskæftigelsesindsats (LAB, 2019) § 31, at least four individual job
conversations in the first six months. How the four are spread over the six
months (evenly, counted from the last held one) is an assumption: the law
only counts them.
"""

from __future__ import annotations

import math

ACTIVITY_READY_2019, LAB_2020, SICKNESS_BENEFIT = "activity_ready_2019", "lab_2020", "sickness_benefit"

#: Every rule, with one sentence a caseworker would recognise.
RULES = {
    ACTIVITY_READY_2019: "first conversation within a week, then at most interval_days (91) between held ones",
    LAB_2020: "first within a week, four in the first six months, then at most interval_days between held ones",
    SICKNESS_BENEFIT: "first before the end of sick week 8, then at least every four weeks",
}

LAB_INTENSIVE_DAYS = 182          # the first six months after entry, days
LAB_INTENSIVE_CONVERSATIONS = 4   # conversations required in them
SICKNESS_FIRST_DAYS = 56          # end of sick week 8, days after entry
SICKNESS_INTERVAL_DAYS = 28       # at least every four weeks


def first_due_days(rule: str, scenario) -> int:
    """Days from entry to the day the first conversation is due."""
    if rule == SICKNESS_BENEFIT:
        return SICKNESS_FIRST_DAYS
    return scenario.first_meeting_days


def next_gap_days(rule: str, scenario, entry_day: int, held: int, today: int) -> int:
    """Days from ``today`` (a conversation was held) to the next due day under ``rule``.

    ``held`` counts the citizen's held conversations since entry, today's included;
    ``entry_day`` is the day they entered the caseload.

    >>> from jobsim.model.scenario import Scenario
    >>> next_gap_days(LAB_2020, Scenario(), entry_day=0, held=1, today=7)   # 3 more by day 182
    59
    >>> next_gap_days(LAB_2020, Scenario(), entry_day=0, held=4, today=150)
    91
    """
    if rule == ACTIVITY_READY_2019:
        return scenario.interval_days
    if rule == SICKNESS_BENEFIT:
        return SICKNESS_INTERVAL_DAYS
    end = entry_day + LAB_INTENSIVE_DAYS
    left = LAB_INTENSIVE_CONVERSATIONS - held
    if left > 0 and today < end:
        return max(1, math.ceil((end - today) / left))
    return scenario.interval_days
