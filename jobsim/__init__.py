"""jobsim: a discrete-event simulation of a Danish jobcenter team.

Caseworkers, a diary of 25-minute conversation slots, citizens who check in
or do not show, preparation policies and the desk work that competes for the
caseworkers' time. See README.md and docs/model.md.

>>> import jobsim
>>> scenario = jobsim.load_scenario("laerkevej")
>>> result = jobsim.simulate(scenario.replace(horizon_days=28, warmup_days=7, workers=2), seed=1)
>>> sorted(result.kpis) == sorted(jobsim.KPI_NAMES)
True

The names below are imported when first used (PEP 562), so that ``import
jobsim`` (and ``jobsim --help``) does not load pandas, SciPy or SALib until
something needs them; ``from jobsim import simulate`` works as usual.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .errors import JobsimError, ScenarioError

try:
    __version__ = version("jobsim")
except PackageNotFoundError:  # pragma: no cover
    __version__ = "0.0.0"

#: Public name -> the module it lives in (imported on first use).
_LAZY = {
    "KPI_NAMES": ".model.kpis", "KPIS": ".model.kpis",
    "POLICIES": ".model.policies", "PrepPolicy": ".model.policies", "register_policy": ".model.policies",
    "Scenario": ".model.scenario", "builtin_names": ".model.scenario", "load_scenario": ".model.scenario",
    "SimulationResult": ".runner.simulate", "simulate": ".runner.simulate",
    "SweepResult": ".runner.results", "replications_needed": ".runner.stats",
    "sweep": ".runner.sweep", "replicate": ".runner.sweep", "load_sweep": ".runner.sweep",
    "sensitivity": ".gsa", "SensitivityResult": ".gsa",
}

__all__ = ["JobsimError", "ScenarioError", "__version__"] + list(_LAZY)


#: Subpackages reachable as attributes after a bare ``import jobsim`` (``jobsim.model.scenario.field_info``),
#: as when this module imported them eagerly: the modules it used to import come with them.
_SUBPACKAGES = {"model": (".model.scenario", ".model.kpis", ".model.policies"),
                "runner": (".runner.simulate", ".runner.results", ".runner.stats", ".runner.sweep"),
                "report": (".report",), "studies": (".studies",), "gsa": (".gsa",), "cli": (".cli",),
                "policies": (".policies",), "plots": (".plots",), "teaching": (".teaching",)}


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        for module in _SUBPACKAGES[name]:
            import_module(module, __name__)
        return import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jobsim' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__():
    return sorted({*globals(), *_LAZY})
