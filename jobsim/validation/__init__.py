"""Validation: the model against every published figure it can be checked against.

* ``targets.toml``: the published figures as data (value or band, source, how the model measures
  each, under which scenario settings); :mod:`.targets` loads and checks it.
* :mod:`.measures`: how each target is measured (a KPI, or a named query of a run's tables).
* :mod:`.run`: runs every target's experiment with replications and tabulates model against band
  (``jobsim validate``); :mod:`.figure`: the one-page figure, English and Danish.
* :mod:`.reduced`: the reduced configuration (one caseworker, no casework, no absence) checked
  against appointment-scheduling theory: Ho & Lau (1992)'s ordering and a closed form.
* :mod:`.document`: regenerates ``docs/validation.md`` (``python -m jobsim.validation.document``).

This package sits on the floor of the studies: it runs the model (:mod:`jobsim.runner`) and draws
with :mod:`jobsim.report`.
"""
