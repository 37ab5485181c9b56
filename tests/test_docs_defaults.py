"""docs/model.md's parameter table gives every scenario parameter with the default the code has."""

import re
from pathlib import Path

import pytest

from jobsim.model.scenario import WEEK_SOURCE, Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
HEADER = "| parameter | meaning | unit | default | source of the default |"


def table_rows() -> dict[str, str]:
    """parameter -> the default cell, from the table under HEADER."""
    lines = DOC.read_text(encoding="utf-8").split(HEADER, 1)[1].splitlines()[2:]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            break
        m = re.match(r"^\| (`\w+`(?:, `\w+`)*)[^|]* \| [^|]* \| [^|]* \| ([^|]*) \|", line)
        if m:   # a row may name several: `noshow_lead_odds_ratio_same_day`, `_8_14_days`, ...
            names = re.findall(r"`(\w+)`", m.group(1))
            for n in names:   # a suffix completes the first name's stem
                full = [f for f in Scenario.model_fields if f.endswith(n) and names[0].startswith(f[:-len(n)])]
                rows[full[0] if n.startswith("_") and full else n] = m.group(2).strip()
    return rows


def written(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "none" if not value else str(value)
    if isinstance(value, float) and value >= 1000:
        return f"{value:,.0f}"
    return str(value)


def test_every_parameter_is_in_the_table():
    assert set(Scenario.model_fields) - set(table_rows()) <= {"name", "description"}


@pytest.mark.parametrize("name", sorted(set(Scenario.model_fields) - {"name", "description"}))
def test_the_tables_default_is_the_codes(name):
    cell = table_rows()[name]
    field = Scenario.model_fields[name]
    if field.json_schema_extra.get("source") == WEEK_SOURCE:
        assert cell == "fitted: posterior median, section 3.4"
        return
    text = re.sub(r"^`(.*)`$", r"\1", cell.split(" (")[0]).replace("−", "-")
    default = field.default
    if isinstance(default, float) and not isinstance(default, bool) and re.fullmatch(r"[-\d.,]+", text):
        assert float(text.replace(",", "")) == default
    else:
        assert text == written(default)
