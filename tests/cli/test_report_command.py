"""``jobsim report``: the staffing question it runs itself, a sweep folder, a validation folder, bad input;
and the staffing answer's words from a hand-made frontier."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.report.texts import text
from jobsim.studies import questions

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
    out = folder / "outputs"
    return {lang: (out / f"report-staffing-laerkevej-quick-{lang}.html").read_text(encoding="utf-8")
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
    (["report", "nowhere"], "report: 'nowhere' is neither a question (staffing) nor a folder"),
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

def _frontier(prepared_ahead, overdue, prepared_after=(0.02, 0.02, 0.02)):
    rows = []
    for policy, prepared in (("after_checkin", prepared_after), ("ahead", prepared_ahead)):
        for c, p, o in zip((45.0, 130.0, 220.0), prepared, overdue):
            rows += [{"caseload": c, "prep_policy": policy, "kpi": "prepared_share", "mean": p, "ci_low": p - 0.02,
                      "ci_high": p + 0.02},
                     {"caseload": c, "prep_policy": policy, "kpi": "overdue_share", "mean": o, "ci_low": o - 0.01,
                      "ci_high": o + 0.03},
                     {"caseload": c, "prep_policy": policy, "kpi": "casework_coverage", "mean": 0.97,
                      "ci_low": 0.96, "ci_high": 0.98}]
    return pd.DataFrame(rows)


def test_staffing_answer_names_the_cheapest_caseload_meeting_both_targets():
    base = jobsim.load_scenario("laerkevej")
    answer = questions.staffing_answer(_frontier((0.99, 0.95, 0.9), (0.05, 0.08, 0.4)), base, 10_000, "en")
    assert answer == (
        "For 10,000 citizens, the highest caseload in this study at which fewer than 10% of follow-up "
        "conversations are late and at least 90% are fully prepared is 130 cases per caseworker, when caseworkers "
        "prepare ahead of each conversation. That takes 77 caseworkers and costs 46.2 million DKK a year, 18.9 "
        "million DKK more than at the scenario's 220 cases. The whole 95% confidence interval meets both targets "
        "at 45 cases. When caseworkers prepare only after the citizen has checked in, as the scenario has it, the "
        "preparation target is met at no caseload. At that caseload 97% of casework is done on time. This "
        "assumes caseworkers take desk work in the order the scenario gives (edf), an assumption: if casework due "
        "this week always came first, preparing ahead would keep almost no conversation prepared from about 80 "
        "cases up (docs/validation.md, desk rules).")


def test_staffing_answer_says_when_no_caseload_meets_the_targets():
    base = jobsim.load_scenario("laerkevej")
    answer = questions.staffing_answer(_frontier((0.5, 0.5, 0.5), (0.05, 0.08, 0.4)), base, 6000, "da")
    assert answer == ("For 6.000 borgere holder intet sagstal i denne analyse fra 45 til 220 sager pr. sagsbehandler "
                      "færre end 10\u00a0% af opfølgningssamtalerne for sent og mindst 90\u00a0% fuldt forberedt.")
