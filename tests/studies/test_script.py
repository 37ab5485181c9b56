"""jobsim.studies.script and the studies' phrases: words in both languages, PNG copies for the docs."""


import doctest
from pathlib import Path

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from conftest import run_experiment  # noqa: E402
from jobsim.errors import JobsimError  # noqa: E402
from jobsim.report import words  # noqa: E402
from jobsim.studies import script  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)




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


# ------------------------------------------------------------------ the output folder of an experiment


def snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_quick_run_never_touches_the_full_runs_folder_and_finished_results_need_force(tmp_path):
    full = tmp_path / "outputs" / "week_in_the_life"
    proc = run_experiment("week_in_the_life", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (full / "manifest.json").exists()
    before = snapshot(full)

    quick = run_experiment("week_in_the_life", "--quick", "--quiet", cwd=tmp_path)
    assert quick.returncode == 0, quick.stderr
    assert (tmp_path / "outputs" / "week_in_the_life-quick" / "manifest.json").exists()
    assert snapshot(full) == before

    again = run_experiment("week_in_the_life", "--quiet", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr == ("error: --out: 'outputs/week_in_the_life' holds the finished results of week_in_the_life "
                            "(full run); add --force to run again and replace them, or choose another --out\n")
    assert snapshot(full) == before
    # the quick version into the full run's folder is refused too
    again = run_experiment("week_in_the_life", "--quick", "--quiet", "--out", str(full), cwd=tmp_path)
    assert again.returncode == 2 and "finished results of week_in_the_life (full run)" in again.stderr
    assert snapshot(full) == before

    forced = run_experiment("week_in_the_life", "--quiet", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (full / "week_diary.csv").read_bytes() == before[full / "week_diary.csv"]  # same seed, same bytes


def args_for(tmp_path, *argv):
    parser = script.experiment_parser("demo", "a demo")
    return parser.parse_args(["--out", str(tmp_path / "o"), *argv])


def test_an_unfinished_run_with_the_same_settings_continues_and_other_settings_are_refused(tmp_path):
    out = script.output_folder(args_for(tmp_path, "--quick"), "demo")
    (out / "sweep_quick").mkdir()  # runs stored by the interrupted first attempt, no manifest yet
    assert script.output_folder(args_for(tmp_path, "--quick", "--jobs", "3"), "demo") == out  # continue
    with pytest.raises(JobsimError, match=r"holds an unfinished run of demo --quick with other settings: "
                                          r"--seed 0 \(now 2\); run with those settings to continue it"):
        script.output_folder(args_for(tmp_path, "--quick", "--seed", "2"), "demo")
    with pytest.raises(JobsimError, match=r"holds an unfinished run of demo --quick; run that to continue it"):
        script.output_folder(args_for(tmp_path), "demo")
    with pytest.raises(JobsimError, match=r"holds an unfinished run of demo --quick"):
        script.output_folder(args_for(tmp_path, "--quick"), "another")
    # --force writes there anyway, and the folder is now this run's
    assert script.output_folder(args_for(tmp_path, "--seed", "2", "--force"), "demo") == out
    assert script.output_folder(args_for(tmp_path, "--seed", "2"), "demo") == out


def test_an_experiment_refuses_a_folder_of_other_files_or_a_file(tmp_path):
    (tmp_path / "o").mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / "o" / name).write_text("mine", encoding="utf-8")
    with pytest.raises(JobsimError, match=r"'.*o' holds other files \(a.txt, b.txt, c.txt and 1 more\), not "
                                          r"results of demo; choose another --out, or add --force"):
        script.output_folder(args_for(tmp_path), "demo")
    (tmp_path / "f").write_text("x", encoding="utf-8")
    args = script.experiment_parser("demo", "a demo").parse_args(["--out", str(tmp_path / "f")])
    with pytest.raises(JobsimError, match="exists and is not a folder"):
        script.output_folder(args, "demo")


def test_default_folders_of_quick_and_full_runs_differ(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    parser = script.experiment_parser("demo", "a demo")
    assert script.output_folder(parser.parse_args([]), "demo") == Path("outputs") / "demo"
    assert script.output_folder(parser.parse_args(["--quick"]), "demo") == Path("outputs") / "demo-quick"
