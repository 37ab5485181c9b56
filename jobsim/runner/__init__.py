"""Running the model: one run, replications and sweeps, the store, manifests.

* :mod:`.simulate`: one run (:func:`simulate`, :class:`SimulationResult`).
* :mod:`.grid`: parsing, checking and expanding grids of parameter values.
* :mod:`.sweep`: :func:`sweep`, :func:`replicate`, :func:`load_sweep`; :mod:`.results`: :class:`SweepResult`.
* :mod:`.stats`: confidence intervals and how many replications a KPI needs.
* :mod:`.store`, :mod:`.manifest`, :mod:`.files`: the sweep folder, run manifests, the atomic file writer.
* :mod:`.pool`: the process pool; :mod:`.progress`: progress bars.
"""

from .grid import expand_grid, parse_grid
from .results import SweepResult
from .simulate import SimulationResult, simulate
from .stats import replications_algorithm, replications_needed, t_interval, welch_interval
from .sweep import SweepError, load_sweep, replicate, sweep

__all__ = ["simulate", "SimulationResult", "sweep", "replicate", "load_sweep", "SweepResult", "SweepError",
           "replications_needed", "replications_algorithm", "t_interval", "welch_interval", "parse_grid",
           "expand_grid"]
