"""The numbers of docs/what_drives_the_answers.md, written from a finished run of
experiments/what_drives_the_answers.py.

    python -m jobsim.studies.drivers_page RUN_FOLDER [--docs docs]

copies the run's findings (``findings.json``, ``drivers.csv``, ``desk_rules.csv`` and the settings of
``manifest.json``) to ``docs/what_drives_the_answers/`` and writes the page's generated blocks from them;
tests/studies/test_drivers_page.py checks that the page holds what those files render to.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ..report.words import kpi_label, lower_first
from ..report.docblocks import read_block, update_page
from .caseload import DESK_RULES
from .drivers import CASELOADS, KPIS, NEGLIGIBLE

PAGE = "what_drives_the_answers.md"
FOLDER = "what_drives_the_answers"
#: The manifest's settings the page states (the rest of the manifest stays with the run).
SETTINGS = ("started_utc", "wall_seconds", "replications", "trajectories", "sobol_size", "sobol_replications",
            "desk_replications", "parameters", "most_influential", "versions")
#: Morris parameters named per KPI and caseload in the table.
NAMED = 4
#: The page's generated blocks (see docs/research/what_drives_the_answers_template.md).
BLOCKS = ("drivers_run", "drivers_table", "drivers_choices", "drivers_desk", "drivers_negligible", "drivers_noise")


def _value(kpi: str, v: float) -> str:
    return f"{v:.1f}" if kpi.endswith("_days_p90") or kpi.endswith("_days") else f"{v:.3f}"


def store(run: Path, docs: Path) -> Path:
    """Copy what the page needs from the run folder ``run`` into ``docs/what_drives_the_answers/``."""
    target = docs / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in ("findings.json", "drivers.csv", "desk_rules.csv"):
        shutil.copyfile(run / name, target / name)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    settings = {k: manifest[k] for k in SETTINGS if k in manifest}
    settings["scenario"] = {k: manifest["scenario"][k] for k in ("name", "workers", "horizon_days", "warmup_days")}
    (target / "settings.json").write_text(json.dumps(settings, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return target


def blocks(docs: Path) -> dict[str, str]:
    """The page's generated blocks, from ``docs/what_drives_the_answers/``."""
    folder = docs / FOLDER
    found: dict[str, Any] = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    settings: dict[str, Any] = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    drivers = pd.read_csv(folder / "drivers.csv")
    k = len(settings["parameters"])
    r, reps = settings["trajectories"], settings["replications"]
    n, sreps = settings["sobol_size"], settings["sobol_replications"]
    top = settings["most_influential"]
    sc = settings["scenario"]
    morris_points = r * (k + 1)
    sobol_points = n * (2 * len(top) + 2)
    runs = len(CASELOADS) * (morris_points * reps + sobol_points * sreps) + \
        len(CASELOADS) * len(DESK_RULES) * settings["desk_replications"]
    run_text = (
        f"Run on {settings['started_utc'][:10]} with jobsim {settings['versions']['jobsim']} and the fitted time "
        f"budget: {sc['workers']} caseworkers, {sc['warmup_days']} days of warm-up and {sc['horizon_days']} "
        f"measured days per run; Morris with r = {r} trajectories over the {k} assumptions of the ranges "
        f"({morris_points} points) and {reps} replications per point at each caseload; Sobol with N = {n} for the "
        f"{len(top)} most influential ({sobol_points} points) and {sreps} replication{'' if sreps == 1 else 's'}; the desk rules compared with "
        f"{settings['desk_replications']} replications each; {runs:,} runs in all, "
        f"{settings['wall_seconds'] / 60:.0f} minutes on the 2-core development machine.\n")

    morris = drivers[(drivers["stage"] == "morris") & (drivers["index"] == "mu_star")]
    sobol = drivers[(drivers["stage"] == "sobol") & (drivers["index"] == "ST")]
    lines = ["| KPI | " + " | ".join(f"at {c:g} cases" for c in CASELOADS) + " |",
             "|---|" + "---|" * len(CASELOADS)]
    for kpi in KPIS:
        cells = []
        for c in CASELOADS:
            m = morris[(morris["kpi"] == kpi) & (morris["caseload"] == c)].sort_values("value", ascending=False)
            named = ", ".join(f"`{p}` ({_value(kpi, v)})" for p, v in zip(m["parameter"][:NAMED], m["value"][:NAMED]))
            s = sobol[(sobol["kpi"] == kpi) & (sobol["caseload"] == c)].sort_values("value", ascending=False)
            st = ", ".join(f"`{p}` {v:.2f}" for p, v in zip(s["parameter"], s["value"]) if v >= 0.1)
            cells.append(f"μ*: {named}; Sobol ST: {st or f'none of the {len(top)} above 0.1'}")
        lines.append(f"| {lower_first(kpi_label(kpi, 'en'))} | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"

    choices = "\n".join(f"* {s}" for s in found["choices"]) + f"\n\n{found['choices_note']}\n"
    desk = "\n".join(f"* {s}" for s in found["desk_rules"]) + "\n"
    everywhere = sorted(set.intersection(*(set(v) for v in found["negligible"].values())))
    negligible = (f"For every one of the {len(KPIS)} KPIs, at both caseloads, these move the answer by less than "
                  f"{NEGLIGIBLE:.0%} of the strongest parameter's effect: " + ", ".join(f"`{p}`" for p in everywhere) + ".\n"
                  if everywhere else "No assumption is negligible for every KPI.\n")
    noise = max(v for by_c in found["noise"].values() for v in by_c.values())
    noise_text = (f"The model's own noise is at most {noise:.1%} of the variance over the Morris design, for every "
                  f"KPI at both caseloads (`noise.csv` in each folder).\n")
    return {"drivers_run": run_text, "drivers_table": table, "drivers_choices": choices, "drivers_desk": desk,
            "drivers_negligible": negligible, "drivers_noise": noise_text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="the folder of a finished run (outputs/what_drives_the_answers)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder (default docs)")
    args = parser.parse_args(argv)
    if not (args.run / "findings.json").exists():
        print(f"error: {args.run}: no findings.json; finish a run of experiments/what_drives_the_answers.py first",
              file=sys.stderr)
        return 2
    page = args.docs / PAGE
    try:   # checked before anything is written: the page and its blocks (as in the template) must be there
        missing = [name for name in BLOCKS if read_block(page.read_text(encoding="utf-8"), name) is None]
    except OSError as err:
        print(f"error: {page}: {err.strerror or err}", file=sys.stderr)
        return 2
    if missing:
        print(f"error: {page}: no block marked '<!-- output of: {missing[0]} -->'; start from "
              "docs/research/what_drives_the_answers_template.md", file=sys.stderr)
        return 2
    store(args.run, args.docs)
    update_page(page, blocks(args.docs))
    print(f"wrote {args.docs / FOLDER} and the generated blocks of {args.docs / PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
