"""The HTML report's pieces: rendering, inline SVG, the validation and sensitivity readers, the citation."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import jobsim
from jobsim.errors import JobsimError
from jobsim.report import citation, html, sources, style
from jobsim.report.texts import REPORT_TEXTS, text

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def _figure():
    fig, ax = style.new_figure(width=4, height=3)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_title("A title")
    return fig


def test_svg_of_is_inline_scalable_and_prefixes_every_id():
    svg = html.svg_of(_figure(), "f7")
    assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg and "<metadata" not in svg
    root = svg[:svg.index(">")]
    assert "viewBox" in root and " width=" not in root and " height=" not in root
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("f7-") for i in ids)
    refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
    assert refs and set(refs) <= set(ids)  # every reference points at an id of this figure


def test_render_has_every_section_in_order_and_escapes_text():
    report = html.Report(
        lang="en", title="T <&>", answer="Use `jobsim run` & see.", quick=True,
        figures=[html.Figure(html.svg_of(_figure(), "f1"), "Fig title", "cap")],
        scenarios=html.Table(["a", "b"], [["x", "1,234 [1,200–1,300]"]], note="note"),
        assumptions=["An assumption"], provenance={"Scenario": "laerkevej"})
    page = html.render(report)
    assert "T &lt;&amp;&gt;" in page and "<code>jobsim run</code> &amp; see." in page
    order = [text(k, "en") for k in ("quick_mark", "answer", "figures", "scenarios", "validation", "assumptions",
                                     "provenance", "cite")]
    positions = [page.index(html._e(t)) for t in order]
    assert positions == sorted(positions)
    assert text("validation_missing", "en").split(":")[0] in page  # not run yet: said plainly
    assert "<code>jobsim validate</code>" in page and "<code>jobsim sensitivity</code>" in page
    assert '<td class="num">1,234 [1,200–1,300]</td>' in page
    assert html._e(citation.citation_text()) in page  # the provenance appendix cites as CITATION.cff does
    # self-contained: no script, no link, no src= or url( that points outside the page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert not re.search(r"url\((?!#)", page)


def test_a_figure_with_a_phone_drawing_holds_both_and_the_style_shows_one_by_width():
    wide, narrow = html.svg_of(_figure(), "f1"), html.svg_of(_figure(), "f1n")
    page = html.render(html.Report(lang="en", title="T", answer="A",
                                   figures=[html.Figure(wide, "Fig", "cap", narrow_svg=narrow),
                                            html.Figure(html.svg_of(_figure(), "f2"), "Fig 2")]))
    first, second = page.split("<figure")[1:3]
    assert first.index('<div class="wide"><svg') < first.index('<div class="narrow"><svg')
    assert 'class="wide"' not in second and second.count("<svg") == 1   # no phone drawing: the one drawing
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))   # the two drawings of one figure share no id
    # hidden on wide screens, shown instead of the wide drawing up to 760 px, and never printed
    css = html.CSS
    assert "figure .narrow { display: none; }" in css
    assert re.search(r"@media \(max-width: 760px\) \{\s*figure \.wide \{ display: none; \} "
                     r"figure \.narrow \{ display: block; \}", css)
    assert "figure .wide { display: block; } figure .narrow { display: none; }" in css.split("@media print")[1]


def test_report_texts_have_the_same_keys_in_both_languages():
    assert set(REPORT_TEXTS["en"]) == set(REPORT_TEXTS["da"])
    assert text("n_runs", "da", n=1200) == "1.200 kørsler"


def test_validation_table_from_the_contract_format():
    frame = sources.read_validation(FIXTURES / "validation")
    assert list(frame["verdict"]) == ["inside", "outside", "not available"]
    table, summary = sources.validation_table(frame, "da")
    assert summary == "1 af 3 offentliggjorte tal ligger inden for modellens spænd, 1 uden for, 1 kunne ikke sammenlignes."
    assert table.rows[0][1] == "20,0\u00a0%–30,0\u00a0%" and table.rows[0][2] == "21,0\u00a0% [20,5\u00a0%–21,5\u00a0%]"
    assert table.rows[1][1] == "14–17%"  # the published text as given
    assert table.rows[2][2] == "9,2 [8,9–9,5]" and table.rows[2][3] == "ikke muligt"
    assert sources.read_validation(FIXTURES / "nowhere") is None


def test_sensitivity_table_ranks_by_each_methods_index():
    frame = sources.read_sensitivity(FIXTURES / "sensitivity.csv")
    table = sources.sensitivity_table(frame, "en")
    assert [(r[1], r[3]) for r in table.rows] == [("Caseload (citizens per caseworker)", "mu_star"),
                                                ("No-show probability", "mu_star"),
                                                ("Caseload (citizens per caseworker)", "ST"),
                                                ("Slot length (minutes)", "ST")]
    assert table.rows[2][4] == "0.7 [0.6–0.8]"


@pytest.mark.parametrize("column, value, message", [
    ("verdict", "maybe", "column 'verdict', row 2: 'maybe' is not allowed; allowed: inside, outside, not available"),
    ("model_mean", "lots", "column 'model_mean', row 2: 'lots' is not a number"),
])
def test_a_validation_file_breaking_the_contract_is_refused_naming_column_and_row(tmp_path, column, value, message):
    frame = pd.read_csv(FIXTURES / "validation" / "validation.csv", dtype=str)
    frame.loc[0, column] = value
    frame.to_csv(tmp_path / "validation.csv", index=False)
    with pytest.raises(JobsimError, match=re.escape(message)):
        sources.read_validation(tmp_path)
    frame.drop(columns=["source"]).to_csv(tmp_path / "validation.csv", index=False)
    with pytest.raises(JobsimError, match="column 'source' missing"):
        sources.read_validation(tmp_path)


def test_scenario_table_keeps_share_intervals_within_0_and_100_percent():
    summary = pd.DataFrame({"caseload": [40.0, 40.0], "kpi": ["prepared_share", "followup_gap_days_mean"],
                            "mean": [0.99, 80.0], "ci_low": [0.97, 78.0], "ci_high": [1.03, 82.5], "n": 5})
    table = sources.scenario_table(summary, ["caseload"], ["prepared_share", "followup_gap_days_mean"], "en", 5)
    assert table.rows == [["40", "99.0% [97.0%–100.0%]", "80.0 [78.0–82.5]"]]


def test_drawn_intervals_none_below_three_replications_and_bounded_to_what_the_kpi_can_take():
    rows = pd.DataFrame({"mean": [0.02, 0.5, 0.98], "ci_low": [-0.03, 0.1, 0.9], "ci_high": [0.07, 0.9, 1.06],
                         "n": [10, 2, 3]})
    out = style.drawn_intervals(rows, "overdue_share")
    assert out["ci_low"].tolist()[0] == 0.0 and out["ci_high"].tolist()[2] == 1.0
    assert np.isnan(out.loc[1, "ci_low"]) and np.isnan(out.loc[1, "ci_high"])
    days = style.drawn_intervals(rows.assign(ci_low=[-5.0, 1, 2]), "followup_gap_days_mean")
    assert days["ci_low"].tolist()[0] == 0.0 and days["ci_high"].tolist()[2] == 1.06  # days: never below 0
    assert rows["ci_low"].tolist()[0] == -0.03  # the input is left alone


def test_citation_cff_says_what_the_report_says():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == citation.TITLE
    assert [a["name"] for a in cff["authors"]] == [citation.AUTHORS]
    assert cff["version"] == jobsim.__version__
    assert cff["license"] == citation.LICENSE
    assert str(cff["date-released"]).startswith(str(citation.YEAR))
    assert {"message", "title", "authors", "cff-version"} <= set(cff)  # the fields CFF 1.2.0 requires
    text_ = citation.citation_text()
    assert citation.TITLE in text_ and f"version {jobsim.__version__}" in text_
