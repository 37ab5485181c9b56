"""No valid scenario crashes: scenarios drawn from every field's declared range run and give sane KPIs.

The ranges are read from the Scenario's own field declarations, so a range
widened later is tested at once. Only the size of a run is kept small (a few
caseworkers, a few weeks), so that a few hundred scenarios run in CI.
"""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobsim import KPI_NAMES, Scenario, simulate
from jobsim.model.calendar import DAY_END, FIRST_SLOT
from jobsim.model.leadbands import BAND_FIELDS
from jobsim.model.rules import RULES
from jobsim.policies import BUILTIN_POLICIES

#: Fields whose range is narrowed to keep each run small (name -> (low, high)).
SMALL_RUN = {"workers": (1, 2), "horizon_days": (7, 21), "warmup_days": (0, 7)}
#: Contact rates drawn from a narrower range than allowed (at 1,000 cases, 20 calls per citizen a week would make
#: one example take minutes; the mechanism is the same at any rate).
NARROW = {"citizen_contacts_per_week": (0.0, 2.0), "employer_contacts_per_week": (0.0, 20.0),
          "network_meetings_per_citizen_year": (0.0, 12.0)}
#: Fields drawn on a log scale (their ranges span orders of magnitude).
LOG_SCALE = {"caseload", "stay_days", "fte_cost_dkk", "casework_minutes"}


def bounds(name):
    low = high = None
    low_open = high_open = False
    for m in Scenario.model_fields[name].metadata:
        for attr, is_low, is_open in (("ge", True, False), ("gt", True, True), ("le", False, False),
                                      ("lt", False, True)):
            if hasattr(m, attr):
                if is_low:
                    low, low_open = getattr(m, attr), is_open
                else:
                    high, high_open = getattr(m, attr), is_open
    return low, high, low_open, high_open


def value(draw, name):
    ann = Scenario.model_fields[name].annotation
    if name in SMALL_RUN:
        return draw(st.integers(*SMALL_RUN[name]))
    if name in NARROW:
        return draw(st.floats(*NARROW[name]))
    low, high, low_open, high_open = bounds(name)
    if ann is int:
        return draw(st.integers(low, high))
    if name in LOG_SCALE:
        lo = math.log(max(low, 1e-3))
        x = math.exp(draw(st.floats(lo, math.log(high))))
        return min(max(x, low + 1e-9 if low_open else low), high)
    extremes = [v for v, is_open in ((low, low_open), (high, high_open)) if not is_open]
    return draw(st.one_of(st.sampled_from(extremes), st.floats(low, high, exclude_min=low_open,
                                                                  exclude_max=high_open)))


@st.composite
def groups(draw):
    """None, or two to three groups with shares adding up to 1, each with a rule and some values of its own."""
    n = draw(st.sampled_from([0, 2, 3]))
    if n == 0:
        return ()
    weights = [draw(st.integers(1, 9)) for _ in range(n)]
    out = []
    for i, w in enumerate(weights):
        p = draw(st.floats(0, 1))
        out.append({"name": f"g{i}", "share": w / sum(weights), "rule": draw(st.sampled_from(list(RULES))),
                    "noshow_probability": p, "noshow_spread": math.sqrt(p * (1 - p)) * draw(st.floats(0, 0.99)),
                    "first_conversation_minutes": draw(st.floats(0, 360)),
                    "casework_minutes": draw(st.floats(0, 120))})
    total = sum(g["share"] for g in out)
    out[-1]["share"] += 1.0 - total     # exactly 1 to rounding
    return tuple(out)


@st.composite
def valid_scenarios(draw):
    values = {}
    for name, field in Scenario.model_fields.items():
        ann = field.annotation
        if name in ("name", "description"):
            continue
        if ann is bool:
            values[name] = draw(st.booleans())
        elif name == "desk_priority":
            values[name] = draw(st.sampled_from(["edf", "prep_first", "casework_first"]))
        elif name == "prep_policy":
            values[name] = draw(st.sampled_from(BUILTIN_POLICIES))
        elif name == "rule":
            values[name] = draw(st.sampled_from(list(RULES)))
        elif name == "groups":
            values[name] = draw(groups())
        elif ann in (int, float):
            values[name] = value(draw, name)
    # the cross-field rules, met by construction: slots fit the day, the grace period and the shortest
    # conversation fit the slot, the contact plan is within the law, the Beta spread fits the mean
    room = DAY_END - FIRST_SLOT
    values["slot_minutes"] = min(values["slot_minutes"], float(room))
    values["slots_per_day"] = max(1, min(values["slots_per_day"], int(room // values["slot_minutes"])))
    values["grace_minutes"] = min(values["grace_minutes"], values["slot_minutes"] * draw(st.floats(0, 0.99)))
    values["min_conversation_minutes"] = min(values["min_conversation_minutes"], values["slot_minutes"])
    values["contact_interval_days"] = min(values["contact_interval_days"], values["interval_days"])
    values["reserved_slots_per_day"] = min(values["reserved_slots_per_day"], values["slots_per_day"] - 1)
    # inflow-driven or not; when it is, the inflow that gives the drawn caseload (a caseload that contradicts
    # the inflow is refused, and the inflow's own range would make runs far too large)
    inflow_driven = draw(st.booleans())
    values["inflow_per_year"] = (values["caseload"] * values["workers"] * 365.0 / values["stay_days"]
                                 if inflow_driven else 0.0)
    if not values["overrun"]:
        values["overbook_per_day"] = 0
    longest = values["slots_per_day"] * values["slot_minutes"]
    values["first_conversation_minutes"] = min(values["first_conversation_minutes"], longest)
    values["groups"] = tuple(g | {"first_conversation_minutes": min(g["first_conversation_minutes"], longest)}
                             for g in values["groups"])
    p = values["noshow_probability"]
    limit = math.sqrt(p * (1 - p))
    values["noshow_spread"] = min(values["noshow_spread"], limit * draw(st.floats(0, 0.99)))
    if draw(st.booleans()):   # one lead shape: odds by lead band or one odds ratio per 30 days, not both
        values["noshow_lead_odds_ratio"] = 1.0
    else:
        values.update({name: 1.0 for name in BAND_FIELDS.values()})
    return Scenario(**values)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(valid_scenarios(), st.integers(0, 2**16))
def test_valid_scenarios_run_and_give_finite_or_na_kpis_and_minutes_that_add_up(scenario, seed):
    result = simulate(scenario, seed=seed)
    assert set(result.kpis) == set(KPI_NAMES)
    for name, v in result.kpis.items():
        assert math.isnan(v) or math.isfinite(v), name
    days = result.worker_days
    activities = ["conversation_minutes", "contact_minutes", "prep_minutes", "wasted_prep_minutes",
                  "documentation_minutes", "casework_minutes", "noncase_minutes", "idle_minutes"]
    spent = days[activities].sum(axis=1)
    available = days["present_minutes"] + days["overtime_minutes"]
    assert ((spent - available).abs() <= 1e-6 * (1 + available)).all()
    assert (days[activities] >= -1e-9).all().all()
    for share in ("noshow_rate", "prepared_share", "overdue_share", "casework_coverage", "utilization",
                  "contacts_postponed_share", "documentation_late_share"):
        v = result.kpis[share]
        assert math.isnan(v) or -1e-12 <= v <= 1 + 1e-12, share
    # every slot before the last day of the run was dealt with (held, missed, withdrawn or moved): only the
    # last day's conversations can still be pending when the run ends at midnight
    pending = result.meetings[result.meetings.outcome == "pending"]
    assert (pending.day >= scenario.run_days - 1).all(), pending.day.min()
