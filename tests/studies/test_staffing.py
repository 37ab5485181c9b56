"""jobsim.studies.staffing: the cost-outcome figure and the cost arithmetic's examples."""

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
    assert fig.get_suptitle().startswith("For 10,000 citizens, going from 220 to 45 cases costs 106 million DKK")


def test_docstring_examples_of_staffing_run():
    import doctest

    result = doctest.testmod(staffing, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
