"""Quick mode: small, short runs that check that something works (tests, notebooks, CI), not results.

The environment variable ``JOBSIM_QUICK`` asks for it; :func:`quick_from_env` is the one rule every
reader uses (``jobsim report``, ``jobsim validate``, :func:`jobsim.validation.run.quick_mode`): set
to anything but :data:`QUICK_OFF` means quick, so ``JOBSIM_QUICK=1``, ``yes`` or ``true`` turn it on and
unset, empty, ``0``, ``false``, ``no`` or ``off`` (any case, spaces ignored) leave it off. What quick
means is each command's own (fewer, shorter runs). Light on purpose: the command line imports it.
"""

from __future__ import annotations

import os

#: The environment variable that asks for quick runs.
QUICK_ENV = "JOBSIM_QUICK"
#: Its values that leave quick mode off (compared in lower case, surrounding spaces stripped).
QUICK_OFF = ("", "0", "false", "no", "off")


def quick_from_env() -> bool:
    """True when ``JOBSIM_QUICK`` is set to anything but :data:`QUICK_OFF` (case and spaces ignored)."""
    return os.environ.get(QUICK_ENV, "").strip().lower() not in QUICK_OFF
