"""The HTML report in a real browser: headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright.

Opens ``jobsim report staffing laerkevej`` (quick) in English and Danish at
1280 px and 390 px and checks that every figure is drawn with labels readable
without zooming (a figure's phone drawing on the phone), nothing is wider
than the window, the console shows no error, no request leaves the page, and
the Danish page has no English phrase in its visible text; and a sweep
folder's report, whose overview has a phone drawing of its own. Screenshots go to
the test's temporary folder, or to ``$JOBSIM_SCREENSHOTS`` if set. Without
Chromium or Playwright the test is skipped on a developer's machine and fails
in CI (``CI`` set), saying what to install.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

import jobsim
from jobsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("report_screenshots", ROOT / "docs" / "report_screenshots.py")
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)


def _need_browser():
    problem = None
    if importlib.util.find_spec("playwright") is None:
        problem = "the Python package playwright is not installed (pip install -e '.[dev]')"
    elif not Path(shots.CHROMIUM).exists():
        problem = f"{shots.CHROMIUM} is missing (apt-get install -y chromium; .ci/run does this)"
    if problem:
        message = f"the browser test needs a browser: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """Each report (en, da) inspected at 1280 and 390 px: {(lang, width): result}."""
    _need_browser()
    folder = tmp_path_factory.mktemp("browser")
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        for lang in ("en", "da"):
            # --out outputs/: the pages under their default names there (by default they go into the runs' folder)
            assert main(["report", "staffing", "laerkevej", "--quick", "--jobs", "1", "--lang", lang,
                         "--out", "outputs/"]) == 0
    finally:
        os.chdir(cwd)
    # a sweep folder's report too (its one figure, the overview, has a phone drawing of its own)
    base = jobsim.load_scenario("ds_norm", workers=2, horizon_days=28, warmup_days=7)
    jobsim.sweep(base, {"caseload": [40, 120], "prep_policy": ["ahead", "after_checkin"]}, replications=3,
                 out=folder / "sweep", progress=False)
    assert main(["report", str(folder / "sweep")]) == 0
    target = Path(os.environ.get("JOBSIM_SCREENSHOTS") or folder)
    results = {}
    with shots.browser() as b:
        for lang in ("en", "da"):
            page = folder / "outputs" / f"report-staffing-laerkevej-quick-{lang}.html"
            for width in shots.WIDTHS:
                results[lang, width] = shots.inspect(b, page, width, target / f"report_{lang}_{width}.png",
                                                     full_page=True)
        for width in shots.WIDTHS:
            results["sweep", width] = shots.inspect(b, folder / "sweep" / "report-en.html", width)
    results["folder"] = target
    return results


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("width", shots.WIDTHS)
def test_report_in_a_browser(opened, lang, width):
    r = opened[lang, width]
    assert r["width"] == width
    assert r["scroll_width"] <= width, f"the page is {r['scroll_width']} px wide in a {width} px window"
    assert len(r["figures"]) == 3
    for fig in r["figures"]:
        assert fig["ok"] and fig["paths"] > 50, fig  # one drawing on show, with its lines, ticks and text
        assert 0.8 * min(width, 960) - 40 < fig["width"] <= width and fig["height"] > 0.3 * fig["width"], fig
        # readable without zooming: a 10 pt tick label has a font size of at least 10 px on the screen (on a
        # phone the page shows the figure's phone drawing; the wide one, scaled down, gave under 6 px)
        assert 10 * fig["px_per_pt"] >= 10, fig
    assert r["console_errors"] == [] and r["page_errors"] == []
    assert r["requests"] == [], "the report asked for something outside the file"
    assert (opened["folder"] / f"report_{lang}_{width}.png").stat().st_size > 10_000


@pytest.mark.parametrize("width", shots.WIDTHS)
def test_sweep_report_in_a_browser_shows_one_drawing_and_its_phone_drawing_on_a_phone(opened, width):
    r = opened["sweep", width]
    assert r["scroll_width"] <= width and r["console_errors"] == [] and r["requests"] == []
    [fig] = r["figures"]
    assert fig["ok"] and fig["paths"] > 50, fig
    assert 10 * fig["px_per_pt"] >= 10, fig   # readable without zooming, as the staffing figures
    if width < 600:   # the panels one under another
        assert fig["height"] > 3 * fig["width"], fig
    else:             # the panels in rows of three
        assert fig["height"] < fig["width"], fig


def test_danish_report_has_no_english_phrase_and_the_check_would_see_one(opened):
    found = shots.english_words(opened["da", 1280]["text"])
    assert found == [], f"English words in the Danish report: {sorted(set(found))}"
    assert len(set(shots.english_words(opened["en", 1280]["text"]))) > 10  # the same check sees English
    assert "Hurtig prøvekørsel" in opened["da", 390]["text"]
