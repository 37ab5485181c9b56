"""How to cite jobsim: the one place for the citation that ``CITATION.cff`` and the report's appendix show.

``CITATION.cff`` at the repository root (Citation File Format 1.2.0) holds the
same title, authors, version and licence; a test checks that the two agree,
so a researcher citing from the report or from the repository cites the same
thing, with the version that made their figures.

>>> "jobsim" in citation_text("0.1.0") and "version 0.1.0" in citation_text("0.1.0")
True
"""

from __future__ import annotations

from .. import __version__

#: The citation's fields (as in CITATION.cff).
TITLE = "jobsim: a discrete-event simulation of a Danish jobcenter"
AUTHORS = "The jobsim developers"
LICENSE = "MIT"
#: The year of the first release (the year the citation names).
YEAR = 2026


def citation_text(version: str | None = None) -> str:
    """A plain-text citation of jobsim at ``version`` (default: the installed one), with a BibTeX entry."""
    v = version or __version__
    return (f"{AUTHORS} ({YEAR}). {TITLE} (version {v}) [computer software]. Licence: {LICENSE}.\n\n"
            f"@software{{jobsim,\n  author = {{{{{AUTHORS}}}}},\n  title = {{{TITLE}}},\n"
            f"  version = {{{v}}},\n  year = {{{YEAR}}},\n  license = {{{LICENSE}}}\n}}")
