"""The sweep report's short answer (issue 21): the figures of each level of every other varied factor, never
a mean across them; and an unfinished sweep said to be unfinished, with the replications it really has."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.report import charts
from jobsim.report.texts import text
from jobsim.report.words import lower_first, num, pct
from jobsim.studies import questions

BASE = jobsim.load_scenario("ds_norm", workers=2, horizon_days=28, warmup_days=7)
#: Two varied factors, and preparing ahead against after check-in: the prepared shares are about 100% and
#: 5%, so a mean over the policies (about 50%) is a share no policy has.
GRID = {"caseload": [40.0, 130.0], "prep_policy": ["ahead", "after_checkin"]}
#: The arrow of "from → to", with no-break spaces around it (a pair never breaks across lines).
TO = "\u00a0\u2192\u00a0"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A finished sweep folder (2 caseloads x 2 policies x 3 replications) and its result."""
    out = tmp_path_factory.mktemp("sweep") / "sw"
    return out, jobsim.sweep(BASE, GRID, replications=3, seed=1, out=out, progress=False)


def point_mean(result, kpi, caseload, policy):
    """The mean of ``kpi`` over the runs of one scenario point, straight from the runs."""
    runs = result.runs
    return float(runs[(runs["caseload"] == caseload) & (runs["prep_policy"] == policy)][kpi].mean())


def share(value, lang):
    return pct(value, lang, 1 if value < 0.1 else 0)


def test_the_answer_gives_each_policy_its_own_figures_in_english(stored):
    out, result = stored
    m = {(k, c, p): point_mean(result, k, c, p) for k in ("prepared_share", "prep_minutes_mean")
         for c in GRID["caseload"] for p in GRID["prep_policy"]}
    assert m["prepared_share", 40.0, "ahead"] > 0.9 and m["prepared_share", 40.0, "after_checkin"] < 0.2

    def prepared(policy):
        return f"{share(m['prepared_share', 40.0, policy], 'en')}{TO}{share(m['prepared_share', 130.0, policy], 'en')}"

    def minutes(policy):
        return f"{num(m['prep_minutes_mean', 40.0, policy], 'en', 1)}{TO}" \
               f"{num(m['prep_minutes_mean', 130.0, policy], 'en', 1)}"

    assert questions.sweep_report(out, "en").answer == (
        "Scenario ds_norm: 4 scenario points varying caseload (citizens per caseworker) and preparation policy, "
        "3 replications each. "
        f"Share of conversations fully prepared, from caseload 40 to 130 \u2013 prepare ahead: {prepared('ahead')}; "
        f"prepare after check-in (Lærkevej rule): {prepared('after_checkin')}. "
        f"Preparation per conversation (minutes), from caseload 40 to 130 \u2013 prepare ahead: {minutes('ahead')}; "
        f"prepare after check-in (Lærkevej rule): {minutes('after_checkin')}.")


def test_the_answer_gives_each_policy_its_own_figures_in_danish(stored):
    out, result = stored

    def prepared(policy):
        return f"{share(point_mean(result, 'prepared_share', 40.0, policy), 'da')}{TO}" \
               f"{share(point_mean(result, 'prepared_share', 130.0, policy), 'da')}"

    assert questions.sweep_report(out, "da").answer.startswith(
        "Scenarie ds_norm: 4 scenariepunkter, hvor sagstal (borgere pr. sagsbehandler) og forberedelsespolitik "
        "varieres, 3 replikationer hver. "
        "Andel fuldt forberedte samtaler, fra sagstal 40 til 130 \u2013 "
        f"forberedelse på forhånd: {prepared('ahead')}; "
        f"forberedelse efter check-in (Lærkevej): {prepared('after_checkin')}. "
        "Forberedelse pr. samtale (minutter), fra sagstal 40 til 130 \u2013 ")


# --------------------------------------------------------------- the answer's findings from hand-made summaries

def summary_of(points, kpi="prepared_share"):
    """A sweep summary of one KPI: ``points`` are (parameters, mean) pairs."""
    return pd.DataFrame([{**params, "point": i, "kpi": kpi, "unit": jobsim.KPIS[kpi][0], "mean": mean, "sd": 0.0,
                          "ci_low": mean, "ci_high": mean, "n": 3} for i, (params, mean) in enumerate(points)])


