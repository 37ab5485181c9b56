"""docs/validation.md: the generator fills every paragraph, and the committed page shows every target."""

from pathlib import Path

import pandas as pd

from jobsim.validation.document import PARAGRAPHS, closed_form_table, paragraph, render
from jobsim.validation.reduced import main_effects, ordering_experiment
from jobsim.validation.run import validation_table
from jobsim.validation.targets import load_targets

ROOT = Path(__file__).resolve().parents[2]

DIAG = {"conversation_share": 0.08, "casework_share": 0.3, "propensity_mean": 0.15, "long_after_noshow": 0.3,
        "long_propensity": 0.2, "short_propensity": 0.13, "contact_monthly": 0.27}


def test_every_target_has_a_paragraph_with_its_numbers_filled_in():
    targets = load_targets()
    assert set(PARAGRAPHS) == {t.id for t in targets}
    values = pd.DataFrame([(t.id, r, (t.low if t.has_band else 5000.0) * (1 + 0.01 * r)) for t in targets
                           for r in range(3)], columns=["target", "replication", "value"])
    table = validation_table(targets, values)
    for row in table.itertuples(index=False):
        text = paragraph(row, DIAG)
        assert "{" not in text and "}" not in text and "nan" not in text.lower()
    closed = closed_form_table(points=((0.2, 0.8),), replications=2)
    grid = ordering_experiment(noshow=(0.0, 0.2), cv=(0.2, 0.8), replications=2, horizon_days=91)
    page = render(table, DIAG, closed, main_effects(grid), grid, 3, "img/validation.png")
    for t in targets:
        assert f"`{t.id}`" in page and f"### {t.title}" in page
    assert "recalibrated" in page and "Ho & Lau" in page


def test_the_committed_page_lists_every_target_and_the_reduced_checks():
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for t in load_targets():
        assert f"`{t.id}`" in page
    assert "SciPy integral" in page and "Ho & Lau's ordering" in page
    assert (ROOT / "docs" / "img" / "validation.png").is_file()


def test_desk_rule_section_calls_a_result_conditional_when_the_rules_disagree():
    import pandas as pd

    from jobsim.validation.desk_rules import CASELOADS, DESK_RULES, KPIS, POLICIES, markdown

    rows = []
    for c in CASELOADS:
        for r in DESK_RULES:
            for p in POLICIES:
                for k in KPIS:
                    value = 0.0 if (k == "prepared_share" and (p == "after_checkin" or r == "casework_first")) else 0.9
                    rows.append({"caseload": c, "desk_priority": r, "prep_policy": p, "kpi": k, "mean": value,
                                 "ci_low": value - 0.01, "ci_high": value + 0.01, "n": 3})
    text = "\n".join(markdown(pd.DataFrame(rows)))
    assert "at 220 cases 90% under `edf`, 90% under `prep_first`, 0% under `casework_first`" in text
    assert "| 220 | `casework_first` | 0% (0%–1%) | 0% (0%–1%) | 90% (89%–91%) |" in text
    assert "+0.0 points under `edf`" in text and "3 replications each" in text


def test_the_page_and_the_readme_hold_what_the_stored_table_renders_to():
    """docs/validation.md's status and tables, and the README's counts by role, are exactly what the stored
    docs/validation.csv renders to (written together by `python -m jobsim.validation.document`)."""
    from jobsim.report.docblocks import read_block
    from jobsim.validation.document import role_counts, role_sections, status_line

    table = pd.read_csv(ROOT / "docs" / "validation.csv")
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert status_line(table) in page
    assert "\n".join(role_sections(table)) in page
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert read_block(readme, "validation_counts") == role_counts(table)
    # every held-out target has a verdict (issue 25: never "not available" for a failed plausibility check)
    held = table[table["role"] == "validation"]
    assert len(held) >= 3 and set(held["verdict"]) <= {"inside", "outside"}
    # a number edited by hand no longer matches
    edited = table.copy()
    edited.loc[edited["target"] == "odense_25m_group", "model_mean"] += 1
    assert "\n".join(role_sections(edited)) not in page


def test_role_counts_names_each_role_and_its_verdicts():
    from jobsim.validation.document import role_counts

    table = pd.DataFrame({"role": ["verification", "calibration", "validation", "validation"],
                          "verdict": ["inside", "inside", "outside", "inside"]})
    assert role_counts(table).endswith("by role: verification 1 of 1 inside; calibration 1 of 1 inside; "
                                       "validation 1 of 2 inside, 1 outside.\n")
