"""Calibration: from a jobcenter's appointment log to scenario values with 95 % intervals.

* :mod:`.log`: reading and checking an appointment log (:func:`read_appointment_log`).
* :mod:`.noshow`: no-show propensity, its spread, the lead-time effect and SMS reminders.
* :mod:`.times`: conversation minutes and punctuality.
* :mod:`.report`: :func:`calibrate` (all of it), the printed report and the scenario fragment.

The floor: above :mod:`jobsim.model` (it reads scenario fields), beside :mod:`jobsim.runner`; it
uses pandas and SciPy. The format is described in ``docs/appointment_log.md``.
"""
