"""``jobsim report``: the staffing question it runs itself, a sweep folder, a validation folder, bad input;
and the staffing answer's words from a hand-made frontier."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.stats
import pytest

import jobsim
from jobsim.cli import main
from jobsim.report.texts import text
from jobsim.studies import questions, staffing

FIXTURES = Path(__file__).resolve().parents[1] / "report" / "fixtures"


def one_error_line(err: str) -> str:
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("jobsim: error: ") and "Traceback" not in err, err
    return lines[0]


def visible(page: str) -> str:
    """The text of a page without its inline SVG and tags (what the answer and tables say)."""
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


@pytest.fixture(scope="module")
def staffing_pages(tmp_path_factory):
    """``jobsim report staffing laerkevej --quick`` in English and Danish (the second reuses the stored sweep)."""
    folder = tmp_path_factory.mktemp("report")
    cwd = Path.cwd()
    import os

    os.chdir(folder)
    try:
        codes = [main(["report", "staffing", "laerkevej", "--quick", "--jobs", "1", "--lang", lang])
                 for lang in ("en", "da")]
    finally:
        os.chdir(cwd)
    assert codes == [0, 0]
    # the report goes into the folder of its runs, named after the whole request (one folder for both languages)
    [runs] = (folder / "outputs").iterdir()
    return {lang: (runs / f"report-staffing-laerkevej-quick-{lang}.html").read_text(encoding="utf-8")
            for lang in ("en", "da")} | {"folder": folder}


def test_staffing_report_is_one_file_with_its_sections_and_a_quick_mark(staffing_pages):
    page = staffing_pages["en"]
    assert page.count("<figure") == 3 and page.count("<svg") == 6   # each drawn for a wide screen and a phone
    assert text("quick_mark", "en") in page
    answer = re.search(r'<p class="answer" id="answer">(.*?)</p>', page, flags=re.S).group(1)
    assert answer.startswith("For 10,000 citizens, ")
    for key in ("scenarios", "validation_missing", "sensitivity_missing", "provenance", "cite"):
        assert text(key, "en").split(":")[0] in visible(page).replace("&#x27;", "'")
    assert "seed 0, 3 replications per point (18 runs)" in page  # 3 caseloads x 2 policies x 3
    assert f"<dd>{jobsim.__version__}</dd>" in page


def test_danish_report_formats_numbers_the_danish_way(staffing_pages):
    text_da = visible(staffing_pages["da"])
    assert "For 10.000 borgere" in text_da
    shares = re.findall(r"\d+,\d(\u00a0)?%", text_da)
    assert shares and all(s == "\u00a0" for s in shares)  # "40,0 %" with a no-break space, never "40,0%"
    assert not re.search(r"\d %", text_da)  # nor an ordinary space, where a line could break
    assert not re.search(r"\d\.\d%|\d,\d{3}\b(?!\u00a0%)", re.sub(r"\d+\.\d+\.\d+", "", text_da.split(
        text("provenance", "da"))[0]))  # no English decimals or thousands before the appendix


def test_sweep_folder_report(tmp_path, capsys):
    base = jobsim.load_scenario("ds_norm", workers=2, horizon_days=28, warmup_days=7)
    jobsim.sweep(base, {"caseload": [40, 80]}, replications=3, seed=1, out=tmp_path / "sw", progress=False)
    assert main(["report", str(tmp_path / "sw"), "--validation", str(FIXTURES / "validation"),
                 "--sensitivity", str(FIXTURES / "sensitivity.csv")]) == 0
    assert capsys.readouterr().out.strip().endswith("report-en.html")
    page = (tmp_path / "sw" / "report-en.html").read_text(encoding="utf-8")
    # one figure, drawn twice: for a wide screen and for a phone
    assert page.count("<figure") == 1 and page.count("<svg") == 2 and text("quick_mark", "en") not in page
    assert page.index('<div class="wide"><svg') < page.index('<div class="narrow"><svg')
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td>", page)
    assert rows == ["40", "80"]
    assert "1 of 3 published figures lie inside the model&#x27;s range" in page
    assert "mu_star" in page and text("sensitivity_missing", "en")[:20] not in page


def test_validation_folder_report_in_danish(tmp_path):
    shutil.copytree(FIXTURES / "validation", tmp_path / "val")
    assert main(["report", str(tmp_path / "val"), "--lang", "da"]) == 0
    page = (tmp_path / "val" / "report-da.html").read_text(encoding="utf-8")
    assert "1 af 3 offentliggjorte tal ligger inden for" in page and "<svg" not in page
    assert '<td class="ref">Quartz+Co/BDO 2014</td>' in page


@pytest.mark.parametrize("argv, message", [
    (["report", "staffing"], "report staffing: name a scenario, e.g. 'jobsim report staffing laerkevej'"),
    (["report", "nowhere"], "report: 'nowhere' is neither a question (allowed: staffing) nor a folder"),
    (["report", "staffing", "laerkevej", "--lang", "fr"], "--lang: 'fr' is not supported; allowed: en, da"),
    (["report", "staffing", "laerkevj"], "no built-in scenario or file named 'laerkevj'"),
    (["report", "staffing", "laerkevej", "--citizens", "0"], "--citizens: 0 is not allowed"),
])
def test_bad_input_gives_one_line_and_exit_2(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "outputs").exists()


# ------------------------------------------------------------------ the answer's words

def _runs(prepared_ahead, overdue, prepared_after=(0.02, 0.02, 0.02), shift=(0.0, 0.01, -0.01)):
    """Three replications at 45, 130 and 220 cases under both policies; replication r's overdue shares are
    ``overdue`` plus ``shift[r]`` at 130 cases (so the crossing caseload differs between replications)."""
    rows = []
    for policy, prepared in (("after_checkin", prepared_after), ("ahead", prepared_ahead)):
        for r, d in enumerate(shift):
            for c, p, o in zip((45.0, 130.0, 220.0), prepared, overdue):
                rows.append({"caseload": c, "prep_policy": policy, "replication": r, "prepared_share": p,
                             "overdue_share": o + (d if c == 130.0 else 0.0), "casework_coverage": 0.97})
    return pd.DataFrame(rows)


def test_staffing_answer_names_the_smallest_team_meeting_both_targets():
    base = jobsim.load_scenario("laerkevej")
    answer = questions.staffing_answer(_runs((0.99, 0.95, 0.9), (0.05, 0.08, 0.4)), base, 10_000, "en")
    # by hand: overdue crosses 10% between 130 (8%, 9%, 7%) and 220 (40%) cases, at 130 + 90 x (0.10 - o) / (0.40 - o)
    crossings = [130 + 90 * (0.10 - o) / (0.40 - o) for o in (0.08, 0.09, 0.07)]
    c = sum(crossings) / 3
    half = float(scipy.stats.t.ppf(0.975, 2)) * float(np.std(crossings, ddof=1)) / 3 ** 0.5
    workers, low, high = 10_000 / c, 10_000 / (c + half), 10_000 / (c - half)
    assert (round(c), round(workers), round(low), round(high)) == (136, 74, 70, 78)
    assert answer == (
        "For 10,000 citizens, the smallest team that keeps fewer than 10% of follow-up conversations late and at "
        "least 90% fully prepared, when caseworkers prepare ahead of each conversation, is 74 caseworkers in the "
        "model (70–78; 95% confidence interval over 3 replications): 136 cases each, "
        f"{workers * 0.6:.1f} million DKK a year ({low * 0.6:.1f}–{high * 0.6:.1f}), "
        f"{workers * 0.6 - 10_000 / 220 * 0.6:.1f} million DKK more than at the scenario's 220 cases. "
        "At 136 cases 97% of casework is done on time. "
        "When caseworkers prepare only after the citizen has checked in, as the scenario has it, the "
        "preparation target is met at no caseload. The team follows from how long conversations, preparation, "
        "documentation and other contact take in the fitted time budget: with other times it moves. This "
        "assumes caseworkers take desk work in the order the scenario gives (edf), an assumption: if casework due "
        "this week always came first, preparing ahead would keep almost no conversation prepared from about 80 "
        "cases up (docs/validation.md, desk rules).")


def test_staffing_answer_gives_the_team_of_the_rule_alone_when_preparation_binds_first():
    base = jobsim.load_scenario("laerkevej")
    # preparation falls from 95% at 45 to 50% at 130 cases: it crosses 90% at 45 + 85 x 0.05 / 0.45 = 54.4 cases
    answer = questions.staffing_answer(_runs((0.95, 0.5, 0.1), (0.05, 0.08, 0.4), shift=(0.0, 0.0, 0.0)),
                                       base, 10_000, "en")
    assert "is 184 caseworkers in the model" in answer and ": 54 cases each" in answer
    assert "Keeping the follow-up rule alone takes 74 caseworkers" in answer and "136 cases each" in answer


def test_staffing_answer_says_when_the_team_may_be_smaller():
    base = jobsim.load_scenario("laerkevej")
    answer = questions.staffing_answer(_runs((0.99, 0.95, 0.9), (0.05, 0.06, 0.07)), base, 10_000, "en")
    assert "is 45 caseworkers in the model" in answer   # 10,000 / 220
    assert "In 3 of 3 replications even the study's largest caseload, 220, met the targets" in answer


def test_staffing_answer_says_when_no_caseload_meets_the_targets():
    base = jobsim.load_scenario("laerkevej")
    answer = questions.staffing_answer(_runs((0.5, 0.5, 0.5), (0.05, 0.08, 0.4)), base, 6000, "da")
    assert answer == ("For 6.000 borgere holder intet sagstal i denne analyse fra 45 til 220 sager pr. sagsbehandler "
                      "færre end 10\u00a0% af opfølgningssamtalerne for sent og mindst 90\u00a0% fuldt forberedt.")


def test_staffing_answer_changes_with_the_time_budget():
    """The team is found on the model: longer documentation of each contact leaves less desk time for
    preparation, so the caseload that keeps 90% prepared falls and the team grows (quick runs, seed 0)."""
    teams, answers = {}, {}
    for minutes in (5.0, 40.0):
        base, grid, reps = questions.staffing_request("laerkevej", quick=True,
                                                      changes={"documentation_minutes": minutes})
        runs = jobsim.sweep(base, grid, replications=reps, progress=False).runs
        teams[minutes] = staffing.team_needed(runs, 10_000, base.fte_cost_dkk, policy="ahead")
        answers[minutes] = questions.staffing_answer(runs, base, 10_000, "en")
    assert teams[40.0].workers > teams[5.0].workers and teams[40.0].cost_dkk > teams[5.0].cost_dkk
    assert f"is {teams[40.0].workers:.0f} caseworkers" in answers[40.0]
    assert f"is {teams[5.0].workers:.0f} caseworkers" in answers[5.0]
    assert round(teams[40.0].workers) != round(teams[5.0].workers)


# ------------------------------------------------------------------ where the report goes (--out, --force)

GENERATOR = '<meta name="generator" content="jobsim '


@pytest.fixture
def validation_folder(tmp_path, monkeypatch):
    """A copy of the validation fixture in a fresh current directory (its report needs no runs)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "validation", tmp_path / "val")
    return tmp_path / "val"


