"""The ``jobsim`` command line: outputs, --set, one-line errors with exit code 2, README truth.

(The README's Python examples are run by tests/test_docs.py.)"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim import KPI_NAMES, KPIS, load_scenario, simulate
from jobsim.cli import main
from jobsim.runner.manifest import read_manifest
from jobsim.model.scenario import builtin_names, field_names

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--set", "horizon_days=28", "--set", "warmup_days=7", "--set", "workers=2"]
OUTPUT_FILES = ["citizens.csv", "kpis.csv", "manifest.json", "meetings.csv", "scenario.toml", "worker_days.csv"]

SCENARIO_TOML = """\
name = "tiny"  # label
description = "a small test team"  # label
workers = 2  # test: two caseworkers
caseload = 80  # test: between the norm and Laerkevej
horizon_days = 28  # test: four weeks
warmup_days = 7  # test: one week
prep_policy = "ahead"  # test
"""


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(SCENARIO_TOML, encoding="utf-8")
    return path


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The whole of stderr, which must be exactly one line starting 'jobsim: error:'."""
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert lines[0].startswith("jobsim: error: "), err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ run


def test_run_writes_every_file_and_prints_every_kpi(capsys, tmp_path, scenario_file):
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", scenario_file, "--seed", 3, "--out", out_dir)
    assert code == 0, err
    assert err == ""
    assert sorted(p.name for p in out_dir.iterdir()) == OUTPUT_FILES
    first, last = out.splitlines()[0], out.strip().splitlines()[-1]
    assert "scenario 'tiny'" in first and "seed 3" in first
    assert last.startswith(f"Outputs written to {out_dir}/")
    for name in KPI_NAMES:
        assert re.search(rf"^{name}\s+\S+\s+{re.escape(KPIS[name][0])}$", out, re.M), name

    # the files hold exactly what simulate() gives for the same scenario and seed
    expected = simulate(load_scenario(scenario_file), seed=3)
    kpis = pd.read_csv(out_dir / "kpis.csv")
    assert list(kpis.columns) == ["kpi", "value", "unit"]
    assert list(kpis["kpi"]) == list(KPI_NAMES)
    assert list(kpis["unit"].fillna("")) == [KPIS[k][0] for k in KPI_NAMES]
    assert kpis["value"].tolist() == pytest.approx([expected.kpis[k] for k in KPI_NAMES], nan_ok=True)
    assert len(pd.read_csv(out_dir / "meetings.csv")) == len(expected.meetings)
    assert len(pd.read_csv(out_dir / "citizens.csv")) == len(expected.citizens)
    assert len(pd.read_csv(out_dir / "worker_days.csv")) == len(expected.worker_days)

    manifest = read_manifest(out_dir / "manifest.json")
    assert (manifest["seed"], manifest["replication"], manifest["command"]) == (3, 0, "run")
    assert manifest["scenario"] == load_scenario(scenario_file).to_dict()
    assert manifest["files"] == ["meetings.csv", "citizens.csv", "worker_days.csv", "kpis.csv",
                                 "scenario.toml", "manifest.json"]
    assert load_scenario(out_dir / "scenario.toml") == load_scenario(scenario_file)


def test_set_caseload_takes_effect(capsys, tmp_path, scenario_file):
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", scenario_file, "--set", "caseload=60", "--out", out_dir)
    assert code == 0, err
    assert "changed: caseload=60" in out
    manifest = read_manifest(out_dir / "manifest.json")
    assert manifest["scenario"]["caseload"] == 60.0
    assert manifest["changes"] == {"caseload": 60.0}
    saved = load_scenario(out_dir / "scenario.toml")
    assert saved.caseload == 60.0 and saved.workers == 2
    assert "caseload = 60.0  # --set on the command line" in (out_dir / "scenario.toml").read_text("utf-8")
    # Little's law: the run really had about 60 citizens per worker, not the file's 80
    kpis = pd.read_csv(out_dir / "kpis.csv").set_index("kpi")["value"]
    assert kpis["caseload_mean"] == pytest.approx(60, rel=0.2)


