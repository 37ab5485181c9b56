"""KPIs: their names, units and meaning, and how they are computed from a run.

The KPI names are part of jobsim's public interface (tables, sweeps,
plots). Statistics count only the measured horizon (after the warm-up);
they are computed from the ledger's running totals
(:class:`jobsim.model.ledger.Totals`), so they are the same whether tables
were kept or not.
"""

from __future__ import annotations

import math

import numpy as np

from .ledger import Totals

#: KPI name -> (unit, meaning). Order is the order of tables and reports.
KPIS: dict[str, tuple[str, str]] = {
    "caseload_mean": ("citizens/worker", "time-averaged citizens per worker"),
    "meetings_held_per_worker_week": ("meetings", "conversations held per worker per week"),
    "noshow_rate": ("share", "share of booked conversations (held or missed) not attended"),
    "prep_minutes_mean": ("minutes", "preparation done per held conversation (ahead and after check-in)"),
    "prepared_share": ("share", "held conversations whose preparation met the citizen's need"),
    "conversation_minutes_mean": ("minutes", "conversation time per held conversation"),
    "direct_contact_share": ("share", "direct contact (booked conversations, calls and messages, employer contact, "
                                      "network meetings) / minutes present (what time-use studies report)"),
    "conversation_share": ("share", "booked conversations alone / minutes present"),
    "prep_followup_share": ("share", "preparation (wasted or not) and documentation of contacts / minutes present"),
    "casework_share": ("share", "ongoing casework / minutes present"),
    "noncase_share": ("share", "time that is not case work (meetings, supervision, training, administration) / "
                               "minutes present"),
    "idle_share": ("share", "minutes present that found no work / minutes present"),
    "contacts_postponed_share": ("share", "calls, employer contacts and network meetings due in the horizon and "
                                          "answered or held after their deadline (or not at all)"),
    "documentation_late_share": ("share", "documentation due in the horizon done after its deadline (or not at "
                                          "all)"),
    "first_conversation_days_mean": ("days", "days from entry to a new citizen's first held conversation"),
    "followup_gap_days_mean": ("days", "mean days between a citizen's held conversations (entry does not count)"),
    "followup_gap_days_p90": ("days", "90th percentile of the follow-up gap"),
    "followup_gap_days_max": ("days", "longest follow-up gap"),
    "overdue_share": ("share", "required conversations held after their due date, or past due and not held"),
    "overdue_days_mean": ("days", "mean days late over the requirements met late or not met"),
    "no_contact_over_year_count": ("citizens", "citizens with a gap over 365 days that began during the run, "
                                               "open gaps included"),
    "no_contact_over_year_pre_run_count": ("citizens", "citizens with a gap over 365 days that began before the "
                                                       "run (pre-filled history), open gaps included"),
    "need_wait_days_mean": ("days", "followup_by = need: days from a need for a conversation arising to the "
                                    "conversation held, over the needs met (a need whose citizen left first, or "
                                    "still waiting at the end, is not in it)"),
    "need_waiting_at_end_count": ("citizens", "followup_by = need: citizens whose need was not yet booked when the "
                                              "run ended"),
    "wasted_prep_minutes_per_worker_week": ("minutes", "preparation done for citizens who did not show or left "
                                                       "before the slot (the sum of the two below)"),
    "wasted_prep_noshow_minutes_per_worker_week": ("minutes", "preparation done for citizens who did not show"),
    "wasted_prep_withdrawn_minutes_per_worker_week": ("minutes", "preparation done for citizens who left before "
                                                                 "the slot"),
    "casework_coverage": ("share", "share of casework demand done by its deadline"),
    "checkin_wait_minutes_mean": ("minutes", "from check-in to the start of the conversation"),
    "utilization": ("share", "busy share of working time present (overtime included)"),
    "overtime_hours_per_worker_week": ("hours", "overtime per worker per week"),
    "cost_dkk_per_citizen_year": ("DKK", "workers x fte_cost_dkk / citizens served, per year"),
    "staff_dkk_per_year": ("DKK", "the team's staff cost per year: workers x fte_cost_dkk (gross)"),
    "benefit_dkk_per_year": ("DKK", "cash benefit paid per year to the team's citizens: "
                             "caseload_mean x workers x benefit_dkk_per_citizen_year"),
    "net_cost_dkk_per_year": ("DKK", "staff plus benefits per year, for the team (what more follow-up "
                              "can pay back)"),
}
KPI_NAMES = tuple(KPIS)

#: Unit -> (lowest, highest) value a KPI in that unit can take: a share is a proportion; the rest are counts,
#: times and money, never negative. A t interval on a mean near a bound reaches past it (a share's up to 1.0001,
#: a count's down to -0.36), so every interval jobsim reports is cut to these (:func:`bound_interval`).
UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "share": (0.0, 1.0),
    **{unit: (0.0, math.inf) for unit in ("citizens/worker", "meetings", "minutes", "days", "citizens", "hours",
                                          "DKK")},
}