def test_out_refuses_an_existing_file_unless_force(validation_folder, capsys):
    notes = validation_folder.parent / "notes.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    assert main(["report", "val", "--out", "notes.md"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "jobsim: error: --out: 'notes.md' exists; refusing to overwrite it; allowed: a new file, a folder (the "
        "report goes inside it under its default name), or --force to replace the file")
    assert notes.read_text(encoding="utf-8") == "# my notes\n"
    assert main(["report", "val", "--out", "notes.md", "--force"]) == 0
    assert notes.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_out_folder_gets_the_report_under_its_default_name(validation_folder, capsys):
    (validation_folder.parent / "shared").mkdir()
    assert main(["report", "val", "--out", "shared"]) == 0                  # an existing folder
    assert main(["report", "val", "--out", "new/sub/", "--lang", "da"]) == 0  # a new one, named with a slash
    assert capsys.readouterr().out.split() == [str(Path("shared") / "report-en.html"),
                                               str(Path("new") / "sub" / "report-da.html")]
    assert GENERATOR in (validation_folder.parent / "shared" / "report-en.html").read_text(encoding="utf-8")
    assert GENERATOR in (validation_folder.parent / "new" / "sub" / "report-da.html").read_text(encoding="utf-8")


def test_default_path_replaces_jobsims_own_report_but_no_other_file(validation_folder, capsys):
    page = validation_folder / "report-en.html"
    assert main(["report", "val"]) == 0 and main(["report", "val"]) == 0  # the same command again: replaced
    assert GENERATOR in page.read_text(encoding="utf-8")
    page.write_text("my own page\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "val"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"jobsim: error: --out: {str(Path('val') / 'report-en.html')!r} (the default file) exists and jobsim did "
        "not write it; refusing to overwrite it; allowed: --out FILE or --out DIR for another place, or --force "
        "to replace it")
    assert page.read_text(encoding="utf-8") == "my own page\n"
    assert main(["report", "val", "--force"]) == 0 and GENERATOR in page.read_text(encoding="utf-8")


