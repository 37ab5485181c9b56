"""The teaching notebooks run top to bottom in quick mode, are committed without outputs, and end in exercises.

Each notebook is executed with nbclient on a kernel started from this
interpreter (``sys.executable``), so it imports the jobsim under test whatever
kernelspecs the machine has. The kernel gets ``JOBSIM_QUICK=1`` (small runs)
and ``MPLBACKEND=Agg`` (no display), and runs in a temporary folder, so files
a notebook writes (``outputs/``) do not land in the repository.
"""

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds one cell may take in quick mode before the test fails (quick notebooks take seconds).
CELL_TIMEOUT = 300


def test_there_are_five_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05"]


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory):
    """A kernelspec whose argv is this interpreter (so the kernel sees the jobsim under test)."""
    folder = tmp_path_factory.mktemp("kernels") / "jobsim-test"
    folder.mkdir()
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "jobsim test kernel", "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder.parent


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_quick_mode(path, kernel_dir, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(path, as_version=4)
    ksm = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    km = KernelManager(kernel_name="jobsim-test", kernel_spec_manager=ksm)
    env = {**os.environ, "JOBSIM_QUICK": "1", "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    client = nbclient.NotebookClient(nb, km=km, timeout=CELL_TIMEOUT, allow_errors=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell failed in quick mode:\n{err}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stripped_valid_and_has_exercises(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name}: stored outputs; run nbstripout {path.name}"
            assert cell.get("execution_count") is None, f"{path.name}: stored execution counts; run nbstripout"
    headings = [line.strip() for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()]
    assert "## Exercises" in headings, f"{path.name}: no '## Exercises' heading"
    first = nb.cells[0].source
    assert "What you will learn" in first and "Time:" in first, f"{path.name}: the intro must say what and how long"
    exercises = "\n".join(c.source for c in nb.cells[next(i for i, c in enumerate(nb.cells)
                                                             if "## Exercises" in c.get("source", "")):]
                          if c.cell_type == "markdown")
    assert "Hint" in exercises and "<details>" in exercises, f"{path.name}: exercises need hints and hidden answers"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_imports_only_jobsim_and_plotting_libraries(path):
    allowed = {"os", "jobsim", "matplotlib", "pandas", "numpy", "ipywidgets"}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]):
                module = words[1].split(".")[0]
                assert module in allowed, f"{path.name}: imports {module}; notebooks only call jobsim"
        assert len(cell.source.splitlines()) <= 40, f"{path.name}: a cell over 40 lines belongs in the package"
