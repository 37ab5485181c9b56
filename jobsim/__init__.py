"""jobsim: a discrete-event simulation of a Danish jobcenter team.

Caseworkers, a diary of 25-minute conversation slots, citizens who check in
or do not show, preparation policies and the desk work that competes for the
caseworkers' time. See README.md and docs/model.md.

>>> import jobsim
>>> scenario = jobsim.load_scenario("laerkevej")
>>> result = jobsim.simulate(scenario.replace(horizon_days=28, warmup_days=7, workers=2), seed=1)
>>> sorted(result.kpis) == sorted(jobsim.KPI_NAMES)
True
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import JobsimError, ScenarioError
from .model.kpis import KPI_NAMES, KPIS
from .model.policies import POLICIES, PrepPolicy, register_policy
from .runner.results import SweepResult
from .runner.simulate import SimulationResult, simulate
from .runner.stats import replications_needed
from .runner.sweep import load_sweep, replicate, sweep
from .model.scenario import Scenario, builtin_names, load_scenario

try:
    __version__ = version("jobsim")
except PackageNotFoundError:  # pragma: no cover
    __version__ = "0.0.0"

__all__ = ["JobsimError", "ScenarioError", "KPI_NAMES", "KPIS", "POLICIES", "PrepPolicy", "register_policy",
           "SimulationResult", "simulate", "Scenario", "builtin_names", "load_scenario", "__version__",
           "sweep", "replicate", "load_sweep", "SweepResult", "replications_needed"]