# ------------------------------------------------------------------ options that would be ignored, refused instead

@pytest.mark.parametrize("argv, message", [
    (["report", "empty", "--validation", "nosuch"],
     "--validation: 'nosuch' is not a folder holding validation.csv; allowed: the folder 'jobsim validate' wrote"),
    (["report", "empty", "--validation", "empty"],
     "--validation: 'empty' is not a folder holding validation.csv; allowed: the folder 'jobsim validate' wrote"),
    (["report", "staffing", "laerkevej", "--quick", "--validation", "nosuch"],
     "--validation: 'nosuch' is not a folder holding validation.csv"),
    (["report", "empty", "--sensitivity", "nosuch.csv"],
     "--sensitivity: 'nosuch.csv' does not exist; allowed: the sensitivity.csv 'jobsim sensitivity' wrote, or its "
     "folder"),
    (["report", "staffing", "laerkevej", "--quick", "--sensitivity", str(FIXTURES / "validation" / "validation.csv")],
     "--sensitivity: "),
    (["report", "empty", "--citizens", "5000"],
     "--citizens: only with a question (staffing); a folder's report shows what its runs hold"),
    (["report", "empty", "--seed", "1"], "--seed: only with a question (staffing)"),
    (["report", "empty", "--set", "caseload=60"], "--set: only with a question (staffing)"),
    (["report", str(FIXTURES / "validation"), "--validation", str(FIXTURES / "validation")],
     "--validation: a validation folder's report is its validation table; allowed: --validation with a question "
     "(staffing) or a sweep folder"),
    (["report", "cost", "laerkevej"], "report: 'cost' is neither a question (allowed: staffing) nor a folder"),
    (["report", "staffin", "laerkevej"],
     "report: 'staffin' is neither a question (allowed: staffing) nor a folder (did you mean 'staffing'?)"),
    (["report", "staffing", "laerkevej", "--quick", "--with", "nosuch.toml"], "nosuch.toml"),
    (["report", "staffing", "laerkevej", "--quick", "--set", "fte_cost_dkk=-1"], "fte_cost_dkk"),
])
def test_a_refused_option_gives_one_line_and_leaves_no_folder(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert main(argv) == 2
    assert message in one_error_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]  # no outputs/report-... folder, no file