def test_builtin_scenario_runs_with_small_horizon(capsys, tmp_path):
    code, out, err = run_cli(capsys, "run", "laerkevej", *SMALL, "--out", tmp_path / "o")
    assert code == 0, err
    saved = load_scenario(tmp_path / "o" / "scenario.toml")
    assert (saved.name, saved.caseload, saved.prep_policy, saved.horizon_days) == ("laerkevej", 220.0,
                                                                                   "after_checkin", 28)


def test_same_seed_gives_identical_meetings_and_another_seed_differs(capsys, tmp_path, scenario_file):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        assert run_cli(capsys, "run", scenario_file, "--seed", seed, "--out", tmp_path / name, "-q")[0] == 0
    a, b, c = ((tmp_path / n / "meetings.csv").read_bytes() for n in "abc")
    assert len(a) > 1000
    assert a == b
    assert a != c


def test_default_output_folder_is_new_and_timestamped(capsys, tmp_path, scenario_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "run", scenario_file)
    assert code == 0
    folders = list((tmp_path / "outputs").iterdir())
    assert len(folders) == 1
    assert re.fullmatch(r"run-tiny-\d{8}-\d{6}", folders[0].name)
    assert out.strip().splitlines()[-1].startswith(f"Outputs written to outputs/{folders[0].name}/")
    assert sorted(p.name for p in folders[0].iterdir()) == OUTPUT_FILES
    # a second run in the same second gets its own folder instead of overwriting the first
    assert run_cli(capsys, "run", scenario_file, "-q")[0] == 0
    assert len(list((tmp_path / "outputs").iterdir())) == 2


def test_quiet_prints_only_the_output_folder(capsys, tmp_path, scenario_file, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "run", scenario_file, "--quiet", "--out", "res")
    assert (code, out, err) == (0, "res\n", "")