def test_a_third_factor_gives_each_combination_its_figures():
    means = {("ahead", False): (0.98, 0.91), ("ahead", True): (0.99, 0.95),
             ("after_checkin", False): (0.05, 0.02), ("after_checkin", True): (0.06, 0.03)}
    points = [({"caseload": c, "prep_policy": pol, "sms_reminders": sms}, means[pol, sms][i])
              for i, c in enumerate((40.0, 220.0)) for pol in ("ahead", "after_checkin") for sms in (False, True)]
    summary = summary_of(points)
    assert questions.sweep_findings(summary, ["caseload", "prep_policy", "sms_reminders"], "en") == (
        f"Share of conversations fully prepared, from caseload 40 to 220 \u2013 prepare ahead, SMS reminders no: "
        f"98%{TO}91%; prepare ahead, SMS reminders yes: 99%{TO}95%; prepare after check-in (Lærkevej rule), "
        f"SMS reminders no: 5.0%{TO}2.0%; prepare after check-in (Lærkevej rule), SMS reminders yes: 6.0%{TO}3.0%.")
    pc = "\u00a0%"   # Danish: a no-break space before the per cent sign
    assert questions.sweep_findings(summary, ["caseload", "prep_policy", "sms_reminders"], "da") == (
        f"Andel fuldt forberedte samtaler, fra sagstal 40 til 220 \u2013 forberedelse på forhånd, SMS-påmindelser "
        f"nej: 98{pc}{TO}91{pc}; forberedelse på forhånd, SMS-påmindelser ja: 99{pc}{TO}95{pc}; forberedelse efter "
        f"check-in (Lærkevej), SMS-påmindelser nej: 5,0{pc}{TO}2,0{pc}; forberedelse efter check-in (Lærkevej), "
        f"SMS-påmindelser ja: 6,0{pc}{TO}3,0{pc}.")


def test_too_many_combinations_send_the_reader_to_the_table_with_no_number():
    points = [({"caseload": c, "prep_policy": pol, "sms_reminders": sms}, 0.5)
              for c in (40.0, 220.0) for pol in ("ahead", "after_checkin", "none") for sms in (False, True)]
    summary = summary_of(points)
    params = ["caseload", "prep_policy", "sms_reminders"]
    assert questions.sweep_findings(summary, params, "en") == (
        "With 6 combinations of preparation policy and SMS reminders, one paragraph cannot hold the results: the "
        "table below gives them point by point.")
    assert questions.sweep_findings(summary, params, "da") == (
        "Med 6 kombinationer af forberedelsespolitik og SMS-påmindelser kan ét afsnit ikke rumme resultaterne: "
        "tabellen nedenfor viser dem punkt for punkt.")


def test_with_no_numeric_factor_the_answer_lists_each_point():
    points = [({"prep_policy": pol}, v) for pol, v in (("ahead", 0.97), ("after_checkin", 0.04))]
    assert questions.sweep_findings(summary_of(points), ["prep_policy"], "en") == (
        "Share of conversations fully prepared \u2013 prepare ahead: 97%; prepare after check-in (Lærkevej rule): "
        "4.0%.")


def test_a_group_missing_the_end_of_the_walk_walks_only_where_every_group_has_points():
    # a partial sweep: after check-in has no runs at 220 yet, so the answer walks from 40 to 130 only
    points = [({"caseload": c, "prep_policy": pol}, v) for c, pol, v in (
        (40.0, "ahead", 0.99), (130.0, "ahead", 0.95), (220.0, "ahead", 0.9),
        (40.0, "after_checkin", 0.05), (130.0, "after_checkin", 0.02))]
    assert questions.sweep_findings(summary_of(points), ["caseload", "prep_policy"], "en") == (
        f"Share of conversations fully prepared, from caseload 40 to 130 \u2013 prepare ahead: 99%{TO}95%; "
        f"prepare after check-in (Lærkevej rule): 5.0%{TO}2.0%.")


def test_lower_first_keeps_an_abbreviation_in_capitals():
    assert (lower_first("SMS reminders"), lower_first("Prepare ahead")) == ("SMS reminders", "prepare ahead")


# --------------------------------------------------------------- an unfinished sweep

#: Runs left in the partial copy: (point, replication); points 0-3 keep 3, 1, 2 and 1 runs (7 of 12).
KEPT = {(0, 0), (0, 1), (0, 2), (1, 0), (2, 0), (2, 1), (3, 2)}