@pytest.mark.parametrize("option, value", [
    ("--overdue-below", "0"), ("--overdue-below", "1.5"), ("--overdue-below", "10"), ("--overdue-below", "nan"),
    ("--prepared-at-least", "-0.1"), ("--prepared-at-least", "abc"), ("--prepared-at-least", "inf"),
])
def test_targets_are_shares(tmp_path, monkeypatch, capsys, option, value):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "staffing", "laerkevej", "--quick", option, value]) == 2
    line = one_error_line(capsys.readouterr().err)
    allowed = ("a share above 0 and at most 1" if option == "--overdue-below" else "a share from 0 to 1")
    assert line == f"jobsim: error: {option}: {value!r} is not allowed; allowed: {allowed}, e.g. 0.1 for 10%"
    assert not (tmp_path / "outputs").exists()


def test_staffing_takes_set_with_and_targets_and_says_so_in_both_languages(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "frag.toml").write_text("noshow_probability = 0.2  # a fragment, as jobsim calibrate writes\n",
                                        encoding="utf-8")
    argv = ["report", "staffing", "laerkevej", "--quick", "--jobs", "1", "--set", "fte_cost_dkk=500000",
            "--set", "workers=4", "--with", "frag.toml", "--overdue-below", "0.25", "--prepared-at-least", "0.5",
            "--out", "pages/"]
    assert main(argv) == 0 and main([*argv, "--lang", "da"]) == 0
    folders = list((tmp_path / "outputs").iterdir())
    assert len(folders) == 1  # the second language reused the stored runs
    manifest = __import__("json").loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    scenario = manifest["scenario"]
    # --set wins over --quick's smaller team; the fragment and --set both reach the runs
    assert (scenario["fte_cost_dkk"], scenario["workers"], scenario["noshow_probability"]) == (500000, 4, 0.2)
    assert scenario["horizon_days"] == questions.QUICK_CHANGES["horizon_days"]
    en = visible((tmp_path / "pages" / "report-staffing-laerkevej-quick-en.html").read_text(encoding="utf-8"))
    da = visible((tmp_path / "pages" / "report-staffing-laerkevej-quick-da.html").read_text(encoding="utf-8"))
    assert ("Targets: fewer than 25% of follow-up conversations late (the follow-up rule kept) and at least 50% "
            "of held conversations fully prepared") in en
    assert "500,000 DKK a year per full-time caseworker" in en
    assert ("Changed for this report (--set, --with): noshow_probability = 0.2; fte_cost_dkk = 500,000; "
            "workers = 4.") in en
    assert ("Mål: færre end 25\u00a0% af opfølgningssamtalerne for sent (opfølgningsreglen overholdt) og mindst "
            "50\u00a0% af de afholdte samtaler fuldt forberedt") in da
    assert ("Ændret i denne rapport (--set, --with): noshow_probability = 0,2; fte_cost_dkk = 500.000; "
            "workers = 4.") in da
    answer = re.search(r'<p class="answer" id="answer">(.*?)</p>',
                       (tmp_path / "pages" / "report-staffing-laerkevej-quick-en.html").read_text(encoding="utf-8"),
                       flags=re.S).group(1)
    assert "fewer than 25% of follow-up conversations" in answer and "at least 50%" in answer


