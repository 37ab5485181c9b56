"""Examples in the docstrings, README and docs run as written; every source they cite can be followed."""

import doctest
import importlib
import re
from pathlib import Path

import pytest

import jobsim

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["jobsim", "jobsim.model.scenario", "jobsim.runner.simulate", "jobsim.policies", "jobsim.model.calendar", "jobsim.model.streams",
           "jobsim.runner.sweep", "jobsim.model.jobcenter", "jobsim.errors", "jobsim.gsa.analysis", "jobsim.gsa.ranges", "jobsim.report.html",
           "jobsim.report.texts", "jobsim.report.citation", "jobsim.report.style", "jobsim.report.words"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


DOCS = [ROOT / "README.md", ROOT / "docs" / "model.md", ROOT / "docs" / "executors.md", ROOT / "docs" / "sensitivity.md",
        ROOT / "docs" / "report.md"]
BLOCKS = [(p.name, i, block) for p in DOCS if p.exists() for i, block in enumerate(python_blocks(p))]


def test_readme_shows_python_usage():
    assert any(name == "README.md" for name, _, _ in BLOCKS)


@pytest.mark.parametrize("name,index,block", BLOCKS, ids=[f"{n}-{i}" for n, i, _ in BLOCKS])
def test_python_examples_in_docs_run(name, index, block, tmp_path, monkeypatch):
    """Each ```python block runs (after the earlier blocks of the same file) without raising."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {}
    earlier = [b for n, i, b in BLOCKS if n == name and i < index]
    for code in earlier:
        exec(compile(code, f"{name} example", "exec"), namespace)  # noqa: S102
    error = None
    try:
        exec(compile(block, f"{name} example {index}", "exec"), namespace)  # noqa: S102
    except Exception as err:  # the example as printed in the docs does not run
        error = f"{name} example {index} raised {type(err).__name__}: {err}\n{block}"
    assert error is None, error


# ------------------------------------------------------------------ sources users can follow

#: Background files of the project's authors that are not in the repository: users cannot open them,
#: so no source, doc or scenario may point to them (cite the publication, or say "assumption").
PRIVATE_FILES = ("MODEL.md", "DOMAIN.md", "STYLE.md")
SHIPPED = [*sorted((ROOT / "jobsim").rglob("*.py")), *sorted((ROOT / "jobsim").rglob("*.toml")),
           *sorted(p for p in (ROOT / "docs").rglob("*") if p.suffix in (".md", ".txt", ".html", ".svg")),
           ROOT / "README.md", *sorted((ROOT / "notebooks").rglob("*"))]


def private_file_names(text: str) -> list[str]:
    """The private files ``text`` names (case matters: ``docs/model.md`` is in the repository)."""
    return [name for name in PRIVATE_FILES if name in text] + (["../shared/"] if "../shared/" in text else [])


def test_the_shipped_files_are_scanned():
    names = {p.relative_to(ROOT).as_posix() for p in SHIPPED}
    assert {"README.md", "docs/model.md", "jobsim/model/scenario.py", "jobsim/scenarios/laerkevej.toml",
            "notebooks/01_first_run.ipynb"} <= names


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.is_file()], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_file_users_get_cites_a_file_they_do_not_have(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    assert private_file_names(text) == [], f"{path.relative_to(ROOT)} names {private_file_names(text)}"


def test_jobsim_show_and_a_saved_scenario_cite_no_missing_file(capsys, tmp_path):
    from jobsim.cli import main
    from jobsim.model.scenario import Scenario, builtin_names, scenario_sources

    assert main(["show", "laerkevej"]) == 0
    shown = capsys.readouterr().out
    assert "DS 2017, 'Jobcenter Lærkevej: Socialrådgivere får ros for fagligt opråb'" in shown   # the reference
    assert private_file_names(shown) == []
    # what `jobsim run` saves beside its results, for every built-in and for the defaults
    out = tmp_path / "run"
    assert main(["run", "laerkevej", "--set", "horizon_days=7", "--set", "warmup_days=0", "--set", "workers=1",
                 "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    saved = (out / "scenario.toml").read_text(encoding="utf-8")
    assert "horizon_days = 7  # --set on the command line" in saved
    assert private_file_names(saved) == []
    for name in builtin_names():
        assert private_file_names(jobsim.load_scenario(name).to_toml(scenario_sources(name))) == [], name
    assert private_file_names(Scenario().to_toml()) == []
