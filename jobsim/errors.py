"""Errors that jobsim reports to users as one clear message (no traceback), and the exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

#: Exit codes of ``jobsim`` and the experiment scripts.
EXIT_OK = 0
EXIT_FAILED_RUNS = 1      # some runs of a sweep failed; the others are stored
EXIT_BAD_INPUT = 2        # bad input: one line on stderr names the field and what is allowed
EXIT_INTERRUPTED = 130    # Ctrl-C; finished runs are kept


class JobsimError(Exception):
    """Base class for errors caused by user input (scenario files, CLI arguments, grids)."""


class ScenarioError(JobsimError, ValueError):
    """A scenario value is missing, of the wrong type, out of range, or unknown.

    The message names the field and the values it allows.
    """


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string.

    >>> did_you_mean("caseloda", ["caseload", "workers"])
    " (did you mean 'caseload'?)"
    """
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
