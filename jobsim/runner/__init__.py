"""Running the model: one run, replications and sweeps, the store, manifests.

* :mod:`.simulate`: one run (:func:`simulate`, :class:`SimulationResult`).
* :mod:`.grid`: parsing, checking and expanding grids of parameter values.
* :mod:`.engine`: the one experiment engine (a request built once, its runs sent to an executor, stored,
  reduced); its callers :mod:`.sweep` (:func:`sweep`, :func:`replicate`, :func:`load_sweep`) and :mod:`.design`
  (a list of points); :mod:`.results`: :class:`SweepResult`.
* :mod:`.stats`: confidence intervals and how many replications a KPI needs.
* :mod:`.store`, :mod:`.manifest`, :mod:`.files`: the sweep folder, run manifests, the atomic file writer.
* :mod:`.executors`: this process, the process pool (:mod:`.pool`) or Dask; :mod:`.progress`: progress bars.
* :mod:`.size`: how big a request is, and asking first when it is very big; :mod:`.checks`: checks of the
  runner's arguments; :mod:`.quick`: the one rule for ``JOBSIM_QUICK``; :mod:`.eventlog`: standard event
  logs (XES, OCEL) of a run.

The public functions are imported from their modules (``from jobsim.runner.sweep import sweep``) or,
for users, from :mod:`jobsim` itself; this package does not re-export them, so that
``jobsim.runner.sweep`` and ``jobsim.runner.simulate`` always name the modules.
"""
