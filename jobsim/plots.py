"""Charts for notebooks and scripts: the public place to import them from.

``from jobsim import plots`` gives the general charts of :mod:`jobsim.report.charts`
(lines with confidence bands, KPI panels, time use, the standard figures of
``jobsim plot``).
"""

from .report.charts import *  # noqa: F401,F403  (the public charts, re-exported for notebooks)
