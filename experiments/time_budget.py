"""The caseworker's week at 45, 82 and 220 cases next to the published time-use shares, and the shipped fit.

Runs ``ds_norm`` (preparation ahead, the fitted time budget) at 45, 82 and 220 cases, 10 replications each
(common random numbers), and writes:

* ``docs/time_use.csv``: every share of the week and every sign of strain with its 95% interval;
* into docs/model.md, between ``<!-- output of: NAME -->`` and ``<!-- end of output -->``: the week table
  (``week_table``) and the shipped fit's table (``fit_table``, from ``jobsim/fit/posterior/summary.csv``).

    python experiments/time_budget.py [--replications 10] [--jobs 2]

No number in those blocks is typed by hand; tests/studies/test_time_budget.py checks that the page holds
exactly what the stored results give.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from jobsim.report.docblocks import update_page
from jobsim.studies import timeuse

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model.md"
TABLE = ROOT / "docs" / "time_use.csv"


def blocks() -> dict[str, str]:
    """NAME -> the text its block in docs/model.md must hold, from the stored results."""
    return {"week_table": timeuse.week_markdown(pd.read_csv(TABLE)),
            "fit_table": timeuse.fit_markdown(timeuse.shipped_fit_summary())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    frame = timeuse.time_use(replications=args.replications, jobs=args.jobs)
    frame.to_csv(TABLE, index=False, float_format="%.6g")
    update_page(DOC, blocks())
    print(f"wrote {TABLE.relative_to(ROOT)} and the blocks week_table, fit_table of docs/model.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
