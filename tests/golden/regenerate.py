"""Rewrite the golden back-test's stored results from the current code.

Run it only when a change of the model's results is intended, and commit the
regenerated files in a commit of their own that says what moved and why:

    python tests/golden/regenerate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import golden  # noqa: E402


def main() -> int:
    before = golden.stored() if golden.KPI_FILE.exists() else None
    kpis, tables, summary = golden.collect()
    golden.write(kpis, tables, summary)
    if before is not None:
        for label, values in sorted(kpis.items()):
            for k, v in values.items():
                old = before[0].get(label, {}).get(k)
                if old is None or not golden.same(old, v):
                    print(f"{label}.{k}: {old!r} -> {v!r}")
    print(f"wrote {golden.KPI_FILE.name}, {golden.TABLE_FILE.name} and {golden.SUMMARY_FILE.name} in {golden.HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
