"""A run's bookings as an appointment log, and as standard event logs (XES and OCEL 2.0).

* :func:`appointment_log`: one row per booked conversation that was held or
  missed, in the format ``jobsim calibrate`` reads (``docs/appointment_log.md``),
  so calibration can be tested on logs whose true values are known.
* :func:`event_table`: what happened to each booking, one row per event.
* :func:`write_xes`: the events as an IEEE 1849 XES log, one trace per citizen.
* :func:`write_ocel`: the events as an OCEL 2.0 JSON log with citizens, caseworkers and bookings as objects.

The model's clock (minutes from Monday 00:00 of week 1) is put on the
calendar from ``start``, which must be a Monday (default 2024-01-01) so that
weekdays stay weekdays. Times are written in UTC.
"""

from __future__ import annotations

import json
import os
from datetime import date
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from ..errors import JobsimError
from ..model.calendar import DAY_START, MINUTES_PER_DAY, WORKDAYS_PER_WEEK
from ..model.policies import get_policy, policy_traits
from .files import write_atomic

#: The first Monday of 2024: where the model's day 0 goes unless told otherwise.
DEFAULT_START = date(2024, 1, 1)
#: The activities of the event logs, in the order they happen to one booking.
ACTIVITIES = ("booked", "reminder sent", "checked in", "preparation done", "conversation started",
              "conversation ended", "no-show", "booking withdrawn")
_XES_EXTENSIONS = (("Concept", "concept"), ("Time", "time"), ("Lifecycle", "lifecycle"), ("Organizational", "org"))


def start_date(text: str | date | None) -> date:
    """The calendar day of the model's day 0: a Monday, given as YYYY-MM-DD (default 2024-01-01)."""
    if text is None:
        return DEFAULT_START
    try:
        day = text if isinstance(text, date) else date.fromisoformat(str(text))
    except ValueError:
        raise JobsimError(f"--log-start: {text!r} is not a date (YYYY-MM-DD)") from None
    if day.weekday() != 0:
        raise JobsimError(f"--log-start: {day} is a {day.strftime('%A')}; the model's weeks start on a Monday, "
                          "so give a Monday")
    return day


def _clock(minutes, start: date) -> pd.Series:
    """Model minutes as datetimes from ``start`` (whole seconds)."""
    origin = pd.Timestamp(start)
    return pd.Series(origin + pd.to_timedelta(np.round(np.asarray(minutes, dtype=float) * 60), unit="s"))


def _sms(result) -> pd.Series:
    """Whether each booking had an SMS reminder: the meetings table's ``sms`` column, else the policy trait."""
    m = result.meetings
    if "sms" in m:
        return m["sms"].astype(bool)
    traits = policy_traits(get_policy(result.scenario.prep_policy), result.scenario)
    return pd.Series(bool(traits.sends_sms), index=m.index)


