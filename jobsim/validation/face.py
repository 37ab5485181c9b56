"""Face validity of the built-in scenarios: what tests/model/test_builtin_scenarios.py asserts of each, next to
the figures of its seed-0 run, as the table of docs/model.md ("Validation: do the built-in scenarios tell their
stories?").

    python -m jobsim.validation.face [--write docs/model.md]

prints the table, or writes it into the page's ``<!-- output of: face_validity -->`` block; the test checks
that the page holds what the runs of today give.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping

import jobsim

from ..report.docblocks import update_page

#: The scenarios, in the table's order.
SCENARIOS = ("laerkevej", "ds_norm", "odense_frikommune", "odense_2017", "aabenraa")
#: The Odense comparison runs the law over the exemption's three years, so the counts compare.
ODENSE_LAW_OVER_THREE_YEARS = "odense_2017 over 1092 days"


def seed0_runs() -> dict[str, dict[str, float]]:
    """The KPIs of one seed-0 run of each built-in (full horizons, tables off), and of odense_2017 over the
    exemption's 1,092 days."""
    kpis = {name: jobsim.simulate(jobsim.load_scenario(name), seed=0, tables=False).kpis for name in SCENARIOS}
    kpis[ODENSE_LAW_OVER_THREE_YEARS] = jobsim.simulate(
        jobsim.load_scenario("odense_2017", horizon_days=1092), seed=0, tables=False).kpis
    return kpis


def _dkk(v: float) -> str:
    return f"{round(v, -2):,.0f} DKK"


#: Per scenario: what the test asserts (words) and the seed-0 figures (from the runs' KPIs).
ROWS: tuple[tuple[str, str, Callable[[Mapping[str, Mapping[str, float]]], str]], ...] = (
    ("`laerkevej`", "`prepared_share` < 0.2; `casework_coverage` < 0.5; preparation at most the 5-minute skim, "
     "none wasted; `overdue_share` > 0.2",
     lambda k: (f"{k['laerkevej']['prepared_share']:.3f}; {k['laerkevej']['casework_coverage']:.2f}; "
                f"{k['laerkevej']['prep_minutes_mean']:.2f} min, "
                f"{k['laerkevej']['wasted_prep_minutes_per_worker_week']:g}; {k['laerkevej']['overdue_share']:.2f}")),
    ("`ds_norm`", "`prepared_share` > 0.9; `overdue_share` < 0.1; `casework_coverage` > 0.95; nobody a year "
     "without contact",
     lambda k: (f"{k['ds_norm']['prepared_share']:.3f}; {k['ds_norm']['overdue_share']:.2f}; "
                f"{k['ds_norm']['casework_coverage']:.2f}; {k['ds_norm']['no_contact_over_year_count']:.0f}")),
    ("`odense_frikommune`", "by need, at its assumptions: `no_contact_over_year_count` > 0; longest gap over 365 "
     "days",
     lambda k: (f"{k['odense_frikommune']['no_contact_over_year_count']:.0f} citizens in three years (and "
                f"{k['odense_frikommune']['no_contact_over_year_pre_run_count']:.0f} in gaps begun before the "
                f"run); {k['odense_frikommune']['followup_gap_days_max']:.0f} days")),
    ("`odense_2017` (over the same three years)", "no-contact count at most a tenth of the exemption's; p90 gap "
     "less than half; more than 1.5 times the conversations; lower casework coverage",
     lambda k: (f"{k[ODENSE_LAW_OVER_THREE_YEARS]['no_contact_over_year_count']:.0f} vs "
                f"{k['odense_frikommune']['no_contact_over_year_count']:.0f}; "
                f"{k[ODENSE_LAW_OVER_THREE_YEARS]['followup_gap_days_p90']:.0f} vs "
                f"{k['odense_frikommune']['followup_gap_days_p90']:.0f} days; "
                f"{k[ODENSE_LAW_OVER_THREE_YEARS]['meetings_held_per_worker_week']:.1f} vs "
                f"{k['odense_frikommune']['meetings_held_per_worker_week']:.1f} per week; "
                f"{k[ODENSE_LAW_OVER_THREE_YEARS]['casework_coverage']:.2f} vs "
                f"{k['odense_frikommune']['casework_coverage']:.2f}")),
    ("`aabenraa`", "`prepared_share` > 0.9; `overdue_share` < 0.1; casework covered; cost per citizen more than "
     "1.2 × `ds_norm`'s",
     lambda k: (f"{k['aabenraa']['prepared_share']:.3f}; {k['aabenraa']['overdue_share']:.2f}; "
                f"{k['aabenraa']['casework_coverage']:.2f}; {_dkk(k['aabenraa']['cost_dkk_per_citizen_year'])} vs "
                f"{_dkk(k['ds_norm']['cost_dkk_per_citizen_year'])}")),
)


def face_table(kpis: Mapping[str, Mapping[str, float]]) -> str:
    """The Markdown table: scenario, what is asserted, the seed-0 figures."""
    lines = ["| scenario | asserted | seed 0 |", "|---|---|---|"]
    lines += [f"| {name} | {asserted} | {figures(kpis)} |" for name, asserted, figures in ROWS]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", default=None, help="write the table into this page's face_validity block")
    args = parser.parse_args(argv)
    table = face_table(seed0_runs())
    if args.write:
        try:
            update_page(args.write, {"face_validity": table})
        except (OSError, ValueError) as err:   # no page, or a page without the blocks
            print(f"error: {err}", file=sys.stderr)
            return 2
        print(f"wrote the face_validity block of {args.write}")
    else:
        print(table, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