def test_refuses_a_non_empty_output_folder_but_accepts_an_empty_one(capsys, tmp_path, scenario_file):
    full = tmp_path / "full"
    full.mkdir()
    (full / "meetings.csv").write_text("precious", encoding="utf-8")
    code, out, err = run_cli(capsys, "run", scenario_file, "--out", full)
    assert code == 2 and out == ""
    assert "is not empty; refusing to overwrite" in one_error_line(err)
    assert (full / "meetings.csv").read_text(encoding="utf-8") == "precious"
    assert [p.name for p in full.iterdir()] == ["meetings.csv"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(capsys, "run", scenario_file, "--out", empty, "-q")[0] == 0
    assert sorted(p.name for p in empty.iterdir()) == OUTPUT_FILES


def test_out_pointing_at_a_file_is_refused(capsys, tmp_path, scenario_file):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", scenario_file, "--out", tmp_path / "f")
    assert code == 2 and "exists and is not a folder" in one_error_line(err)


# ------------------------------------------------------------------ bad input


def test_set_unknown_name_suggests_the_close_match(capsys, tmp_path, scenario_file):
    code, out, err = run_cli(capsys, "run", scenario_file, "--set", "caseloda=60", "--out", tmp_path / "o")
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "caseloda: unknown parameter (did you mean 'caseload'?)" in line
    # a suggestion and where to find every name, not a list of all of them
    assert line.endswith("'jobsim show SCENARIO' lists every parameter") and "noshow_probability" not in line
    assert not (tmp_path / "o").exists()


def test_set_wrong_type_names_the_field_and_type(capsys, scenario_file):
    code, _, err = run_cli(capsys, "run", scenario_file, "--set", "workers=two")
    assert code == 2
    assert one_error_line(err) == "jobsim: error: workers: 'two' is not a valid value; expected integer"


def test_set_out_of_range_names_the_field_and_the_limit(capsys, scenario_file):
    code, _, err = run_cli(capsys, "run", scenario_file, "--set", "noshow_probability=1.5")
    assert code == 2
    line = one_error_line(err)
    assert "noshow_probability:" in line and "less than or equal to 1" in line and "1.5" in line


def test_set_without_equals_sign(capsys, scenario_file):
    code, _, err = run_cli(capsys, "run", scenario_file, "--set", "caseload")
    assert code == 2 and "'caseload' is not of the form name=value" in one_error_line(err)


def test_unknown_scenario_lists_the_builtins(capsys):
    code, _, err = run_cli(capsys, "run", "laerkevejj")
    assert code == 2
    line = one_error_line(err)
    assert "no built-in scenario or file named 'laerkevejj'" in line
    assert builtin_names(), "no built-in scenarios installed"
    assert line.endswith("built-in: " + ", ".join(builtin_names()))


@pytest.mark.parametrize("seed, reason", [("abc", "'abc' is not a whole number"), ("-1", "-1 is negative"),
                                          ("1.5", "'1.5' is not a whole number")])
def test_bad_seed(capsys, scenario_file, seed, reason):
    code, _, err = run_cli(capsys, "run", scenario_file, f"--seed={seed}")
    assert code == 2
    line = one_error_line(err)
    assert f"argument --seed: {reason}; allowed: an integer 0 or more" in line


def test_unknown_command_and_option(capsys):
    code, _, err = run_cli(capsys, "rnu", "laerkevej")
    assert code == 2 and "invalid choice: 'rnu'" in one_error_line(err)
    code, _, err = run_cli(capsys, "run", "laerkevej", "--sed", "1")
    assert code == 2 and "unrecognized arguments: --sed" in one_error_line(err)


def test_no_command_prints_help_and_fails(capsys):
    code, out, err = run_cli(capsys)
    assert code == 2 and out == ""
    assert "usage: jobsim" in err and "run" in err and "check" in err


def test_interrupt_gives_one_line_and_exit_130(capsys, scenario_file, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    # the module (jobsim.runner.simulate is also the name of the function the runner exports)
    monkeypatch.setattr(importlib.import_module("jobsim.runner.simulate"), "simulate", interrupted)
    code, _, err = run_cli(capsys, "run", scenario_file, "-q")
    assert (code, err) == (130, "jobsim: interrupted\n")


# ------------------------------------------------------------------ check


def test_check_accepts_a_good_file(capsys, scenario_file):
    code, out, err = run_cli(capsys, "check", scenario_file)
    assert (code, out, err) == (0, f"{scenario_file}: ok (scenario tiny)\n", "")


@pytest.mark.parametrize("line, expected", [
    ("caseloads = 60", "caseloads: unknown parameter (did you mean 'caseload'?)"),
    ('workers = "ten"', "workers: Input should be a valid integer (got 'ten'; expected integer"),
    ("slots_per_day = 20", "slots_per_day: 20 slots of 25 minutes do not fit between 9:00 and 15:24 "
                           "(384 minutes); allowed: slots_per_day * slot_minutes <= 384"),
    ('prep_policy = "before"', "prep_policy: unknown policy 'before'; allowed: after_checkin, ahead"),
    ("caseload = ", "not valid TOML"),
])
def test_check_reports_the_error_naming_file_and_field(capsys, tmp_path, line, expected):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'name = "bad"\n{line}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", bad)
    assert code == 2 and out == ""
    lines = err.strip().split("\n")
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"{bad}: ")
    assert expected in lines[0]


def test_check_several_files_fails_if_any_fails(capsys, tmp_path, scenario_file):
    code, out, err = run_cli(capsys, "check", scenario_file, tmp_path / "missing.toml")
    assert code == 2
    assert out == f"{scenario_file}: ok (scenario tiny)\n"
    assert "no built-in scenario or file named" in err and "missing.toml" in err


# ------------------------------------------------------------------ show, scenarios, version


def test_show_lists_every_parameter_with_value_unit_and_source(capsys, scenario_file):
    code, out, err = run_cli(capsys, "show", scenario_file, "--set", "workers=3")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"scenario 'tiny' ({scenario_file}): a small test team"
    rows = {ln.split()[0]: ln for ln in lines[2:]}
    assert list(rows) == field_names()
    assert lines[1].split() == ["parameter", "value", "unit", "allowed", "source"]
    assert re.fullmatch(r"caseload\s+80\s+citizens\s+> 0, <= 1000\s+test: between the norm and Laerkevej",
                        rows["caseload"])
    assert re.fullmatch(r"workers\s+3\s+workers\s+1 to 20000\s+--set on the command line", rows["workers"])
    assert re.fullmatch(r"slot_minutes\s+25\s+minutes\s+5 to 240\s+Lærkevej: 25 minutes per citizen "
                        r"\(Dansk Socialrådgiverforening 2017, 'Jobcenter Lærkevej: .*'\)", rows["slot_minutes"])
    assert re.fullmatch(r"noshow_spread\s+0.1\s+probability\s+>= 0, < 0.5\s+.*", rows["noshow_spread"])
    assert re.fullmatch(r"desk_priority\s+edf\s+edf, prep_first, casework_first\s+.*", rows["desk_priority"])
    # the built-in policies, then any a test in this process registered
    assert re.fullmatch(r"prep_policy\s+ahead\s+after_checkin, ahead, none, confirmed_ahead(, \w+)*\s+test",
                        rows["prep_policy"])
    assert re.fullmatch(r"sms_reminders\s+false\s+true, false\s+.*", rows["sms_reminders"])
    # columns are aligned: every value starts in the same column
    starts = {ln.index(ln.split()[1], len(ln.split()[0])) for ln in lines[2:] if len(ln.split()) > 1}
    assert len(starts) == 1


def test_show_builtin(capsys):
    code, out, _ = run_cli(capsys, "show", "laerkevej")
    assert code == 0
    assert re.search(r"^caseload\s+220\s+citizens\s+\S", out, re.M)
    assert re.search(r"^prep_policy\s+after_checkin\s+\S", out, re.M)


def test_scenarios_lists_every_builtin(capsys):
    code, out, err = run_cli(capsys, "scenarios")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["name", "caseload", "prep_policy", "description"]
    assert [ln.split()[0] for ln in lines[1:]] == builtin_names()
    for ln in lines[1:]:
        s = load_scenario(ln.split()[0])
        assert ln.split()[1:3] == [f"{s.caseload:g}", s.prep_policy]
        assert ln.endswith(s.description)


def test_version(capsys):
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.startswith(f"jobsim {jobsim.__version__} (simpy ")


# ------------------------------------------------------------------ a real process


def test_exit_codes_and_no_traceback_in_a_separate_process(tmp_path, scenario_file):
    cmd = [sys.executable, "-c", "from jobsim.cli import main; raise SystemExit(main())"]
    bad = subprocess.run(cmd + ["run", str(scenario_file), "--set", "caseload=-5"], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("jobsim: error: caseload: Input should be greater than 0")
    assert bad.stderr.count("\n") == 1

    good = subprocess.run(cmd + ["run", str(scenario_file), "--out", str(tmp_path / "o"), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert (good.returncode, good.stderr) == (0, "")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == OUTPUT_FILES


def test_console_script_is_installed_and_reports_errors(tmp_path):
    script = Path(sys.executable).with_name("jobsim")
    if not script.exists():
        pytest.skip("the jobsim console script is not installed next to this Python (pip install -e .)")
    res = subprocess.run([str(script), "check", str(tmp_path / "nope.toml")], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "no built-in scenario or file named" in res.stderr


# ------------------------------------------------------------------ README stays true


README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_readme_kpi_table_lists_every_kpi_with_its_unit():
    for name, (unit, _) in KPIS.items():
        assert re.search(rf"^\| `{name}` \| {re.escape(unit)} \|", README, re.M), name


def test_readme_quick_start_is_three_commands_and_ci_runs_the_same_tests():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [ln for block in re.findall(r"```(?:bash|sh)\n(.*?)```", quick, re.S)
                for ln in block.strip().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    # the smallest install that runs the model first; the dev extras come with the test command
    assert commands == ["python3 -m venv .venv && . .venv/bin/activate && pip install -e .",
                        "jobsim run laerkevej", 'pip install -e ".[dev]" && pytest -n 2']
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*pytest -n 2\b", ci, re.M)


def test_readme_command_line_examples_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    section = README.split("## The command line", 1)[1].split("\n## ", 1)[0]
    examples = [ln.split("#", 1)[0].split() for block in re.findall(r"```bash\n(.*?)```", section, re.S)
                for ln in block.strip().splitlines()]
    assert len(examples) >= 6
    assert {"sweep", "plot"} <= {words[1] for words in examples}
    for words in examples:
        assert words[0] == "jobsim"
        code, _, err = run_cli(capsys, *words[1:])
        assert code == 0, (words, err)
    assert load_scenario("outputs/norm-checkin/scenario.toml").prep_policy == "after_checkin"
    assert (tmp_path / "outputs" / "small-sweep" / "figures" / "overview.png").exists()
