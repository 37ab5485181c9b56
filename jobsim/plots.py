"""Charts for notebooks and scripts: the public place to import them from.

``from jobsim import plots`` gives the general charts of :mod:`jobsim.report.charts`
(lines with confidence bands, KPI panels, time use, the standard figures of
``jobsim plot``), the house style of :mod:`jobsim.report.style` (colours,
figures, captions, saving) and the number formatters of :mod:`jobsim.report.words`.
The figures of each experiment are in :mod:`jobsim.studies`.
"""

from .report.charts import (KEY_KPIS, crossing, kpi_panels, kpi_rows, kpi_table, line_with_bands,
                            mark_reference_caseloads, stacked_time_use, standard_figures, time_use_table,
                            varied_parameters)
from .report.facts import DS_BAND, LAERKEVEJ_CASELOAD
from .report.style import (ACTIVITY_COLOURS, OKABE_ITO, POLICY_COLOURS, POLICY_MARKERS, TIME_USE_ACTIVITIES, caption,
                           format_axis_for, house_style, new_figure, run_caption, save_figure)
from .report.words import num, pct

__all__ = ["KEY_KPIS", "crossing", "kpi_panels", "kpi_rows", "kpi_table", "line_with_bands", "mark_reference_caseloads",
           "stacked_time_use", "standard_figures", "time_use_table", "varied_parameters", "DS_BAND",
           "LAERKEVEJ_CASELOAD", "ACTIVITY_COLOURS", "OKABE_ITO", "POLICY_COLOURS", "POLICY_MARKERS",
           "TIME_USE_ACTIVITIES", "caption", "format_axis_for", "house_style", "new_figure", "run_caption",
           "save_figure", "num", "pct"]
