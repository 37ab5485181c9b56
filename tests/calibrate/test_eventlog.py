"""Exports of a run: the appointment log (the calibrate format, with or without a ``group`` column), XES
validated against the IEEE 1849 schema and OCEL 2.0 JSON against the OCEL 2.0 schema, both carried in
tests/data (issue 14); pm4py reads them back when it is installed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim.calibrate.log import read_appointment_log
from jobsim.cli import main
from jobsim.runner.eventlog import ACTIVITIES, appointment_log, event_table, start_date, write_ocel, write_xes
from jobsim.runner.simulate import simulate

DATA = Path(__file__).resolve().parents[1] / "data"
TINY = dict(workers=2, horizon_days=56, warmup_days=14)


@pytest.fixture(scope="module")
def result():
    return simulate(jobsim.load_scenario("laerkevej", **TINY, sms_reminders=True), seed=3)


def test_appointment_log_has_held_and_missed_bookings_in_the_format(result, tmp_path):
    log = appointment_log(result)
    m = result.meetings
    assert len(log) == m["outcome"].isin(["held", "no_show"]).sum()
    assert log["attended"].sum() == (m["outcome"] == "held").sum()
    assert log["sms_sent"].all()          # sms_reminders = true: every booking had one (from the policy trait)
    assert (log["group"] == "all").all()  # the meetings table's group column (one group: "all") is carried
    assert log["slot_start"].iloc[0].startswith("2024-")
    log.to_csv(tmp_path / "a.csv", index=False)
    back = read_appointment_log(tmp_path / "a.csv")
    assert back.bookings == len(log)
    held = back.frame[back.frame["attended"]]
    minutes = (held["conversation_end"] - held["conversation_start"]).dt.total_seconds() / 60
    assert minutes.mean() == pytest.approx(m.loc[m["outcome"] == "held", "conversation_minutes"].mean(), abs=0.01)


def test_appointment_log_takes_group_and_sms_columns_when_the_meetings_table_has_them(result):
    meetings = result.meetings.copy()
    meetings["group"] = ["youth" if c % 2 else "adult" for c in meetings["citizen"]]
    meetings["sms"] = meetings["citizen"] % 3 == 0
    changed = type(result)(**{**result.__dict__, "meetings": meetings})
    log = appointment_log(changed)
    kept = meetings[meetings["outcome"].isin(["held", "no_show"])]
    assert sorted(log["group"].unique()) == ["adult", "youth"]
    assert log["sms_sent"].sum() == kept["sms"].sum()


def test_the_model_calendar_is_put_on_a_monday():
    assert start_date(None).isoformat() == "2024-01-01"
    with pytest.raises(jobsim.JobsimError, match="is a Tuesday"):
        start_date("2024-01-02")


def test_events_happen_in_order_for_each_booking(result):
    events = event_table(result)
    assert set(events["activity"]) <= set(ACTIVITIES)
    assert {"booked", "reminder sent", "checked in", "conversation started", "conversation ended",
            "no-show"} <= set(events["activity"])
    for _, g in events.groupby("meeting"):
        order = g.sort_values(["minute", "step"])["step"].tolist()
        assert order == sorted(order)     # booked < reminder < check-in < ... < ended
    held = (result.meetings["outcome"] == "held").sum()
    assert (events["activity"] == "conversation ended").sum() == held


def test_xes_validates_against_the_ieee_1849_schema(result, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(DATA / "xes-ieee-1849-2016.xsd")))
    write_xes(result, tmp_path / "events.xes")
    doc = etree.parse(str(tmp_path / "events.xes"))
    schema.assertValid(doc)
    traces = doc.getroot().findall("trace")
    assert len(traces) == result.meetings["citizen"].nunique()
    assert len(doc.getroot().findall("trace/event")) == len(event_table(result))


def test_xes_that_breaks_the_schema_is_caught(tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(DATA / "xes-ieee-1849-2016.xsd")))
    bad = etree.fromstring('<log xes.version="2.0"><trace><event><date key="time:timestamp" value="monday"/>'
                           '</event></trace></log>')
    assert not schema.validate(bad)   # the schema is strict enough to catch a bad timestamp


def test_ocel_validates_against_the_ocel_2_schema(result, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "ocel20-schema-json.json").read_text(encoding="utf-8"))
    write_ocel(result, tmp_path / "events.jsonocel")
    doc = json.loads((tmp_path / "events.jsonocel").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    types = {o["type"] for o in doc["objects"]}
    assert types == {"citizen", "caseworker", "booking"}
    ids = {o["id"] for o in doc["objects"]}
    assert all(r["objectId"] in ids for e in doc["events"] for r in e["relationships"])
    assert len(doc["events"]) == len(event_table(result))
    bad = {**doc, "events": [{"id": "e1", "type": "booked"}]}   # no time
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# pm4py suggests an optional faster reader (r4pm) when it reads a file; its own advice, not a problem here
@pytest.mark.filterwarnings("ignore:Install the optional requirement:UserWarning")
def test_pm4py_reads_the_exports_back_if_installed(result, tmp_path):
    pm4py = pytest.importorskip("pm4py")
    write_xes(result, tmp_path / "events.xes")
    write_ocel(result, tmp_path / "events.jsonocel")
    xes = pm4py.read_xes(str(tmp_path / "events.xes"))
    assert len(xes) == len(event_table(result))
    ocel = pm4py.read_ocel2_json(str(tmp_path / "events.jsonocel"))
    assert len(ocel.events) == len(event_table(result))


def test_run_writes_the_logs_it_is_asked_for(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", "laerkevej", *[f"--set={k}={v}" for k, v in TINY.items()], "--appointment-log",
                 "--event-log", "xes", "--event-log", "ocel", "--log-start", "2025-01-06", "--out", str(out), "-q"])
    assert code == 0
    assert {"appointment_log.csv", "events.xes", "events.jsonocel"} <= {p.name for p in out.iterdir()}
    log = pd.read_csv(out / "appointment_log.csv")
    assert log["slot_start"].min() >= "2025-01-06"
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"appointment_log.csv", "events.xes", "events.jsonocel"} <= set(manifest["files"])


def test_run_refuses_a_log_start_that_is_not_a_monday(tmp_path, capsys):
    code = main(["run", "laerkevej", "--appointment-log", "--log-start", "2025-01-07", "--out", str(tmp_path / "r")])
    assert code == 2
    assert "2025-01-07 is a Tuesday" in capsys.readouterr().err
