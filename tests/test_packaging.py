"""The licence that pyproject.toml and CITATION.cff declare ships as a file, and goes into the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_declared_licence_ships_as_a_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]  # so setuptools puts it in the wheel and the sdist
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "The jobsim developers" in text  # the authors CITATION.cff names
    assert "license: MIT" in (ROOT / "CITATION.cff").read_text(encoding="utf-8")