def appointment_log(result, start: str | date | None = None) -> pd.DataFrame:
    """The run's held and missed bookings in the appointment-log format.

    Bookings withdrawn (the citizen left first) or still ahead at the end are
    left out: they say nothing about attendance. ``group`` is written when the
    meetings table has it.
    """
    day0 = start_date(start)
    m = result.meetings
    sms = _sms(result)
    keep = m["outcome"].isin(["held", "no_show"]).to_numpy()
    m, sms = m[keep], sms[keep]
    held = m["outcome"].eq("held")
    fmt = "%Y-%m-%dT%H:%M:%S"
    conv_start = _clock(m["conversation_start"], day0)
    conv_end = _clock(m["conversation_start"] + m["conversation_minutes"], day0)
    out = pd.DataFrame({
        "citizen_id": m["citizen"].to_numpy(),
        "booked_at": _clock(m["booked_day"] * MINUTES_PER_DAY, day0).dt.strftime(fmt).to_numpy(),
        "slot_start": _clock(m["slot_start"], day0).dt.strftime(fmt).to_numpy(),
        "attended": held.to_numpy(),
        "caseworker_id": m["worker"].to_numpy(),
        "sms_sent": sms.to_numpy(),
        "checkin_at": _clock(m["checkin"], day0).dt.strftime(fmt).where(held.to_numpy(), "").to_numpy(),
        "conversation_start": conv_start.dt.strftime(fmt).where(held.to_numpy(), "").to_numpy(),
        "conversation_end": conv_end.dt.strftime(fmt).where(held.to_numpy(), "").to_numpy(),
    })
    if "group" in m:
        out["group"] = m["group"].to_numpy()
    order = np.lexsort((m["meeting"].to_numpy(), m["booked_day"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _reminder_minute(slot_day: np.ndarray, workdays: int) -> np.ndarray:
    """The minute (8:00) of the day ``workdays`` working days before each slot day."""
    day = slot_day.astype(int).copy()
    left = np.full(len(day), workdays)
    while (left > 0).any():
        move = left > 0
        day[move] -= 1
        left[move & (day % 7 < WORKDAYS_PER_WEEK)] -= 1
    return day * MINUTES_PER_DAY + DAY_START


def event_table(result) -> pd.DataFrame:
    """One row per event: ``citizen``, ``worker``, ``meeting``, ``activity``, ``minute`` (model clock) and
    ``prep_minutes``, ``rebooked``, sorted by citizen and time.

    ``preparation done`` is stamped when the conversation starts (when
    preparation has to be done; the table keeps how much, not when);
    ``no-show`` when the grace period ends; ``booking withdrawn`` when the
    citizen left the caseload; ``reminder sent`` at 8:00, ``reminder_days``
    working days before the slot, if the booking was made by then. A move
    for a caseworker's absence is not an event (its time is not kept): the
    bookings carry ``rebooked``, the number of moves.
    """
    m, s = result.meetings, result.scenario
    base = m[["citizen", "worker", "meeting", "prep_minutes", "rebooked"]]
    parts = [base.assign(activity="booked", minute=m["booked_day"] * MINUTES_PER_DAY)]
    sms = _sms(result).to_numpy()
    if sms.any():
        when = _reminder_minute(m["day"].to_numpy(), s.reminder_days)
        ok = sms & (when >= m["booked_day"].to_numpy() * MINUTES_PER_DAY) & m["outcome"].ne("withdrawn").to_numpy()
        parts.append(base[ok].assign(activity="reminder sent", minute=when[ok]))
    held = m["outcome"].eq("held").to_numpy()
    h = m[held]
    parts += [base[held].assign(activity="checked in", minute=h["checkin"]),
              base[held & (m["prep_minutes"] > 0).to_numpy()].assign(
                  activity="preparation done", minute=m.loc[held & (m["prep_minutes"] > 0).to_numpy(),
                                                            "conversation_start"]),
              base[held].assign(activity="conversation started", minute=h["conversation_start"]),
              base[held].assign(activity="conversation ended",
                                minute=h["conversation_start"] + h["conversation_minutes"])]
    missed = m["outcome"].eq("no_show").to_numpy()
    parts.append(base[missed].assign(activity="no-show", minute=m.loc[missed, "slot_start"] + s.grace_minutes))
    gone = m["outcome"].eq("withdrawn").to_numpy()
    if gone.any() and result.citizens is not None:
        exit_day = result.citizens.set_index("citizen")["exit_day"]
        w = base[gone]
        parts.append(w.assign(activity="booking withdrawn",
                              minute=w["citizen"].map(exit_day).to_numpy() * MINUTES_PER_DAY))
    events = pd.concat(parts, ignore_index=True)
    events["step"] = events["activity"].map({a: i for i, a in enumerate(ACTIVITIES)})
    events = events[np.isfinite(events["minute"].to_numpy(dtype=float))]
    return events.sort_values(["citizen", "minute", "meeting", "step"], kind="stable", ignore_index=True)


def _iso(events: pd.DataFrame, start: date) -> np.ndarray:
    return _clock(events["minute"], start).dt.strftime("%Y-%m-%dT%H:%M:%S.000+00:00").to_numpy()


def write_xes(result, path: str | os.PathLike, start: str | date | None = None) -> None:
    """Write the run's events as an XES log (IEEE 1849): a trace per citizen (case = citizen).

    Each event has ``concept:name`` (the activity), ``time:timestamp``,
    ``lifecycle:transition`` ``complete``, ``org:resource`` (the caseworker),
    ``jobsim:booking``, and for a held conversation ``jobsim:prep_minutes``;
    ``jobsim:rebooked`` counts moves for the caseworker's absence.
    """
    day0 = start_date(start)
    events = event_table(result)
    times = _iso(events, day0)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<log xes.version="2.0">']
    lines += [f'  <extension name="{n}" prefix="{p}" uri="http://www.xes-standard.org/{p}.xesext"/>'
              for n, p in _XES_EXTENSIONS]
    lines += ['  <global scope="trace"><string key="concept:name" value="unknown"/></global>',
              '  <global scope="event"><string key="concept:name" value="unknown"/>'
              '<date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/></global>',
              '  <classifier name="Activity" keys="concept:name"/>',
              f'  <string key="concept:name" value={quoteattr(_title(result))}/>']
    cit = events["citizen"].to_numpy()
    names, workers = events["activity"].to_numpy(), events["worker"].to_numpy()
    bookings, rebooked = events["meeting"].to_numpy(), events["rebooked"].to_numpy()
    prep = events["prep_minutes"].to_numpy()
    previous = None
    for i in range(len(events)):
        if cit[i] != previous:
            if previous is not None:
                lines.append("  </trace>")
            lines.append(f'  <trace><string key="concept:name" value="citizen {cit[i]}"/>')
            previous = cit[i]
        extra = (f'<float key="jobsim:prep_minutes" value="{prep[i]:.3f}"/>'
                 if names[i] == "preparation done" else "")
        lines.append(f'    <event><string key="concept:name" value="{names[i]}"/>'
                     f'<date key="time:timestamp" value="{times[i]}"/>'
                     f'<string key="lifecycle:transition" value="complete"/>'
                     f'<string key="org:resource" value="caseworker {workers[i]}"/>'
                     f'<string key="jobsim:booking" value="booking {bookings[i]}"/>'
                     f'<int key="jobsim:rebooked" value="{rebooked[i]}"/>{extra}</event>')
    if previous is not None:
        lines.append("  </trace>")
    lines.append("</log>")
    write_atomic(path, "\n".join(lines) + "\n")


def write_ocel(result, path: str | os.PathLike, start: str | date | None = None) -> None:
    """Write the run's events as an OCEL 2.0 JSON log.

    Objects: ``citizen``, ``caseworker`` and ``booking`` (with its slot,
    outcome and times); every event relates to its booking, citizen and
    caseworker, qualified by their role. Values are written as text, as the
    OCEL 2.0 JSON schema asks; their types are declared in the type lists.
    """
    day0 = start_date(start)
    events = event_table(result)
    times = _iso(events, day0)
    m = result.meetings
    booked_at = _iso(pd.DataFrame({"minute": m["booked_day"] * MINUTES_PER_DAY}), day0)
    slot = _iso(pd.DataFrame({"minute": m["slot_start"]}), day0)
    event_types = [{"name": a, "attributes": [{"name": "prep_minutes", "type": "float"}]
                    if a == "preparation done" else []} for a in ACTIVITIES]
    object_types = [{"name": "citizen", "attributes": []}, {"name": "caseworker", "attributes": []},
                    {"name": "booking", "attributes": [{"name": "slot_start", "type": "time"},
                                                       {"name": "outcome", "type": "string"},
                                                       {"name": "rebooked", "type": "integer"}]}]
    objects = [{"id": f"citizen {c}", "type": "citizen", "attributes": [],
                "relationships": [{"objectId": f"caseworker {w}", "qualifier": "on the caseload of"}]}
               for c, w in m.groupby("citizen", sort=True)["worker"].first().items()]
    objects += [{"id": f"caseworker {w}", "type": "caseworker", "attributes": []}
                for w in sorted(m["worker"].unique())]
    for row, b_at, s_at in zip(m.itertuples(index=False), booked_at, slot):
        objects.append({"id": f"booking {row.meeting}", "type": "booking",
                        "attributes": [{"name": "slot_start", "value": s_at, "time": b_at},
                                       {"name": "outcome", "value": row.outcome, "time": b_at},
                                       {"name": "rebooked", "value": str(row.rebooked), "time": b_at}],
                        "relationships": [{"objectId": f"citizen {row.citizen}", "qualifier": "booked for"},
                                          {"objectId": f"caseworker {row.worker}", "qualifier": "in the diary of"}]})
    out_events = []
    for i, (c, w, b, a, p) in enumerate(zip(events["citizen"], events["worker"], events["meeting"],
                                            events["activity"], events["prep_minutes"])):
        attrs = [{"name": "prep_minutes", "value": f"{p:.3f}"}] if a == "preparation done" else []
        out_events.append({"id": f"e{i + 1}", "type": a, "time": times[i], "attributes": attrs,
                           "relationships": [{"objectId": f"booking {b}", "qualifier": "booking"},
                                             {"objectId": f"citizen {c}", "qualifier": "citizen"},
                                             {"objectId": f"caseworker {w}", "qualifier": "caseworker"}]})
    doc = {"objectTypes": object_types, "eventTypes": event_types, "objects": objects, "events": out_events}
    write_atomic(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))


def _title(result) -> str:
    return f"jobsim {result.scenario.name}, seed {result.seed}, replication {result.replication}"
