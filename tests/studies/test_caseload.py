"""jobsim.studies.caseload: the finding titles of the caseload sweep."""

import pytest  # noqa: E402

from conftest import make_summary, worker_days  # noqa: E402
from jobsim.report import charts, style  # noqa: E402
from jobsim.studies import caseload  # noqa: E402


@pytest.fixture
def summary():
    return make_summary()




def test_titles_state_the_finding_from_the_data(summary):
    assert charts.finding_casework(summary) == ("Above ~45 cases, casework no longer fits in the week; "
                                               "at 220 cases only 20% is done on time")
    assert caseload.finding_followup(summary) == ("Above ~110 cases the diary is full: more than 1 in 10 "
                                               "conversations is held late (40% at 220), whatever the "
                                               "preparation policy")
    assert caseload.finding_preparation(summary) == (
        "Prepare ahead: 93% of conversations fully prepared even at 220 cases. "
        "Prepare after check-in (Lærkevej rule): 2% at any caseload")
    assert charts.finding_casework(summary, lang="da").startswith("Over ~45 sager kan sagsarbejdet")


def test_stacked_time_use_in_danish_and_its_title():
    fig, ax = style.new_figure()
    table = charts.stacked_time_use(ax, worker_days(), lang="da")
    assert ax.get_xlabel() == "Sagstal (borgere pr. sagsbehandler)"
    assert ax.get_legend_handles_labels()[1][3] == "Spildt forberedelse"
    assert caseload.finding_time_use(table) == ("Conversations take only 500–500 minutes of a caseworker's "
                                            "2,220-minute week; from 220 cases on, casework fills every free "
                                            "minute")


def test_the_desk_rule_finding_names_each_rule_with_its_prepared_share_at_the_largest_caseload():
    import pandas as pd

    from jobsim.studies.caseload import finding_desk_rules

    rows = [{"caseload": c, "desk_priority": r, "point": i, "kpi": "prepared_share", "unit": "share", "mean": m,
             "sd": 0.0, "ci_low": m, "ci_high": m, "n": 3}
            for i, (c, r, m) in enumerate([(45.0, "edf", 1.0), (220.0, "edf", 0.93), (45.0, "casework_first", 0.97),
                                           (220.0, "casework_first", 0.0)])]
    title = finding_desk_rules(pd.DataFrame(rows))
    assert title.endswith("depends on the desk rule: 0% under casework_first, 93% under edf")
    assert "220 cases" in title
    assert "0\u00a0% med casework_first, 93\u00a0% med edf" in finding_desk_rules(pd.DataFrame(rows), "da")  # no-break space