def test_staffing_answer_uses_the_targets_it_is_given():
    base = jobsim.load_scenario("laerkevej")
    runs = _runs((0.99, 0.95, 0.9), (0.05, 0.08, 0.4))
    assert questions.staffing_answer(runs, base, 10_000, "en", overdue_below=0.5).startswith(
        "For 10,000 citizens, the smallest team that keeps fewer than 50% of follow-up conversations late and at "
        "least 90% fully prepared, when caseworkers prepare ahead of each conversation, is 45 caseworkers")
    assert questions.staffing_answer(runs, base, 10_000, "da", prepared_at_least=0.999).startswith(
        "For 10.000 borgere holder intet sagstal i denne analyse fra 45 til 220 sager pr. sagsbehandler færre end "
        "10\u00a0% af opfølgningssamtalerne for sent og mindst 99,9\u00a0% fuldt forberedt.")


# ------------------------------------------------------------------ stored runs: another seed, the same command again

def test_another_seed_gets_its_own_folder_and_the_same_command_continues(staffing_pages, monkeypatch, capsys):
    folder = staffing_pages["folder"]
    first = list((folder / "outputs").iterdir())
    assert [p.name for p in first] and all(re.fullmatch(r"report-staffing-laerkevej-quick-[0-9a-f]{10}", p.name)
                                           for p in first)
    sessions = __import__("json").loads((first[0] / "manifest.json").read_text(encoding="utf-8"))["sessions"]
    assert [s["runs_executed"] for s in sessions] == [18, 0]  # the Danish report ran nothing again
    monkeypatch.chdir(folder)
    assert main(["report", "staffing", "laerkevej", "--quick", "--jobs", "1", "--seed", "1"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.name == "report-staffing-laerkevej-quick-en.html"
    assert printed.parent.parent == Path("outputs") and printed.parent not in {Path("outputs") / p.name for p in first}
    assert "seed 1, 3 replications per point" in printed.read_text(encoding="utf-8")


def test_a_sweep_that_does_not_finish_exits_1_saying_how_to_continue(tmp_path, monkeypatch, capsys):
    from jobsim.runner.sweep import SweepStopped

    def stopped(*args, out=None, **kwargs):
        raise SweepStopped("write", "cannot write 'runs.sqlite': No space left on device", 5, 18, out)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(questions, "staffing_report", stopped)
    assert main(["report", "staffing", "laerkevej", "--quick"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert re.fullmatch(r"jobsim: error: cannot write 'runs.sqlite': No space left on device; 5 of 18 runs are "
                        r"stored in outputs/report-staffing-laerkevej-quick-[0-9a-f]{10}/; make room \(or make the "
                        r"folder writable\) and run the same command again to continue", line), line


def test_failed_runs_and_ctrl_c_say_where_the_runs_are(tmp_path, monkeypatch, capsys):
    from jobsim.runner.sweep import SweepError

    def failed(*args, **kwargs):
        raise SweepError("1 of 18 runs failed: point 0 replication 2: ValueError: boom", None)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(questions, "staffing_report", failed)
    assert main(["report", "staffing", "laerkevej", "--quick"]) == 1
    assert re.fullmatch(r"jobsim: error: 1 of 18 runs failed: point 0 replication 2: ValueError: boom; the other "
                        r"runs are stored in outputs/report-staffing-laerkevej-quick-[0-9a-f]{10}/; run the same "
                        r"command again to retry the failed runs", one_error_line(capsys.readouterr().err))
    monkeypatch.setattr(questions, "staffing_report", interrupted)
    assert main(["report", "staffing", "laerkevej", "--quick"]) == 130
    err = capsys.readouterr().err
    assert re.fullmatch(r"jobsim: interrupted; finished runs are stored in outputs/report-staffing-laerkevej-quick-"
                        r"[0-9a-f]{10}/: run the same command again to continue\n", err), err


# ------------------------------------------------------------------ JOBSIM_QUICK, read one way by every command

@pytest.mark.parametrize("value, quick", [
    (None, False), ("", False), ("0", False), ("false", False), ("No", False), (" FALSE ", False), ("off", False),
    ("1", True), ("yes", True), ("true", True), ("2", True),
])
def test_jobsim_quick_has_one_rule(monkeypatch, value, quick):
    from jobsim.runner.quick import quick_from_env
    from jobsim.validation.run import quick_mode

    if value is None:
        monkeypatch.delenv("JOBSIM_QUICK", raising=False)
    else:
        monkeypatch.setenv("JOBSIM_QUICK", value)
    assert quick_from_env() is quick and quick_mode() is quick


@pytest.mark.parametrize("value, quick", [("true", True), ("false", False), ("1", True)])
def test_report_reads_jobsim_quick_by_that_rule(tmp_path, monkeypatch, capsys, value, quick):
    from jobsim.errors import JobsimError

    seen = {}

    def fake(*args, **kwargs):
        seen["quick"] = kwargs["quick"]
        raise JobsimError("stop here")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JOBSIM_QUICK", value)
    monkeypatch.setattr(questions, "staffing_report", fake)
    assert main(["report", "staffing", "laerkevej"]) == 2 and seen == {"quick": quick}


def test_validate_help_shows_a_single_percent_sign(capsys):
    assert main(["validate", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "the model's mean and 95% interval" in out and "%%" not in out
