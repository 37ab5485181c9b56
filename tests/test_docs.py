"""Examples in docstrings, the README and the docs run as written."""

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ["jobsim", "jobsim.model.scenario", "jobsim.runner.simulate", "jobsim.policies", "jobsim.model.calendar", "jobsim.model.streams",
           "jobsim.runner.sweep", "jobsim.model.jobcenter", "jobsim.errors", "jobsim.report.html",
           "jobsim.report.texts", "jobsim.report.citation", "jobsim.report.style", "jobsim.report.words"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


DOCS = [ROOT / "README.md", ROOT / "docs" / "model.md", ROOT / "docs" / "report.md"]
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
