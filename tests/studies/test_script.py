"""jobsim.studies.script and the studies' phrases: words in both languages, PNG copies for the docs."""


import doctest

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from jobsim.report import words  # noqa: E402
from jobsim.studies import script  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_docstring_examples():
    assert doctest.testmod(script).failed == 0


# ------------------------------------------------------------------ words and files

def test_phrases_exist_in_both_languages_and_danish_numbers_use_danish_separators():
    assert set(words.PHRASES["en"]) == set(words.PHRASES["da"])
    assert "1.400" in words.phrase("workers_axis", "da", citizens=1400.0)
    assert "1,400" in words.phrase("workers_axis", "en", citizens=1400.0)
    with pytest.raises(ValueError, match="lang"):
        words.phrase("absent", "de")


def test_downscale_png_makes_a_900_pixel_copy(tmp_path):
    from PIL import Image

    fig, ax = plt.subplots(figsize=(12, 4))
    fig.savefig(tmp_path / "big.png", dpi=150)
    out = script.downscale_png(tmp_path / "big.png", tmp_path / "docs" / "small.png")
    with Image.open(out) as img:
        assert img.width == 900 and img.height == 300
