"""No source, document or output of jobsim names a file that is not in the repository.

Users have the repository and nothing else: a value's source must be a real
reference (author, year, title) or "assumption", never a document they do
not have (say, a planning note of the developers). The scan looks for names
of documents and sources (``*.md``, ``*.rst``, ``*.cff``, ``*.pdf``, ``*.docx``,
``*.ipynb``, ``*.py``) in every tracked text file outside
``tests/``, and in what ``jobsim show`` prints and ``Scenario.to_toml``
saves for every built-in scenario; each must be a file of the repository.
(Names of files the user makes, such as ``my_scenario.toml``, are not
documents and are not checked.)
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


import jobsim
from jobsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: A name of a document or source file, not part of a longer path-like word.
FILE_NAME = re.compile(r"(?<![\w/.-])([A-Za-z0-9_][\w./-]*\.(?:md|rst|cff|ipynb|py|pdf|docx))(?![\w/-])")
#: Templates that stand for any file of a folder (``python experiments/NAME.py``).
TEMPLATES = {"experiments/NAME.py", "NAME.py"}
TEXT_SUFFIXES = (".py", ".md", ".toml", ".ipynb", ".cff", ".txt", ".cfg", ".yaml", ".yml", "")
#: The scenario files and the module holding the scenario fields' sources: the part not yet clean.
SCENARIO_PARTS = ("jobsim/scenarios/", "jobsim/model/")


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.split()


def _known(tracked: list[str]) -> set[str]:
    return set(tracked) | {Path(f).name for f in tracked} | TEMPLATES


def missing_names(text: str, known: set[str]) -> list[str]:
    """The document and source names in ``text`` that are not files of the repository.

    >>> missing_names("see MODEL.md and docs/model.md", {"docs/model.md", "model.md"})
    ['MODEL.md']
    """
    return [m for m in FILE_NAME.findall(text) if m not in known and Path(m).name not in known]


def _scan(paths: list[str], known: set[str]) -> dict[str, list[str]]:
    found = {}
    for rel in paths:
        path = ROOT / rel
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file (an image)
        names = missing_names(text, known)
        if names:
            found[rel] = sorted(set(names))
    return found


def test_the_scan_sees_a_missing_document():
    known = _known(_tracked())
    assert missing_names("source: MODEL.md default; DOMAIN.md", known) == ["MODEL.md", "DOMAIN.md"]
    assert missing_names("see docs/model.md, README.md and experiments/odense.py", known) == []


def test_no_file_outside_the_scenarios_names_a_missing_file():
    tracked = _tracked()
    paths = [f for f in tracked if not f.startswith(("tests/", *SCENARIO_PARTS))]
    assert len(paths) > 50
    assert _scan(paths, _known(tracked)) == {}


def test_scenarios_and_jobsim_show_name_no_missing_file(tmp_path, capsys):
    tracked = _tracked()
    known = _known(tracked)
    found = _scan([f for f in tracked if f.startswith(SCENARIO_PARTS)], known)
    for name in jobsim.builtin_names():
        assert main(["show", name]) == 0
        names = missing_names(capsys.readouterr().out, known)
        if names:
            found[f"jobsim show {name}"] = sorted(set(names))
        saved = jobsim.load_scenario(name).to_toml()
        names = missing_names(saved, known)
        if names:
            found[f"{name}: saved scenario.toml"] = sorted(set(names))
    assert found == {}
