"""Numbers in the docs written by the command that makes them: generated blocks in Markdown pages.

A page marks each generated part::

    <!-- output of: NAME -->
    ...text the command wrote...
    <!-- end of output -->

:func:`write_blocks` replaces what is between the marks; :func:`read_block` gives it back, so a test can
check that a page holds exactly what its stored results render to (and fails when a number is edited by hand).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

_BLOCK = r"(<!-- output of: {name} -->\n)(.*?)(<!-- end of output -->)"


def read_block(doc: str, name: str) -> str | None:
    """The text of block ``name`` in ``doc`` (None if the page has no such block)."""
    m = re.search(_BLOCK.format(name=re.escape(name)), doc, flags=re.S)
    return m.group(2) if m else None


def write_blocks(doc: str, texts: Mapping[str, str], page: str = "the page") -> str:
    """``doc`` with each block ``name`` of ``texts`` holding its text; a missing block is an error naming it."""
    for name, text in texts.items():
        pattern = re.compile(_BLOCK.format(name=re.escape(name)), flags=re.S)
        if not pattern.search(doc):
            raise ValueError(f"{page}: no block marked '<!-- output of: {name} -->'")
        doc = pattern.sub(lambda m, text=text: m.group(1) + text + m.group(3), doc)
    return doc


def update_page(path: str | Path, texts: Mapping[str, str]) -> None:
    """Write ``texts`` into the blocks of the page at ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(write_blocks(path.read_text(encoding="utf-8"), texts, path.name), encoding="utf-8")