def copy_keeping(stored_dir, out, keep):
    """A copy of the stored sweep at ``out`` with only the runs ``keep(point, replication)`` says yes to."""
    shutil.copytree(stored_dir, out)
    db = sqlite3.connect(out / "runs.sqlite")
    try:
        with db:
            for point, replication in db.execute("SELECT point, replication FROM runs").fetchall():
                if not keep(point, replication):
                    db.execute("DELETE FROM runs WHERE point = ? AND replication = ?", (point, replication))
    finally:
        db.close()
    return out


@pytest.fixture
def partial(stored, tmp_path):
    out = copy_keeping(stored[0], tmp_path / "partial", lambda point, replication: (point, replication) in KEPT)
    assert len(jobsim.load_sweep(out).runs) == 7
    return out


def test_an_unfinished_sweep_is_marked_and_its_replications_told_as_they_are(partial, monkeypatch):
    captions = []
    real = charts.caption
    monkeypatch.setattr(charts, "caption", lambda fig, t, **kw: captions.append(t) or real(fig, t, **kw))
    report = questions.sweep_report(partial, "en")
    assert report.warning == (
        "Unfinished sweep",
        (f"Only 7 of the sweep's 12 runs are stored, so some scenario points rest on fewer replications than "
         f"planned. To finish it, run the same `jobsim sweep` command again (with `--out {partial}`): it continues "
         "where it stopped. Then make this report again."))
    assert report.answer.startswith("Scenario ds_norm: 4 scenario points varying caseload (citizens per "
                                    "caseworker) and preparation policy, 1 to 3 replications per point so far "
                                    "(3 planned). ")
    assert report.scenarios.note.startswith("Mean over 1 to 3 replications, ")
    assert report.provenance["Seed and replications"] == "seed 1, 1 to 3 replications per point (7 runs)"
    assert captions and all("; 1 to 3 replications per point, seed 1;" in c for c in captions)


def test_an_unfinished_sweep_in_danish_with_even_replications(stored, tmp_path):
    out = copy_keeping(stored[0], tmp_path / "even", lambda point, replication: replication != 2)
    report = questions.sweep_report(out, "da")
    assert report.warning[0] == "Kørslerne er ikke færdige"
    assert report.warning[1].startswith("Kun 8 af de 12 kørsler er gemt, så nogle scenariepunkter bygger på færre "
                                        "replikationer end planlagt. ")
    assert "varieres, 2 replikationer hver indtil videre (3 planlagt). " in report.answer
    assert questions.sweep_report(stored[0], "da").warning is None


def test_the_report_command_warns_on_stderr_and_at_the_top_of_the_page(partial, capsys):
    assert main(["report", str(partial), "--lang", "da"]) == 0
    captured = capsys.readouterr()
    page = (partial / "report-da.html").read_text(encoding="utf-8")
    head, body = text("unfinished_mark", "da"), text("unfinished_note", "da", runs=7, total=12, folder=str(partial))
    assert captured.err == f"jobsim: warning: {head}: {body}\n"
    assert body.startswith("Kun 7 af de 12 kørsler er gemt")
    warning = re.search(r'<div class="quick" role="note" id="warning"><strong>(.*?)</strong>(.*?)</div>', page)
    assert warning.group(1) == head and "<code>jobsim sweep</code>" in warning.group(2)
    assert page.index('id="warning"') < page.index('id="answer"')
    assert text("quick_mark", "da") not in page   # 3 replications planned: not a quick run


def test_the_answer_and_the_figure_title_walk_along_the_figures_x_axis_whatever_the_order_of_the_grid(tmp_path):
    # the policy named first: the overview's x axis is still the caseload (the first numeric factor)
    out = tmp_path / "sw"
    jobsim.sweep(BASE, {"prep_policy": ["ahead", "after_checkin"], "caseload": [40.0, 130.0]}, replications=2,
                 seed=1, out=out, progress=False)
    report = questions.sweep_report(out, "en")
    assert report.figures[0].title == "The main results against caseload (citizens per caseworker), with the 95% " \
                                      "confidence band"
    assert "Share of conversations fully prepared, from caseload 40 to 130 \u2013 prepare ahead: " in report.answer