def bound_interval(unit: str, low, high, mean=None):
    """``(low, high)`` cut to :data:`UNIT_BOUNDS` of ``unit`` (floats, NumPy arrays or pandas Series; NaN stays).

    With ``mean`` (the interval's centre) the interval keeps its mean even where rounding put the mean a hair
    past a bound (a utilization of 1 + 9e-16). A unit without bounds (e.g. of a difference, which may be
    negative) is returned as it is.

    >>> bound_interval("share", 0.97, 1.03)
    (0.97, 1.0)
    """
    if unit not in UNIT_BOUNDS:
        return low, high
    lowest, highest = UNIT_BOUNDS[unit]
    if mean is not None:  # fmin/fmax: a NaN mean leaves the bounds as they are
        lowest, highest = np.fmin(lowest, mean), np.fmax(highest, mean)
    if all(isinstance(x, float) for x in (low, high, lowest, highest)):
        lowest, highest = float(lowest), float(highest)
        return min(max(low, lowest), highest), min(max(high, lowest), highest)  # NaN compares false: kept
    return np.clip(low, lowest, highest), np.clip(high, lowest, highest)


def compute_kpis(acc: Totals, scenario) -> dict[str, float]:
    """The KPI dict (plain floats; NaN where a KPI has no observations, e.g. no held conversation)."""
    s = scenario
    horizon_min = s.horizon_days * 1440.0
    weeks = s.horizon_days / 7.0
    nan = math.nan   # one object, so KPI dicts of identical runs compare equal with == (nan != nan)

    def ratio(a, b):
        return float(a) / b if b else nan

    caseload = acc.caseload_area / horizon_min / s.workers
    gaps = np.frombuffer(acc.gaps, dtype=float) if len(acc.gaps) else np.empty(0)
    booked = acc.held + acc.noshows
    staff = s.workers * s.fte_cost_dkk
    benefit = float(caseload) * s.workers * s.benefit_dkk_per_citizen_year
    return {
        "caseload_mean": float(caseload),
        "meetings_held_per_worker_week": acc.held / s.workers / weeks,
        "noshow_rate": ratio(acc.noshows, booked),
        "prep_minutes_mean": ratio(acc.prep_sum, acc.held),
        "prepared_share": ratio(acc.prepared, acc.held),
        "conversation_minutes_mean": ratio(acc.conversation_sum, acc.held),
        "direct_contact_share": ratio(acc.conversation + acc.contact, acc.present),
        "conversation_share": ratio(acc.conversation, acc.present),
        "prep_followup_share": ratio(acc.prep + acc.documentation, acc.present),
        "casework_share": ratio(acc.casework, acc.present),
        "noncase_share": ratio(acc.noncase, acc.present),
        "idle_share": ratio(acc.idle, acc.present),
        "contacts_postponed_share": ratio(acc.contacts_late, acc.contacts),
        "documentation_late_share": ratio(acc.documentation_late, acc.documentation_tasks),
        "first_conversation_days_mean": ratio(acc.first_days_sum, acc.first_conversations),
        "followup_gap_days_mean": float(gaps.mean()) if gaps.size else nan,
        "followup_gap_days_p90": float(np.percentile(gaps, 90)) if gaps.size else nan,
        "followup_gap_days_max": float(gaps.max()) if gaps.size else nan,
        "overdue_share": ratio(acc.overdue, acc.required),
        "overdue_days_mean": ratio(acc.overdue_days_sum, acc.overdue),
        "no_contact_over_year_count": float(acc.no_contact),
        "no_contact_over_year_pre_run_count": float(acc.no_contact_pre_run),
        "need_wait_days_mean": ratio(acc.need_wait_days_sum, acc.needs_met),
        "need_waiting_at_end_count": float(acc.needs_waiting_at_end) if s.followup_by == "need" else nan,
        "wasted_prep_minutes_per_worker_week": (acc.wasted_noshow + acc.wasted_withdrawn) / s.workers / weeks,
        "wasted_prep_noshow_minutes_per_worker_week": acc.wasted_noshow / s.workers / weeks,
        "wasted_prep_withdrawn_minutes_per_worker_week": acc.wasted_withdrawn / s.workers / weeks,
        "casework_coverage": ratio(acc.casework_done, acc.casework_demand),
        "checkin_wait_minutes_mean": ratio(acc.wait_sum, acc.held),
        "utilization": ratio(acc.busy, acc.present + acc.overtime),
        "overtime_hours_per_worker_week": acc.overtime / 60.0 / s.workers / weeks,
        "cost_dkk_per_citizen_year": ratio(s.fte_cost_dkk, caseload),
        "staff_dkk_per_year": staff,
        "benefit_dkk_per_year": benefit,
        "net_cost_dkk_per_year": staff + benefit,
    }


def format_kpis(kpis: dict[str, float]) -> str:
    """The KPIs as an aligned text table: name, value, unit."""
    width = max(len(k) for k in kpis)
    lines = [f"{'KPI':<{width}}  {'value':>12}  unit", f"{'-' * width}  {'-' * 12}  {'-' * 15}"]
    for k, v in kpis.items():
        unit = KPIS.get(k, ("", ""))[0]
        if isinstance(v, float) and math.isnan(v):
            text = "n/a"
        elif unit == "DKK":
            text = f"{v:,.0f}"
        elif unit == "share":
            text = f"{v:.3f}"
        else:
            text = f"{v:,.2f}"
        lines.append(f"{k:<{width}}  {text:>12}  {unit}")
    return "\n".join(lines)
