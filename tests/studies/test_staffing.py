"""jobsim.studies.staffing: the cost-outcome figure and the cost arithmetic's examples."""

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from conftest import CASELOADS, legend_texts, make_summary  # noqa: E402
from jobsim.report.words import kpi_label, phrase as word  # noqa: E402
from jobsim.studies import staffing  # noqa: E402


@pytest.fixture
def summary():
    return make_summary()




def test_cost_outcome_figure_plots_outcomes_against_million_dkk_with_a_caseload_axis(summary):
    frontier = staffing.frontier_table(summary, 10_000, 600_000)
    comparison = staffing.compare_with_ds(10_000)
    fig = staffing.cost_outcome_figure(frontier, ["overdue_share", "prepared_share"], comparison)
    main = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in main] == [kpi_label("overdue_share"), kpi_label("prepared_share")]
    assert fig.get_supxlabel() == "Caseworkers' cost, million DKK per year (for 10,000 citizens)"
    for ax in main:
        assert len(ax.containers) == 2  # one errorbar line per policy
        xs = sorted(ax.containers[0].lines[0].get_xdata())
        assert xs == pytest.approx([10_000 / c * 0.6 for c in sorted(CASELOADS, reverse=True)])
    labels = legend_texts(fig.legends[0])
    assert "Lærkevej + DS's 65 million DKK a year" in labels and word("laerkevej") in labels
    assert fig.get_suptitle() == ""   # untitled unless given one (a report titles it in its own words)


def _team(caseload, prepared_at_least=0.9):
    return staffing.TeamNeeded(policy="ahead", citizens=10_000.0, fte_cost_dkk=600_000.0, overdue_below=0.1,
                               prepared_at_least=prepared_at_least, replications=3, failed=0, censored=0,
                               caseload=caseload, caseload_low=caseload - 2, caseload_high=caseload + 2)


def test_team_needed_turns_the_caseload_and_its_interval_into_caseworkers_and_dkk():
    t = _team(50.0)
    assert (t.workers, t.workers_low, t.workers_high) == pytest.approx((200.0, 10_000 / 52, 10_000 / 48))
    assert (t.cost_dkk, t.cost_low_dkk, t.cost_high_dkk) == pytest.approx((120e6, 6e9 / 52, 6e9 / 48))


def test_finding_cost_names_the_team_for_both_targets_and_for_the_rule_alone():
    assert staffing.finding_cost(_team(50.0), _team(125.0, 0.0)) == (
        "For 10,000 citizens the model needs 200 caseworkers (120 million DKK a year) to keep the follow-up rule "
        "and prepare 90% of conversations, and 80 (48 million DKK) for the rule alone")
    none = staffing.TeamNeeded(**{**_team(50.0).__dict__, "caseload": float("nan")})
    assert staffing.finding_cost(none, _team(125.0, 0.0), "da") == (
        "For 10.000 borgere når intet sagstal i analysen både opfølgningsreglen og 90\u00a0% forberedt, "
        "og 80 (48 mio. kr.) for reglen alene")


def test_team_needed_reads_each_replication_then_averages():
    runs = pd.DataFrame([{"caseload": c, "replication": r, "overdue_share": o, "prepared_share": 0.95}
                         for r, o130 in enumerate((0.05, 0.07)) for c, o in ((40.0, 0.02), (130.0, o130),
                                                                              (220.0, 0.30))])
    t = staffing.team_needed(runs, 10_000)
    # crossings at 130 + 90 x (0.10 - o) / (0.30 - o): 148 and 141.7391...
    assert t.caseload == pytest.approx((148 + 130 + 90 * 0.03 / 0.23) / 2)
    assert (t.replications, t.failed, t.censored) == (2, 0, 0)
    with pytest.raises(ValueError, match="say which policy"):
        staffing.team_needed(runs.assign(prep_policy="ahead"), 10_000)


def test_docstring_examples_of_staffing_run():
    import doctest

    result = doctest.testmod(staffing, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
