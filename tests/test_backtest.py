"""Golden back-test: the built-in scenarios and a small sweep give exactly the stored results.

A refactor keeps this green bit for bit. A change that moves results on purpose
regenerates the stored files with ``python tests/golden/regenerate.py`` in a
commit of its own that says what moved and why.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
import golden  # noqa: E402


@pytest.fixture(scope="module")
def fresh():
    return golden.collect()


@pytest.fixture(scope="module")
def kept():
    return golden.stored()


@pytest.mark.parametrize("label", sorted(golden.RUNS))
def test_kpis_bit_identical(fresh, kept, label):
    now, then = fresh[0][label], kept[0][label]
    assert sorted(now) == sorted(then)
    moved = {k: (then[k], now[k]) for k in then if not golden.same(then[k], now[k])}
    assert moved == {}


@pytest.mark.parametrize("label", sorted(golden.RUNS))
def test_tables_bit_identical(fresh, kept, label):
    assert fresh[1][label] == kept[1][label]


def test_sweep_summary_identical(fresh, kept):
    assert fresh[2] == kept[2]
