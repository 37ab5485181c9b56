"""Errors that jobsim reports to users as one clear message (no traceback)."""


class JobsimError(Exception):
    """Base class for errors caused by user input (scenario files, CLI arguments, grids)."""


class ScenarioError(JobsimError, ValueError):
    """A scenario value is missing, of the wrong type, out of range, or unknown.

    The message names the field and the values it allows.
    """
