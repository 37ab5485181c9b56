"""Global sensitivity analysis (GSA): which assumptions decide jobsim's answers.

Used as :func:`jobsim.sensitivity` and ``jobsim sensitivity`` (the package has
its own short name so that ``jobsim.sensitivity`` stays the function).

* :mod:`.ranges`: the range of every assumption parameter (``ranges.toml``, with its source) and
  ``--param name=low:high``, or a categorical parameter's levels (``desk_priority=edf,prep_first``);
* :mod:`.methods`: the designs and their analyses (Morris, Sobol, Latin hypercube; SALib and SciPy);
* :mod:`.analysis`: :func:`sensitivity`, which runs a design (:mod:`jobsim.runner.design`: replications
  with common random numbers, local processes or Dask, a resumable store) and returns a
  :class:`SensitivityResult` with the tidy table of indices (``sensitivity.csv``) and the noise report;
* :mod:`.charts`: the Morris mu*-sigma chart and the Sobol S1/ST bars, in English and Danish.

Floor: above :mod:`jobsim.report` (it draws with the house style), below :mod:`jobsim.studies`.
"""

from .analysis import HEADLINE_KPIS, INDEX_COLUMNS, SensitivityResult, sensitivity
from .methods import INDICES, METHODS
from .ranges import Range, choose_ranges, load_ranges

__all__ = ["sensitivity", "SensitivityResult", "HEADLINE_KPIS", "INDEX_COLUMNS", "METHODS", "INDICES", "Range",
           "load_ranges", "choose_ranges"]
