"""Progress bars for long experiments: runs done of the total, rate and time left.

A bar (``tqdm.auto``: a widget in a notebook, text on a terminal) is shown
when ``enabled`` is True, or, with ``enabled=None`` (auto), when stderr is a
terminal or the code runs in a notebook. Otherwise, e.g. in a batch job whose
stderr goes to a log file, or with ``--quiet``, nothing is drawn.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where stderr is not a terminal but a bar is still wanted)."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except Exception:  # pragma: no cover - any trouble means: not a notebook
        return False
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def wants_progress(enabled: bool | None = None) -> bool:
    """Resolve ``enabled``: True/False as given; None (auto) means a terminal on stderr or a notebook."""
    if enabled is not None:
        return bool(enabled)
    try:
        tty = sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty or in_notebook()


class NullBar:
    """Does nothing; stands in for a bar when progress is off."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "NullBar":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def progress_bar(total: int, initial: int = 0, enabled: bool | None = None, **kwargs: Any):
    """A context-managed progress bar of ``total`` steps, ``initial`` of them already done.

    Returns a ``tqdm`` bar, or a :class:`NullBar` if progress is off (see
    :func:`wants_progress`). ``kwargs`` go to tqdm (``desc``, ``unit``...).
    """
    if not wants_progress(enabled):
        return NullBar()
    from tqdm import TqdmExperimentalWarning
    from tqdm.auto import tqdm as auto_tqdm
    from tqdm.std import tqdm as text_tqdm

    # No monitor thread: a sweep forks worker processes, and forking a process with threads is unsafe.
    kwargs.setdefault("dynamic_ncols", True)
    kwargs.setdefault("smoothing", 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TqdmExperimentalWarning)
        try:
            bar_class = type("JobsimBar", (auto_tqdm,), {"monitor_interval": 0})
            return bar_class(total=total, initial=initial, file=sys.stderr, **kwargs)
        except Exception:
            # tqdm's notebook widget needs ipywidgets; without it fall back to text
            bar_class = type("JobsimBar", (text_tqdm,), {"monitor_interval": 0})
            return bar_class(total=total, initial=initial, file=sys.stderr, **kwargs)
