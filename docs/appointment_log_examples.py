"""Write the outputs shown in docs/appointment_log.md by running the commands that produce them.

    python docs/appointment_log_examples.py            # runs the worked examples, rewrites the marked blocks

Each block in the doc between ``<!-- output of: NAME -->`` and ``<!-- end of output -->`` is replaced by
what the example NAME prints (the commands are the doc's own, run in a temporary folder), so no number in
those blocks is typed by hand. tests/calibrate/test_calibrate_docs.py checks that the doc holds exactly
these outputs.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

DOC = Path(__file__).resolve().parent / "appointment_log.md"
_BLOCK = re.compile(r"(<!-- output of: (\w+) -->\n```(\w+)\n)(.*?)(```\n<!-- end of output -->)", flags=re.S)


def commands(doc: str, name: str) -> list[str]:
    """The shell commands of the ``bash`` block marked ``<!-- commands of: NAME -->``."""
    m = re.search(rf"<!-- commands of: {name} -->\n```bash\n(.*?)```", doc, flags=re.S)
    if m is None:
        raise SystemExit(f"{DOC.name}: no block marked '<!-- commands of: {name} -->'")
    return [line for line in m.group(1).splitlines() if line.strip()]


def run(command: str, folder: Path) -> str:
    """Run one of the doc's commands in ``folder`` (``jobsim`` and ``python`` from this interpreter); stdout."""
    argv = shlex.split(command)
    if argv[0] == "jobsim":
        argv = [sys.executable, "-m", "jobsim", *argv[1:]]
    elif argv[0] == "python":
        argv = [sys.executable, *argv[1:]]
    res = subprocess.run(argv, cwd=folder, capture_output=True, text=True, env=_env())
    if res.returncode != 0:
        raise SystemExit(f"{command!r} failed:\n{res.stderr}")
    return res.stdout


def _env() -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k != "JOBSIM_QUICK"}   # the doc shows full runs
    env["MPLBACKEND"] = "Agg"
    return env


def outputs(doc: str, folder: Path) -> dict[str, str]:
    """NAME -> the text its block shows, from running the doc's commands in ``folder``."""
    out = {}
    printed = "".join(run(c, folder) for c in commands(doc, "realistic"))
    out["realistic_report"] = printed.split("\nScenario fragment written to")[0].rstrip() + "\n"
    out["realistic_fragment"] = (folder / "realistic.toml").read_text(encoding="utf-8")
    printed = [run(c, folder) for c in commands(doc, "laerkevej")]
    out["laerkevej_report"] = _shortened(printed[1])
    fragment = (folder / "outputs" / "laerkevej-calibrated.toml").read_text(encoding="utf-8")
    out["laerkevej_fragment"] = "".join(line + "\n" for line in fragment.splitlines()
                                        if line.startswith("noshow_lead_odds_ratio_31_plus_days ="))
    return out


def _shortened(report: str) -> str:
    """The lines of a report that the Lærkevej example discusses (values, fit lines of the lead, the check)."""
    keep, lines = [], report.splitlines()
    for i, line in enumerate(lines):
        value = re.match(r"^\S.*\((noshow_\w+|sms_effect|conversation_minutes|punctuality_\w+)\): ", line)
        if line.startswith(("The log:", "  no-shows per booking", "  by lead", "    ", "Check of")) and not \
                line.startswith("    fit:") and not line.startswith("    note:"):
            keep.append(line)
        elif value or line.startswith("WARNING"):
            keep.append(line)
        elif line.startswith("    fit: no-shows in") and lines[i - 1].startswith("odds ratio of a no-show per 30"):
            keep.append(line)
        elif line.startswith("    fit: no-shows in") and "(noshow_probability)" in lines[i - 1]:
            keep.append(line)
    return "\n".join(keep) + "\n"


def update(doc: str, texts: dict[str, str]) -> str:
    """``doc`` with every marked output block replaced by its text."""
    def swap(m: re.Match) -> str:
        if m.group(2) not in texts:
            raise SystemExit(f"{DOC.name}: no example writes the block '{m.group(2)}'")
        return m.group(1) + texts[m.group(2)] + m.group(5)
    return _BLOCK.sub(swap, doc)


def main() -> int:
    doc = DOC.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        new = update(doc, outputs(doc, Path(tmp)))
    if new != doc:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC} updated")
    else:
        print(f"{DOC} already holds these outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
